// Security tests of the worker on local workerd: every attack is refused with the right status
// and changes nothing. Forged and broken JWTs on every endpoint; tampered, replayed and expired
// signed URLs; another user's session id on every endpoint; oversized, malformed and deeply nested
// bodies; LLM replies that try to escape validation. "Nothing changes" is checked by comparing the
// victim's session snapshot, event log and session list (and the stored result) before and after.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startWorker } from '../support/worker.mjs';
import { startLlmServer, toolCalls } from '../support/llm-server.mjs';
import { algNone, claimsFor, es256, hs256, keyPairs, rs256 } from '../support/jwt.mjs';
import { client, imageFor, listen, PNG_1x1, signPut, TEST_VARS } from './helpers.mjs';

const keys = keyPairs();
const other = keyPairs(); // keys the worker does not trust
let worker;
let llm;
let api;

before(async () => {
  llm = await startLlmServer();
  worker = await startWorker({
    vars: {
      ...TEST_VARS,
      RATE_LIMIT_PER_MINUTE: '10000',
      JWKS: JSON.stringify(keys.jwks),
      LLM_BASE_URL: llm.baseUrl,
      LLM_API_KEY: 'test-llm-key',
      LLM_TIMEOUT_MS: '3000',
      SSE_HEARTBEAT_MS: '400',
    },
  });
  api = client(worker.url);
});
after(async () => {
  await worker?.stop();
  await llm?.stop();
});

const token = (email, extra) => hs256(claimsFor(email, extra), TEST_VARS.JWT_SECRET);
const ANA = 'ana@x.io';
const EVE = 'eve@x.io';
const images = (n) => Array.from({ length: n }, (_, i) => ({ id: `img_${i}`, name: `photo ${i}.jpg`, size: 1000, type: 'image/jpeg', tags: ['holiday'] }));
const bulk = (n = 1) => ({ images: images(n), operation: { type: 'bulk', bulkOp: { type: 'rotate', params: { degrees: 90 } } } });

async function newSession(t, body = bulk(2)) {
  // Rules only: the LLM server is scripted by the tests that need it.
  const r = await api('POST', '/image-edit', { token: t, body });
  assert.equal(r.status, 202, r.text);
  return r.json;
}

/** Everything a user can observe about their sessions: list, snapshot, event log. */
async function stateOf(t, sessionId) {
  const list = await api('GET', '/image-edit/sessions', { token: t });
  const snap = await api('GET', `/image-edit/${sessionId}`, { token: t });
  const events = await listen(`${worker.url}/image-edit/progress/${sessionId}`, { token: t, timeoutMs: 1500 }).done.catch((e) => ({ aborted: e.name }));
  return { list: list.json, snap: snap.json, events: events.events ?? events };
}

/**
 * Every authenticated endpoint, as (name, request) pairs for a token; `sid` is a session of
 * the victim. The progress stream is tried with the header and with `?access_token=`.
 */
function endpoints(sid, imageId) {
  return [
    ['POST /image-edit', (t, h) => raw('POST', '/image-edit', t, bulk(1), h)],
    ['GET /image-edit/sessions', (t, h) => raw('GET', '/image-edit/sessions', t, undefined, h)],
    ['GET /image-edit/:id', (t, h) => raw('GET', `/image-edit/${sid}`, t, undefined, h)],
    ['GET progress (header)', (t, h) => raw('GET', `/image-edit/progress/${sid}`, t, undefined, h)],
    ['GET progress (?access_token)', (t) => raw('GET', `/image-edit/progress/${sid}?access_token=${encodeURIComponent(t)}`)],
    ['POST /image-edit/:id/progress', (t, h) => raw('POST', `/image-edit/${sid}/progress`, t, { imageId, status: 'error', progress: 0, message: 'x', error: 'forged' }, h)],
    ['POST /v1/commands:parse', (t, h) => raw('POST', '/v1/commands:parse', t, { command: 'rotate 90', parser: 'rules' }, h)],
  ];
}

/** A request whose status and JSON error are returned (streams are not read to the end). */
async function raw(method, path, t, body, headers = {}) {
  const h = { ...headers };
  if (t) h.authorization = `Bearer ${t}`;
  if (body !== undefined && typeof body !== 'string') h['content-type'] ??= 'application/json';
  const res = await fetch(`${worker.url}${path}`, {
    method,
    headers: h,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const ct = res.headers.get('content-type') ?? '';
  if (ct.includes('event-stream')) {
    await res.body.cancel();
    return { status: res.status, json: null };
  }
  const text = await res.text();
  return { status: res.status, json: ct.includes('json') ? JSON.parse(text) : null, text };
}

/** `payload` of a JWT replaced (the signature kept). */
function withPayload(jwt, claims) {
  const [h, , s] = jwt.split('.');
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
}

/** A JWT with any header, signed by HMAC-SHA256 over `secret`. */
function hmacToken(header, claims, secret) {
  const b = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const signed = `${b(header)}.${b(claims)}`;
  return `${signed}.${crypto.createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

function forgedTokens() {
  const now = Math.floor(Date.now() / 1000);
  const c = claimsFor(ANA);
  const rsaPem = keys.rsa.publicKey.export({ type: 'spki', format: 'pem' });
  const good = token(ANA);
  const eves = token(EVE);
  return {
    'alg none': algNone(c),
    'alg None, sig kept': withPayload(good, c).replace(/^[^.]+/, Buffer.from('{"alg":"None","typ":"JWT"}').toString('base64url')),
    'alg none, empty sig, HS header claims': `${good.split('.')[0]}.${good.split('.')[1]}.`,
    'HS256 signed with the RSA public key (PEM)': hmacToken({ alg: 'HS256', typ: 'JWT', kid: 'rsa-1' }, c, rsaPem),
    'HS256 signed with the RSA JWK': hmacToken({ alg: 'HS256', typ: 'JWT', kid: 'rsa-1' }, c, JSON.stringify(keys.rsaJwk)),
    'RS256 header over an HMAC signature': hmacToken({ alg: 'RS256', typ: 'JWT', kid: 'rsa-1' }, c, TEST_VARS.JWT_SECRET),
    'ES256 header over an RS256 signature': rs256(c, keys.rsa.privateKey).replace(/^[^.]+/, Buffer.from('{"alg":"ES256","typ":"JWT","kid":"ec-1"}').toString('base64url')),
    'RS256 by an untrusted key': rs256(c, other.rsa.privateKey),
    'ES256 by an untrusted key': es256(c, other.ec.privateKey),
    'HS256 with the wrong secret': hs256(c, 'not-the-secret'),
    'HS512 header': hmacToken({ alg: 'HS512', typ: 'JWT' }, c, TEST_VARS.JWT_SECRET),
    expired: token(ANA, { exp: now - 120, iat: now - 3720, nbf: now - 3720 }),
    'not yet valid': token(ANA, { nbf: now + 600 }),
    'exp as a string': token(ANA, { exp: String(now + 3600) }),
    'no exp': hs256({ ...c, exp: undefined }, TEST_VARS.JWT_SECRET),
    'wrong issuer': token(ANA, { iss: 'someone-else' }),
    'wrong audience': token(ANA, { aud: 'another-api' }),
    'audience list without ours': token(ANA, { aud: ['a', 'b'] }),
    'no email': hs256({ ...c, email: undefined, sub: undefined }, TEST_VARS.JWT_SECRET),
    'tampered payload (eve becomes ana)': withPayload(eves, c),
    'tampered payload (exp extended)': withPayload(token(ANA, { exp: now - 120 }), { ...c, exp: now + 9999 }),
    'signature of another token': `${good.split('.').slice(0, 2).join('.')}.${eves.split('.')[2]}`,
    'four parts': `${good}.x`,
    'two parts': good.split('.').slice(0, 2).join('.'),
    'not base64': 'a$b.c%d.e^f',
    'header not JSON': `${Buffer.from('nope').toString('base64url')}.${good.split('.')[1]}.${good.split('.')[2]}`,
    'huge token': `${good.split('.')[0]}.${'A'.repeat(60_000)}.${good.split('.')[2]}`,
  };
}

describe('JWT attacks on every endpoint', () => {
  test('each forged or invalid token is 401 everywhere and changes nothing', async () => {
    const ana = token(ANA);
    const s = await newSession(ana);
    const before = await stateOf(ana, s.sessionId);
    let tried = 0;
    for (const [what, forged] of Object.entries(forgedTokens())) {
      for (const [name, call] of endpoints(s.sessionId, s.uploads[0].imageId)) {
        const r = await call(forged);
        tried++;
        assert.equal(r.status, 401, `${what} on ${name}: ${r.text}`);
        assert.equal(r.json?.error?.code, 'unauthorized', `${what} on ${name}`);
      }
    }
    // No credentials at all, and the wrong schemes.
    for (const header of [undefined, 'Basic YW5hOng=', 'Bearer', 'Bearer  ', `Token ${ana}`]) {
      for (const [name, call] of endpoints(s.sessionId, s.uploads[0].imageId).filter(([n]) => !n.includes('access_token'))) {
        const r = await call(undefined, header === undefined ? {} : { authorization: header });
        tried++;
        assert.equal(r.status, 401, `${header} on ${name}`);
      }
    }
    assert.deepEqual(await stateOf(ana, s.sessionId), before);
    console.log(`jwt: ${tried} forged requests refused`);
  });

  test('the same claims, properly signed, are accepted (the refusals were the forgery alone)', async () => {
    const c = claimsFor(ANA);
    for (const t of [token(ANA), rs256(c, keys.rsa.privateKey), es256(c, keys.ec.privateKey)]) {
      assert.equal((await raw('GET', '/image-edit/sessions', t)).status, 200);
    }
  });
});

describe("another user's session", () => {
  test('read, stream, report and upload on a session of another user are 403 and change nothing', async () => {
    const ana = token(ANA);
    const eve = token(EVE);
    const s = await newSession(ana);
    const before = await stateOf(ana, s.sessionId);
    const id = s.uploads[0].imageId;
    assert.equal((await raw('GET', `/image-edit/${s.sessionId}`, eve)).status, 403);
    assert.equal((await raw('GET', `/image-edit/progress/${s.sessionId}`, eve)).status, 403);
    assert.equal((await raw('GET', `/image-edit/progress/${s.sessionId}?access_token=${eve}`)).status, 403);
    for (const report of [
      { imageId: id, status: 'queued', progress: 0 },
      { imageId: id, status: 'processing', progress: 50, message: 'x' },
      { imageId: id, status: 'error', progress: 0, message: 'x', error: 'forged' },
      { imageId: id, status: 'complete', progress: 100, result: { width: 1, height: 1 } },
    ]) {
      const r = await raw('POST', `/image-edit/${s.sessionId}/progress`, eve, report);
      assert.equal(r.status, 403, `report ${report.status}: ${r.text}`);
    }
    // Eve's own signed upload URL, re-pointed at Ana's session (every way of writing the path).
    const mine = await newSession(eve, bulk(1));
    const u = mine.uploads[0];
    const prefix = `/uploads/${encodeURIComponent(EVE).replace(/%40/g, '@')}/${mine.sessionId}/`;
    assert.ok(u.url.includes(prefix), u.url);
    const victimKey = s.uploads[0].key.split('/').map(encodeURIComponent).join('/');
    for (const forged of [
      u.url.replace(prefix, `/uploads/${encodeURIComponent(ANA)}/${s.sessionId}/`),
      u.url.replace(/\/uploads\/[^?]+/, `/uploads/${victimKey}`),
      u.url.replace(prefix, `${prefix}../../../${encodeURIComponent(ANA)}/${s.sessionId}/`),
      u.url.replace(prefix, `${prefix}%2e%2e/%2e%2e/${encodeURIComponent(ANA)}/${s.sessionId}/`),
    ]) {
      const put = await fetch(forged, { method: 'PUT', headers: { 'content-type': u.contentType }, body: imageFor(u.contentType) });
      assert.ok([403, 404].includes(put.status), `${forged}: ${put.status}`);
    }
    // Ana's completion must still need her upload: nothing was written for her.
    const done = await raw('POST', `/image-edit/${s.sessionId}/progress`, ana, { imageId: id, status: 'complete', progress: 100, result: { width: 1, height: 1 } });
    assert.equal(done.status, 409, done.text);
    assert.deepEqual(await stateOf(ana, s.sessionId), before);
  });

  test('session ids of odd shapes are refused cleanly on every endpoint (never 500)', async () => {
    const ana = token(ANA);
    const wrong = [];
    for (const sid of ['00000000000000000000000000000000', 'ses_000000000000000000000000', 'x'.repeat(5000), 'a..b', '%2e%2e%2fsessions', 'a%00b', "1'%20OR%20'1'='1", '%F0%9F%99%82']) {
      for (const [name, call] of endpoints(sid, 'img_0').filter(([n]) => n.includes(':id') || n.includes('progress'))) {
        const r = await call(ana);
        if (![400, 403, 404].includes(r.status)) wrong.push(`${name} ${sid.slice(0, 20)}: ${r.status} ${r.text?.slice(0, 200)}`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});

describe('signed upload URLs', () => {
  test('a changed key, content type, size or expiry is 403; the stored result stays', async () => {
    const ana = token(ANA);
    const s = await newSession(ana, bulk(1));
    const u = s.uploads[0];
    const ct = { 'content-type': u.contentType };
    const first = await fetch(u.url, { method: 'PUT', headers: ct, body: imageFor(u.contentType) });
    assert.equal(first.status, 201);
    const stored = await first.json();
    const evil = Buffer.concat([imageFor(u.contentType), Buffer.from('evil')]);
    const changes = {
      'key (file name)': [/\/([^/?]+)\?/, '/other.png?'],
      'key (session)': [new RegExp(s.sessionId), crypto.randomUUID().replace(/-/g, '')],
      'content type': [/ct=[^&]+/, 'ct=text%2Fhtml'],
      'size limit': [/max=\d+/, 'max=999999999'],
      expiry: [/exp=\d+/, `exp=${Math.floor(Date.now() / 1000) + 86_400 * 365}`],
      'image id': [/img=[^&]+/, 'img=img_9'],
      tags: [/tags=[^&]+/, 'tags=admin'],
      'signature dropped': [/&sig=[^&]+/, ''],
      'signature truncated': [/sig=([^&]{10})[^&]*/, 'sig=$1'],
      'second sig parameter': [/$/, '&sig=AAAA'],
    };
    for (const [what, [from, to]] of Object.entries(changes)) {
      const url = u.url.replace(from, to);
      assert.notEqual(url, u.url, what);
      const r = await fetch(url, { method: 'PUT', headers: what === 'content type' ? { 'content-type': 'text/html' } : ct, body: evil });
      assert.equal(r.status, 403, `${what}: ${r.status}`);
    }
    // The result is what Ana uploaded, not what the attacks sent.
    const back = await fetch(stored.url);
    assert.deepEqual(Buffer.from(await back.arrayBuffer()), imageFor(u.contentType));
    // A read URL is not an upload URL and vice versa.
    const putOnRead = await fetch(stored.url, { method: 'PUT', headers: ct, body: evil });
    assert.ok([403, 404, 405].includes(putOnRead.status), String(putOnRead.status));
    const asRead = u.url.replace('/uploads/', '/results/');
    assert.equal((await fetch(asRead)).status, 403);
  });

  test('an upload URL replayed past its expiry is refused and overwrites nothing', async () => {
    const ana = token(ANA);
    const s = await newSession(ana, bulk(1));
    const u = s.uploads[0];
    const expires = Math.floor(Date.now() / 1000) + 2;
    const url = signPut(worker.url, TEST_VARS.UPLOAD_SECRET, { key: u.key, contentType: u.contentType, maxBytes: u.maxBytes, imageId: u.imageId, tags: u.tags.join(','), expires });
    const ok = await fetch(url, { method: 'PUT', headers: { 'content-type': u.contentType }, body: imageFor(u.contentType) });
    assert.equal(ok.status, 201);
    const stored = await ok.json();
    await new Promise((r) => setTimeout(r, Math.max(0, expires * 1000 - Date.now()) + 1100));
    const replay = await fetch(url, { method: 'PUT', headers: { 'content-type': u.contentType }, body: Buffer.from('replayed') });
    assert.equal(replay.status, 410);
    assert.equal((await replay.json()).error.code, 'expired');
    assert.deepEqual(Buffer.from(await (await fetch(stored.url)).arrayBuffer()), imageFor(u.contentType));
  });

  test('bodies over the signed size, with a lying length, or of another type are refused', async () => {
    const ana = token(ANA);
    const s = await newSession(ana, bulk(1));
    const u = s.uploads[0];
    const put = (headers, body) => fetch(u.url, { method: 'PUT', headers, body });
    assert.equal((await put({ 'content-type': u.contentType }, Buffer.alloc(u.maxBytes + 1))).status, 413);
    assert.equal((await put({ 'content-type': 'text/html' }, PNG_1x1)).status, 415);
    // Streamed in chunks with no length: 411, whatever its size.
    const chunked = await fetch(u.url, {
      method: 'PUT', headers: { 'content-type': u.contentType }, duplex: 'half',
      body: new ReadableStream({ start(c) { c.enqueue(Buffer.alloc(u.maxBytes)); c.enqueue(Buffer.alloc(u.maxBytes)); c.close(); } }),
    });
    assert.equal(chunked.status, 411);
    // Nothing was stored: completing still needs the upload.
    const done = await raw('POST', `/image-edit/${s.sessionId}/progress`, ana, { imageId: u.imageId, status: 'complete', progress: 100, result: { width: 1, height: 1 } });
    assert.equal(done.status, 409);
  });
});

describe('hostile bodies', () => {
  const nested = (depth) => '['.repeat(depth) + ']'.repeat(depth);
  const nestedObj = (depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  test('oversized, malformed and deeply nested JSON is 400/413 on every JSON endpoint, never 500', async () => {
    const ana = token(ANA);
    const s = await newSession(ana);
    const before = await stateOf(ana, s.sessionId);
    // The body limits of worker/src/app/mod.rs.
    const LIMITS = { '/image-edit': 256 * 1024, '/image-edit/:id/progress': 64 * 1024, '/v1/commands:parse': 16 * 1024, '/auth/dev-login': 4096 };
    const targets = [
      ['/image-edit', ana],
      [`/image-edit/${s.sessionId}/progress`, ana],
      ['/v1/commands:parse', ana],
      ['/auth/dev-login', undefined],
    ];
    const bodies = {
      'empty': ['', 400],
      'not JSON': ['images=1&operation=2', 400],
      'truncated': ['{"images": [', 400],
      'trailing garbage': ['{"command": "rotate 90"} x', 400],
      'a bare string': ['"rotate 90"', 400],
      'null': ['null', 400],
      'an array': ['[1,2,3]', 400],
      'nested arrays 100k deep': [nested(100_000), 400],
      'nested objects 10k deep': [nestedObj(10_000), 400],
      'nested 200 deep inside a field': [`{"command": ${nested(200)}}`, 400],
      'number 1e999': ['{"command": "x", "imageCount": 1e999}', 400],
      'lone surrogate': ['{"command": "\\ud800 rotate"}', 400],
      'NUL bytes': ['{"command": "rotate\\u0000 90", "email": "a\\u0000@x.io"}', 400],
      'invalid UTF-8': [Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 400],
      'duplicate keys': ['{"command": "rotate 90", "command": "flip"}', 400],
      '__proto__ key': ['{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}', 400],
      'oversized (300 kB)': [JSON.stringify({ command: 'x'.repeat(300_000) }), 413],
      'oversized (5 MB)': [JSON.stringify({ pad: 'x'.repeat(5_000_000) }), 413],
    };
    let tried = 0;
    for (const [path, t] of targets) {
      for (const [what, [body, want]] of Object.entries(bodies)) {
        const r = await raw('POST', path, t, body, { 'content-type': 'application/json' });
        tried++;
        // Each endpoint has its own body limit; past it, 413 comes before any parsing.
        const acceptable = body.length > LIMITS[path.replace(/ses_\w+/, ':id')] ? [413] : [want];
        if (what === 'duplicate keys' || what === 'NUL bytes' || what === 'lone surrogate' || what === 'number 1e999') acceptable.push(200, 202);
        assert.ok(acceptable.includes(r.status), `${what} → ${path}: ${r.status} ${r.text?.slice(0, 200)}`);
        assert.ok(r.status < 500);
        if (r.status >= 400) assert.equal(typeof r.json?.error?.code, 'string', `${what} → ${path}: ${r.text?.slice(0, 200)}`);
      }
    }
    // A body with no length, streamed past the limit.
    const streamed = await fetch(`${worker.url}/v1/commands:parse`, {
      method: 'POST', duplex: 'half', headers: { authorization: `Bearer ${ana}`, 'content-type': 'application/json' },
      body: new ReadableStream({ start(c) { for (let i = 0; i < 40; i++) c.enqueue(Buffer.alloc(16_384, 0x20)); c.close(); } }),
    });
    assert.equal(streamed.status, 413);
    const after = await stateOf(ana, s.sessionId);
    // Reports that were well-formed by accident (NUL bytes…) must not have touched Ana's session either.
    assert.deepEqual(after.snap, before.snap);
    assert.deepEqual(after.events, before.events);
    console.log(`hostile bodies: ${tried + 1} requests, none a 5xx`);
  });

  test('an image list far over the limit and absurd field sizes are refused', async () => {
    const ana = token(ANA);
    const imgs = Array.from({ length: 1000 }, (_, i) => ({ id: `i${i}`, name: 'a.jpg' }));
    const r = await raw('POST', '/image-edit', ana, { images: imgs, operation: { type: 'bulk', bulkOp: { type: 'rotate', params: { degrees: 90 } } } });
    assert.equal(r.status, 400);
    const longName = await raw('POST', '/image-edit', ana, { images: [{ id: 'a', name: `${'x'.repeat(20_000)}.jpg` }], operation: { type: 'bulk', bulkOp: { type: 'rotate', params: { degrees: 90 } } } });
    assert.ok([400, 202].includes(longName.status), longName.text);
    if (longName.status === 202) assert.ok(longName.json.uploads[0].key.length < 1100, 'a key stays within R2 limits');
    const traversal = await raw('POST', '/image-edit', ana, { images: [{ id: '../../x', name: '../../../etc/passwd' }], operation: { type: 'bulk', bulkOp: { type: 'rotate', params: { degrees: 90 } } } });
    assert.ok([400, 202].includes(traversal.status), traversal.text);
    if (traversal.status === 202) {
      const key = traversal.json.uploads[0].key;
      assert.ok(key.startsWith(`${ANA}/${traversal.json.sessionId}/`) && !key.includes('..'), key);
    }
  });
});

describe('LLM replies that try to escape validation', () => {
  const hostile = {
    'a tool name in other case': [{ name: 'Resize', arguments: { width: 800 } }],
    'a tool name with spaces': [{ name: ' rotate ', arguments: { degrees: 90 } }],
    'a prototype-polluting tool': [{ name: '__proto__', arguments: { polluted: true } }],
    'constructor arguments': [{ name: 'resize', arguments: { width: 800, constructor: { prototype: { admin: true } } } }],
    'arguments as an array': [{ name: 'rotate', arguments: [90] }],
    'arguments as a number': [{ name: 'rotate', arguments: '90' }],
    'arguments that close the JSON early': [{ name: 'rotate', arguments: '{"degrees": 90}}, {"tool": "exec"' }],
    'deeply nested arguments': [{ name: 'rotate', arguments: `{"degrees": ${'['.repeat(5000)}${']'.repeat(5000)}}` }],
    'a megabyte of arguments': [{ name: 'add_text', arguments: { text: 'x'.repeat(1_000_000) } }],
    'text over the limit': [{ name: 'add_text', arguments: { text: 'x'.repeat(501) } }],
    'a prompt over the limit': [{ name: 'generate_with_llm', arguments: { prompt: 'p'.repeat(2001) } }],
    'too many calls': Array.from({ length: 40 }, () => ({ name: 'rotate', arguments: { degrees: 90 } })),
    'a target for another image': [{ name: 'rotate', arguments: { degrees: 90, imageId: 'someone-elses', applyToAll: false } }],
    'NaN and Infinity': [{ name: 'resize', arguments: '{"width": NaN, "height": Infinity}' }],
    'a huge number': [{ name: 'resize', arguments: { width: 1e308 } }],
    'a negative zero quality': [{ name: 'adjust_quality', arguments: { quality: -0.0001 } }],
    'a colour that is CSS injection': [{ name: 'add_border', arguments: { width: 10, color: 'red; background: url(http://evil)' } }],
  };
  for (const [what, calls] of Object.entries(hostile)) {
    test(`${what}: refused by validation, then the rules answer`, async () => {
      const t = token('llm-sec@x.io');
      llm.script([toolCalls(calls), toolCalls(calls)]);
      const r = await api('POST', '/v1/commands:parse', { token: t, body: { command: 'rotate 90 degrees' } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.parser, 'rules', `${what}: ${JSON.stringify(r.json.toolCalls).slice(0, 300)}`);
      assert.equal(typeof r.json.llmError, 'string');
      assert.deepEqual(r.json.toolCalls.map((c) => c.tool), ['rotate']);
      // What the client acts on (llmError may quote the refused reply, as data).
      const text = JSON.stringify([r.json.toolCalls, r.json.unparsed, r.json.notes]);
      for (const bad of ['evil', 'exec', '__proto__', 'someone-elses', 'admin']) assert.ok(!text.includes(bad), `${what}: ${bad} leaked`);
      // parser "llm" demands the LLM: a 502, not a way in.
      llm.script([toolCalls(calls), toolCalls(calls)]);
      const strict = await api('POST', '/v1/commands:parse', { token: t, body: { command: 'rotate 90 degrees', parser: 'llm' } });
      assert.equal(strict.status, 502);
      assert.equal(strict.json.error.code, 'llm_failed');
    });
  }

  test('a hostile reply on POST /image-edit starts the session from the rules, never from the reply', async () => {
    const t = token('llm-sec2@x.io');
    llm.script([toolCalls([{ name: 'exec', arguments: { cmd: 'rm -rf /' } }]), toolCalls([{ name: 'resize', arguments: { width: -1 } }])]);
    const r = await api('POST', '/image-edit', { token: t, body: { images: images(1), operation: { type: 'command', command: 'flip it upside down' } } });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.json.parser, 'rules');
    assert.deepEqual(r.json.toolCalls.map((c) => c.tool), ['flip']);
  });
});

describe('stored results are real images, written once, with the facts the server measured', () => {
  const put = (u, body, contentType = u.contentType) => fetch(u.url, { method: 'PUT', headers: { 'content-type': contentType }, body });

  test('a 0-byte body, an HTML page sent as an image, or an image of another type is refused', async () => {
    const s = await newSession(token(ANA), bulk(1));
    const u = s.uploads[0];
    const empty = await put(u, Buffer.alloc(0));
    assert.equal(empty.status, 400);
    assert.equal((await empty.json()).error.code, 'invalid_image');
    const html = await put(u, Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>'));
    assert.equal(html.status, 400);
    assert.match((await html.json()).error.message, /HTML or JSON document, not an image/);
    const other = await put(u, u.contentType === 'image/png' ? imageFor('image/jpeg') : PNG_1x1);
    assert.equal(other.status, 415);
    assert.match((await other.json()).error.message, /^the body is a (PNG|JPEG) image, but this URL takes image\//);
    // None of them was stored: the real upload still works, once.
    assert.equal((await put(u, imageFor(u.contentType))).status, 201);
  });

  test('an upload URL writes once: a replay after completion is 409 and changes nothing', async () => {
    const ana = token(ANA);
    const s = await newSession(ana, bulk(1));
    const u = s.uploads[0];
    const good = imageFor(u.contentType);
    const first = await put(u, good);
    assert.equal(first.status, 201);
    const stored = await first.json();
    const done = await raw('POST', `/image-edit/${s.sessionId}/progress`, ana, { imageId: u.imageId, status: 'complete', progress: 100 });
    assert.equal(done.status, 200, done.text);
    const replay = await put(u, good.subarray(0, good.length - 10));
    assert.equal(replay.status, 409);
    assert.match((await replay.json()).error.message, /writes once/);
    assert.deepEqual(Buffer.from(await (await fetch(stored.url)).arrayBuffer()), good);
  });

  test('two uploads racing to one URL: exactly one is stored', async () => {
    const s = await newSession(token(ANA), bulk(1));
    const u = s.uploads[0];
    const codes = (await Promise.all(Array.from({ length: 6 }, () => put(u, imageFor(u.contentType))))).map((r) => r.status).sort();
    assert.deepEqual(codes, [201, 409, 409, 409, 409, 409]);
  });

  test('a completion that claims another size and dimensions records what was stored', async () => {
    const ana = token(ANA);
    const s = await newSession(ana, bulk(1));
    const u = s.uploads[0];
    const good = imageFor(u.contentType);
    const stored = await (await put(u, good)).json();
    const r = await raw('POST', `/image-edit/${s.sessionId}/progress`, ana, {
      imageId: u.imageId, status: 'complete', progress: 100, result: { size: 5_000_000, width: 9999, height: 9999 },
    });
    assert.equal(r.status, 200, r.text);
    const result = (await api('GET', `/image-edit/${s.sessionId}`, { token: ana })).json.results[0];
    assert.equal(result.size, good.length);
    assert.equal(result.width, 1);
    assert.equal(result.height, 1);
    assert.equal(result.etag, stored.etag);
  });
});

/** A request with a Host header of our choosing (fetch cannot set one). */
function withHost(host, method, path, { token: t, body } = {}) {
  const { port } = new URL(worker.url);
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, method, path,
      headers: { host, ...(t ? { authorization: `Bearer ${t}` } : {}), ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) },
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

describe('headers and origin', () => {
  test('the page: a strict CSP (no inline script, wasm allowed), never framed, no referrer, cross-origin isolated', async () => {
    const r = await fetch(`${worker.url}/`);
    assert.equal(r.status, 200);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(r.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(r.headers.get('cross-origin-embedder-policy'), 'require-corp');
    const apiAnswer = await fetch(`${worker.url}/v1/openapi.json`);
    assert.equal(apiAnswer.headers.get('x-content-type-options'), 'nosniff');
    assert.match(apiAnswer.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  });

  test('a stored result is served sandboxed, unsniffed, with its file name', async () => {
    const s = await newSession(token(ANA), bulk(1));
    const u = s.uploads[0];
    const stored = await (await fetch(u.url, { method: 'PUT', headers: { 'content-type': u.contentType }, body: imageFor(u.contentType) })).json();
    const r = await fetch(stored.url);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-security-policy'), 'sandbox');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('content-disposition'), `inline; filename="${u.key.split('/').pop()}"`);
  });

  test('Host: evil.example gets no signed URLs on evil.example, and no dev sign-in', async () => {
    const r = await withHost('evil.example', 'POST', '/image-edit', { token: token(ANA), body: bulk(1) });
    assert.doesNotMatch(r.text, /evil\.example/);
    assert.equal(r.status, 503, r.text);
    assert.equal(JSON.parse(r.text).error.code, 'not_configured');
    const login = await withHost('evil.example', 'POST', '/auth/dev-login', { body: { email: 'x@y.io' } });
    assert.equal(login.status, 404, login.text);
    // On this machine's own origin, both work.
    assert.equal((await withHost(new URL(worker.url).host, 'POST', '/auth/dev-login', { body: { email: 'x@y.io' } })).status, 200);
  });
});

describe('progress streams', () => {
  async function finishedSession(t) {
    const s = await newSession(t, bulk(1));
    const u = s.uploads[0];
    const r = await raw('POST', `/image-edit/${s.sessionId}/progress`, t, { imageId: u.imageId, status: 'error', progress: 0, message: 'x', error: 'failed here' });
    assert.equal(r.status, 200, r.text);
    return s;
  }

  test('a finished session replays its events once, then answers 204 so EventSource stops', async () => {
    const t = token(ANA);
    const s = await finishedSession(t);
    const url = `${worker.url}${s.progressUrl}`;
    const first = await listen(url, { token: t }).done;
    assert.equal(first.status, 200);
    const last = first.events.at(-1);
    assert.equal(last.event, 'error');
    const again = await listen(url, { token: t, lastEventId: last.id }).done;
    assert.equal(again.status, 204);
    // A Last-Event-ID that is not a plain number is treated as none: the whole log again.
    for (const bad of ['abc', '-1', '1e9', '9'.repeat(40)]) {
      const r = await listen(url, { token: t, lastEventId: bad }).done;
      assert.equal(r.status, 200, bad);
      assert.equal(r.events[0].id, 1, bad);
    }
  });

  test('at most 8 streams per session (429 past that), and a heartbeat comment while idle', async () => {
    const t = token(ANA);
    const s = await newSession(t, bulk(1));
    const url = `${worker.url}${s.progressUrl}`;
    const controllers = [];
    const open = async () => {
      const c = new AbortController();
      controllers.push(c);
      return fetch(url, { headers: { authorization: `Bearer ${t}` }, signal: c.signal });
    };
    try {
      const streams = [];
      for (let i = 0; i < 8; i++) streams.push(await open());
      assert.deepEqual(streams.map((r) => r.status), Array(8).fill(200));
      const ninth = await open();
      assert.equal(ninth.status, 429);
      assert.equal((await ninth.json()).error.code, 'too_many_streams');
      assert.ok(Number(ninth.headers.get('retry-after')) > 0);
      // The first stream, idle, gets heartbeats (SSE_HEARTBEAT_MS is 400 here; 15 s by default).
      const reader = streams[0].body.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const until = Date.now() + 5000;
      while (!text.includes(': heartbeat') && Date.now() < until) text += decoder.decode((await reader.read()).value ?? new Uint8Array(), { stream: true });
      assert.match(text, /^: heartbeat$/m);
      // Closing one frees a place (once the server notices: at its next heartbeat at the latest).
      controllers[1].abort();
      let again;
      for (const until = Date.now() + 10_000; Date.now() < until;) {
        again = await open();
        if (again.status === 200) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(again.status, 200);
    } finally {
      for (const c of controllers) c.abort();
    }
  });
});

test('progress reports are rate-limited per session (429 with Retry-After), but an image\'s last report never is', async () => {
  const t = token(ANA);
  const s = await newSession(t, bulk(1));
  const u = s.uploads[0];
  const statuses = [];
  // Windows are 10 s: 400 reports cannot all fit under 120 per window however they straddle them.
  for (let i = 0; i < 400; i++) {
    const r = await raw('POST', `/image-edit/${s.sessionId}/progress`, t, { imageId: u.imageId, status: 'processing', progress: i % 100, message: `step ${i}` });
    statuses.push(r.status);
    if (r.status === 429) {
      assert.equal(r.json.error.code, 'rate_limited');
      assert.match(r.json.error.message, /try again in [1-9]\d* s/);
      break;
    }
  }
  assert.equal(statuses.at(-1), 429, `no 429 after ${statuses.length} reports`);
  assert.ok(statuses.slice(0, -1).every((c) => c === 200));
  // The image's last report is never refused: the session can still end.
  const end = await raw('POST', `/image-edit/${s.sessionId}/progress`, t, { imageId: u.imageId, status: 'error', progress: 0, message: 'x', error: 'stopped' });
  assert.equal(end.status, 200, end.text);
  assert.equal(end.json.status, 'error');
});
