// Logs and metrics on local workerd after a whole flow: sign in, parse a command (the LLM fails,
// the rules answer), create a session, follow its progress, upload a result, report it, read it
// back, a forged upload, a failed image, an AI edit and one over the daily quota. The `wrangler
// dev` log then has one JSON line per request (route pattern, status, latency, hashed user,
// parser, LLM outcome, error kind), the metrics of each step (METRICS_LOG = "true": the local sink),
// and none of the tokens, signatures, emails, secrets or image bytes that went through.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { freePort, startWorker } from '../support/worker.mjs';
import { startGenerativeServer } from '../support/generative-server.mjs';
import { encodePng } from '../support/png.mjs';
import { client, listen, TEST_VARS } from './helpers.mjs';

const EMAIL = 'ana.secret-person@example.com';
const LOG_SALT = 'test-log-salt-0123456789abcdef0123';
const userHash = (email) => `u_${crypto.createHmac('sha256', LOG_SALT).update(email).digest('hex').slice(0, 16)}`;
let gen;
let worker;
let api;
/** Everything that must never appear in a log, found along the way. */
const secrets = new Set([EMAIL, encodeURIComponent(EMAIL), TEST_VARS.JWT_SECRET, TEST_VARS.UPLOAD_SECRET, LOG_SALT]);
let requests = 0;

before(async () => {
  gen = await startGenerativeServer();
  secrets.add(gen.token);
  const closed = await freePort(); // nothing listens there: the LLM "fails" at once
  worker = await startWorker({
    vars: {
      ...TEST_VARS,
      LOG_SALT,
      METRICS_LOG: 'true',
      LLM_BASE_URL: `http://127.0.0.1:${closed}/v1`,
      LLM_API_KEY: 'llm-key-must-not-be-logged-0123456789',
      GENERATIVE_PROVIDER: 'openai',
      GENERATIVE_BASE_URL: gen.openaiBaseUrl,
      GENERATIVE_API_KEY: gen.token,
      EDITS_PER_DAY: '1',
    },
  });
  secrets.add('llm-key-must-not-be-logged-0123456789');
  const checked = client(worker.url);
  api = (...a) => { requests++; return checked(...a); };
});
after(async () => {
  await worker?.stop();
  await gen?.stop();
});

function photo() {
  const width = 64;
  const height = 48;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([i % 251, (i * 7) % 253, 90, 255], i * 4);
  return encodePng({ width, height, rgba });
}

/** The worker's JSON lines in the log so far. */
function logLines() {
  const out = [];
  for (const l of fs.readFileSync(worker.logFile, 'utf8').split('\n')) {
    if (!l.startsWith('{')) continue;
    try {
      const v = JSON.parse(l);
      if (v.kind) out.push(v);
    } catch { /* not one of the worker's lines */ }
  }
  return out;
}

async function waitForLines(predicate, what) {
  for (let i = 0; i < 50; i++) {
    const lines = logLines();
    if (predicate(lines)) return lines;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the log never had ${what}:\n${logLines().map((l) => JSON.stringify(l)).join('\n')}`);
}

test('the e2e flow: one log line per request, its metrics, and no secret anywhere in the log', async () => {
  // Sign in.
  const login = await api('POST', '/auth/dev-login', { body: { email: EMAIL } });
  assert.equal(login.status, 200);
  const token = login.json.token;
  secrets.add(token);
  for (const part of token.split('.')) secrets.add(part);

  // Parse: the LLM fails (nothing listens), the rules answer.
  const parsed = await api('POST', '/v1/commands:parse', { token, body: { command: 'rotate 90 degrees and make it black and white' } });
  assert.equal(parsed.status, 200, parsed.text);
  assert.equal(parsed.json.parser, 'rules');

  // A session with two images, its progress followed live (the token travels in the query).
  const image = photo();
  const created = await api('POST', '/image-edit', {
    token,
    body: { images: [{ id: 'img_a', name: 'beach.png', size: image.length, type: 'image/png' }, { id: 'img_b', name: 'city.png' }], operation: { type: 'command', command: 'rotate 90 degrees' } },
  });
  assert.equal(created.status, 202, created.text);
  const { sessionId, uploads } = created.json;
  const stream = listen(`${worker.url}/image-edit/progress/${sessionId}?access_token=${encodeURIComponent(token)}`);
  requests++;
  await stream.opened;
  for (const u of uploads) secrets.add(new URL(u.url, worker.url).searchParams.get('sig'));

  // Upload image a's result, report it, read it back.
  const put = await fetch(new URL(uploads[0].url, worker.url), { method: 'PUT', headers: { 'content-type': uploads[0].contentType }, body: image });
  requests++;
  assert.equal(put.status, 201, await put.clone().text());
  const stored = await put.json();
  secrets.add(new URL(stored.url).searchParams.get('sig'));
  const done = await api('POST', `/image-edit/${sessionId}/progress`, { token, body: { imageId: 'img_a', status: 'complete', progress: 100, message: 'Saved' } });
  assert.equal(done.status, 200, done.text);
  const read = await api('GET', stored.url);
  assert.equal(read.status, 200);

  // A forged upload is refused.
  const forgedUrl = new URL(uploads[1].url, worker.url);
  forgedUrl.searchParams.set('sig', crypto.randomBytes(32).toString('base64url'));
  secrets.add(forgedUrl.searchParams.get('sig'));
  const forged = await fetch(forgedUrl, { method: 'PUT', headers: { 'content-type': uploads[1].contentType }, body: image });
  requests++;
  assert.equal(forged.status, 403);

  // An AI edit of image b, then one over the daily quota of 1.
  const form = () => {
    const f = new FormData();
    f.set('sessionId', sessionId);
    f.set('imageId', 'img_b');
    f.set('prompt', 'make it look like a watercolour');
    f.set('image', new Blob([image], { type: 'image/png' }), 'image.png');
    return f;
  };
  const edited = await api('POST', '/v1/images:edit', { token, raw: form() });
  assert.equal(edited.status, 200, edited.text);
  secrets.add(new URL(edited.json.url).searchParams.get('sig'));
  const refused = await api('POST', '/v1/images:edit', { token, raw: form() });
  assert.equal(refused.status, 429);

  // Image b fails on the page (its upload), which the page reports with a kind.
  const failed = await api('POST', `/image-edit/${sessionId}/progress`, {
    token, body: { imageId: 'img_b', status: 'error', progress: 0, message: `Upload failed for ${EMAIL}`, error: `network error for ${EMAIL}`, errorKind: 'upload_failed' },
  });
  assert.equal(failed.status, 200, failed.text);
  await stream.done;
  const health = await api('GET', '/v1/health');
  assert.equal(health.status, 200);

  const lines = await waitForLines((ls) => ls.filter((l) => l.kind === 'request' && l.route !== '/v1/openapi.json').length >= requests, `${requests} request lines`);
  // (startWorker's own readiness probes ask for the OpenAPI document; the flow never does.)
  const reqs = lines.filter((l) => l.kind === 'request' && l.route !== '/v1/openapi.json');
  const metrics = lines.filter((l) => l.kind === 'metric');

  // One line per request, with its facts.
  assert.equal(reqs.length, requests);
  for (const l of reqs) {
    assert.match(l.requestId, /^[0-9a-f]{16}$/);
    assert.equal(typeof l.latencyMs, 'number');
    assert.ok(!l.route.includes('@') && !l.route.includes('ses_'), l.route);
  }
  const line = (method, route, status) => {
    const found = reqs.find((l) => l.method === method && l.route === route && l.status === status);
    assert.ok(found, `no line for ${method} ${route} ${status}:\n${reqs.map((l) => JSON.stringify(l)).join('\n')}`);
    return found;
  };
  const me = userHash(EMAIL);
  assert.deepEqual(
    { user: line('POST', '/v1/commands:parse', 200).user, parser: line('POST', '/v1/commands:parse', 200).parser, llm: line('POST', '/v1/commands:parse', 200).llm },
    { user: me, parser: 'rules', llm: 'transport' },
  );
  assert.equal(line('POST', '/image-edit', 202).parser, 'rules');
  assert.equal(line('GET', '/image-edit/progress/{sessionId}', 200).user, me);
  assert.equal(line('PUT', '/uploads/{key}', 201).user, me);
  assert.equal(line('PUT', '/uploads/{key}', 403).error, 'forbidden');
  assert.equal(line('PUT', '/uploads/{key}', 403).user, undefined); // a forged URL proves no one
  assert.equal(line('POST', '/v1/images:edit', 429).error, 'quota_exceeded');
  line('GET', '/results/{key}', 200);
  line('GET', '/v1/health', 200);

  // The metrics of each step.
  const metric = (name, label) => metrics.filter((m) => m.name === name && (label === undefined || m.label === label));
  assert.equal(metric('llm_failure', 'transport').length, 4, 'two attempts for each of the two parses');
  assert.equal(metric('parse', 'rules').length, 2);
  assert.ok(metric('parse', 'rules').every((m) => m.value >= 0));
  assert.deepEqual(metric('session_created', 'rules').map((m) => m.value), [2]);
  assert.deepEqual(metric('upload', 'ok').map((m) => m.value), [image.length]);
  assert.equal(metric('upload', 'forbidden').length, 1);
  assert.equal(metric('image_completed').length, 1);
  assert.equal(metric('image_failed', 'upload_failed').length, 1);
  assert.equal(metric('generative_edit', 'ok').length, 1);
  assert.equal(metric('quota_refused', 'ai_edits').length, 1);
  assert.equal(metric('request').filter((m) => m.label !== '/v1/openapi.json').length, requests);

  // No secret, token, signature, email or image bytes in the log. One exception, local only:
  // wrangler dev's own access line prints each request's path (never its query), and upload and
  // result paths hold the user's email (the object key); deployments keep no such line
  // (invocation logs off, see worker/README.md, "Logs").
  const log = fs.readFileSync(worker.logFile, 'utf8');
  const ACCESS = /^(\S*\s)?(GET|HEAD|POST|PUT|OPTIONS|DELETE) \/\S* \d{3} /;
  const [access, rest] = [[], []];
  for (const l of log.split('\n')) (ACCESS.test(l.replace(/\x1b\[[0-9;]*m/g, '')) ? access : rest).push(l);
  assert.ok(access.every((l) => !l.includes('?')), 'an access line has a query string');
  const emailForms = new Set([EMAIL, encodeURIComponent(EMAIL)]);
  for (const s of secrets) {
    assert.ok(s && s.length >= 8, `a secret to look for is too short: ${s}`);
    for (const [name, lines] of [['worker', rest], ['access', access]]) {
      if (name === 'access' && emailForms.has(s)) continue;
      const hit = lines.find((l) => l.includes(s));
      assert.ok(!hit, `a ${name} line contains ${s.slice(0, 12)}…: ${hit?.slice(0, 200)}`);
    }
  }
  assert.ok(access.some((l) => l.includes('/uploads/')), 'wrangler logged no access lines: the check above proved nothing');
  assert.ok(!log.includes(image.subarray(0, 64).toString('base64')), 'the log contains image bytes (base64)');
  assert.ok(!log.includes('IHDR') && !log.includes('\u0089PNG'), 'the log contains PNG bytes');
  assert.ok(!/sig=[A-Za-z0-9_-]{20,}/.test(log), 'the log contains a signed URL');
  assert.ok(!/access_token=/.test(log), 'the log contains a token in a query');
});
