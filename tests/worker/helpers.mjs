// Shared helpers for the worker tests: an API client that checks every response against
// worker/openapi.json, an SSE reader, and signed-URL minting (to make expired URLs).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/worker.mjs';

export const OPENAPI = JSON.parse(fs.readFileSync(path.join(ROOT, 'worker/openapi.json'), 'utf8'));
export const TEST_VARS = {
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef',
  UPLOAD_SECRET: 'test-upload-secret-0123456789',
  DEV_LOGIN: 'true',
  CORS_ORIGINS: 'http://page.test',
  RATE_LIMIT_PER_MINUTE: '40',
  MAX_UPLOAD_BYTES: '200000',
};

// ---- a small OpenAPI response checker: status documented, type/required/enum/items/$ref ----

function resolve(schema) {
  while (schema && schema.$ref) {
    schema = schema.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o[k], OPENAPI);
  }
  return schema;
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v;
}

/** The problems of `value` against `schema` (an empty list when it conforms). */
export function check(schema, value, where = '$') {
  schema = resolve(schema);
  if (!schema) return [];
  const out = [];
  if (schema.oneOf) {
    const ok = schema.oneOf.some((s) => check(s, value, where).length === 0);
    return ok ? [] : [`${where}: matches none of oneOf`];
  }
  const t = typeOf(value);
  if (schema.type) {
    const fits = schema.type === t || (schema.type === 'number' && t === 'integer');
    if (!fits) return [`${where}: expected ${schema.type}, got ${t}`];
  }
  if (schema.const !== undefined && value !== schema.const) out.push(`${where}: expected ${schema.const}`);
  if (schema.enum && !schema.enum.includes(value)) out.push(`${where}: ${JSON.stringify(value)} not in ${schema.enum}`);
  if (t === 'object') {
    for (const k of schema.required ?? []) if (!(k in value)) out.push(`${where}.${k}: required`);
    for (const [k, s] of Object.entries(schema.properties ?? {})) {
      if (k in value) out.push(...check(s, value[k], `${where}.${k}`));
    }
  }
  if (t === 'array' && schema.items) value.forEach((v, i) => out.push(...check(schema.items, v, `${where}[${i}]`)));
  return out;
}

function operationFor(method, pathname) {
  for (const [template, ops] of Object.entries(OPENAPI.paths)) {
    const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, (m) => (m.includes('key') ? '.+' : '[^/]+'))}$`);
    if (re.test(pathname) && ops[method.toLowerCase()]) return { template, op: ops[method.toLowerCase()] };
  }
  return null;
}

/** Asserts that a response (status, content type, JSON body) is one the OpenAPI document allows. */
export function assertDocumented(method, url, status, contentType, body) {
  const { pathname } = new URL(url);
  const found = operationFor(method, pathname);
  assert.ok(found, `${method} ${pathname} is not in openapi.json`);
  const r = found.op.responses[String(status)];
  assert.ok(r, `${method} ${found.template} answered ${status}, not documented`);
  if (r.content && contentType?.includes('json')) {
    const schema = r.content['application/json']?.schema;
    assert.ok(schema, `${method} ${found.template} ${status}: JSON not documented`);
    const problems = check(schema, body);
    assert.deepEqual(problems, [], `${method} ${found.template} ${status} body: ${problems.join('; ')}`);
  }
}

/** An API client bound to a worker URL; every answer is checked against openapi.json. */
export function client(base) {
  return async function api(method, p, { token, body, raw, headers = {} } = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload;
    if (raw !== undefined) payload = raw;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const url = p.startsWith('http') ? p : `${base}${p}`;
    const res = await fetch(url, { method, headers: h, body: payload });
    const ct = res.headers.get('content-type') ?? '';
    const text = await res.text();
    let json = null;
    if (ct.includes('json')) json = JSON.parse(text);
    assertDocumented(method, url, res.status, ct, json);
    return { status: res.status, headers: res.headers, json, text };
  };
}

/** Signs in through the development endpoint. */
export async function devToken(base, email) {
  const res = await fetch(`${base}/auth/dev-login`, { method: 'POST', body: JSON.stringify({ email }) });
  assert.equal(res.status, 200);
  return (await res.json()).token;
}

// ---- Server-Sent Events ----

/** Parses SSE text into events [{id, event, data}] (data JSON-parsed). */
export function parseSse(text) {
  const events = [];
  for (const block of text.split('\n\n')) {
    const ev = {};
    const data = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const k = i < 0 ? line : line.slice(0, i);
      const v = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (k === 'data') data.push(v);
      else ev[k] = v;
    }
    if (data.length) events.push({ id: Number(ev.id), event: ev.event, data: JSON.parse(data.join('\n')) });
  }
  return events;
}

/**
 * Opens a progress stream and collects events until the server ends it (or `timeoutMs`).
 * `opened` resolves once the response headers have arrived (the listener is registered).
 */
export function listen(url, { token, lastEventId, timeoutMs = 20_000 } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
  let resolveOpened;
  const opened = new Promise((r) => { resolveOpened = r; });
  const done = (async () => {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    resolveOpened(res);
    if (res.status !== 200) return { status: res.status, events: [], body: await res.text() };
    assert.match(res.headers.get('content-type'), /text\/event-stream/);
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body) text += decoder.decode(chunk, { stream: true });
    return { status: 200, events: parseSse(text), text };
  })();
  return { opened, done };
}

// ---- signed URLs, minted here to make ones the server never issued (expired) ----

const keyPath = (key) => key.split('/').map((s) => encodeURIComponent(s).replace(/%40/g, '@')).join('/');
const grantSignature = (secret, fields) => crypto.createHmac('sha256', secret).update(['retouch-grant-v1', ...fields].join('\n')).digest('base64url');

/** A PUT URL signed like the worker signs them (see worker/src/signing.rs). */
export function signPut(base, secret, { key, contentType, maxBytes, imageId = '', tags = '', expires }) {
  const sig = grantSignature(secret, ['PUT', key, contentType, String(maxBytes), imageId, tags, String(expires)]);
  const q = new URLSearchParams({ ct: contentType, max: String(maxBytes) });
  if (imageId) q.set('img', imageId);
  if (tags) q.set('tags', tags);
  q.set('exp', String(expires));
  q.set('sig', sig);
  return `${base}/uploads/${keyPath(key)}?${q}`;
}

/** A result (GET) URL signed like the worker signs them. */
export function signGet(base, secret, { key, expires }) {
  const sig = grantSignature(secret, ['GET', key, '', '0', '', '', String(expires)]);
  return `${base}/results/${keyPath(key)}?${new URLSearchParams({ exp: String(expires), sig })}`;
}

/** A small valid PNG (1x1). */
export const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A small valid JPEG (1x1, made with Pillow). */
export const JPEG_1x1 = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAABAAEDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDTooor+cj99P/Z',
  'base64',
);

/** A real image of `contentType` (upload URLs take only a real image of their signed type). */
export function imageFor(contentType) {
  if (contentType === 'image/png') return PNG_1x1;
  if (contentType === 'image/jpeg') return JPEG_1x1;
  throw new Error(`no test image for ${contentType}`);
}
