// The worker's HTTP API on local workerd (wrangler dev), with the deterministic parser only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startWorker } from '../support/worker.mjs';
import { algNone, claimsFor, es256, hs256, keyPairs, rs256 } from '../support/jwt.mjs';
import { client, devToken, imageFor, listen, PNG_1x1, signPut, TEST_VARS } from './helpers.mjs';

const keys = keyPairs();
let worker;
let api;

before(async () => {
  worker = await startWorker({ vars: { ...TEST_VARS, JWKS: JSON.stringify(keys.jwks) } });
  api = client(worker.url);
});
after(async () => { await worker?.stop(); });

const token = (email, extra) => hs256(claimsFor(email, extra), TEST_VARS.JWT_SECRET);
const images = (n, prefix = 'img') => Array.from({ length: n }, (_, i) => ({ id: `${prefix}_${i}`, name: `photo ${i}.jpg`, size: 1000 + i, type: 'image/jpeg', tags: ['holiday'] }));
const bulk = (n = 1, bulkOp = { type: 'rotate', params: { degrees: 90 } }, options) => ({ images: images(n), operation: { type: 'bulk', bulkOp }, ...(options ? { options } : {}) });

async function newSession(t, body = bulk(2)) {
  const r = await api('POST', '/image-edit', { token: t, body });
  assert.equal(r.status, 202, r.text);
  return r.json;
}

async function upload(u, bytes = imageFor(u.contentType)) {
  return fetch(u.url, { method: 'PUT', headers: { 'content-type': u.contentType }, body: bytes });
}

describe('auth', () => {
  const probe = (t, headers) => api('GET', '/image-edit/sessions', { token: t, headers });

  test('missing, malformed and wrong-scheme credentials are 401', async () => {
    for (const headers of [{}, { authorization: 'Bearer' }, { authorization: 'Basic YTpi' }, { authorization: 'Bearer not.a.jwt' }]) {
      const r = await probe(undefined, headers);
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.equal(r.json.error.code, 'unauthorized');
      assert.equal(r.headers.get('www-authenticate'), 'Bearer');
    }
  });

  test('expired, not yet valid, wrong audience, wrong issuer, no email are 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const extra of [{ exp: now - 120 }, { nbf: now + 3600 }, { aud: 'someone-else' }, { iss: 'evil' }, { email: undefined }]) {
      const r = await probe(token('a@x.io', extra));
      assert.equal(r.status, 401, JSON.stringify(extra));
    }
  });

  test('tampered tokens, alg none and algorithm confusion are 401', async () => {
    const good = token('ana@x.io');
    const [h, , s] = good.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify(claimsFor('boss@x.io'))).toString('base64url')}.${s}`;
    assert.equal((await probe(forged)).status, 401);
    assert.equal((await probe(algNone(claimsFor('ana@x.io')))).status, 401);
    assert.equal((await probe(hs256(claimsFor('ana@x.io'), 'wrong-secret'))).status, 401);
    // HS256 keyed with the public RSA key (the classic confusion attack).
    const pem = keys.rsa.publicKey.export({ type: 'spki', format: 'pem' });
    assert.equal((await probe(hs256(claimsFor('ana@x.io'), pem, { kid: 'rsa-1' }))).status, 401);
    assert.equal((await probe(hs256(claimsFor('ana@x.io'), JSON.stringify(keys.rsaJwk), { kid: 'rsa-1' }))).status, 401);
  });

  test('HS256, RS256 and ES256 tokens are accepted; the user is the email claim', async () => {
    assert.equal((await probe(token('ana@x.io'))).status, 200);
    assert.equal((await probe(rs256(claimsFor('ana@x.io'), keys.rsa.privateKey))).status, 200);
    assert.equal((await probe(es256(claimsFor('ana@x.io'), keys.ec.privateKey))).status, 200);
    // An RS256 token signed by a key not in the JWKS.
    const stranger = keyPairs();
    assert.equal((await probe(rs256(claimsFor('ana@x.io'), stranger.rsa.privateKey))).status, 401);
  });

  test('development sign-in returns a working token and checks the email', async () => {
    const r = await api('POST', '/auth/dev-login', { body: { email: 'Dev@Example.com' } });
    assert.equal(r.status, 200);
    assert.equal(r.json.email, 'dev@example.com');
    assert.equal((await probe(r.json.token)).status, 200);
    const bad = await api('POST', '/auth/dev-login', { body: { email: 'not an email' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.field, 'email');
  });
});

describe('POST /image-edit', () => {
  test('a bulk operation starts a session with validated tool calls and signed uploads', async () => {
    const t = token('bulk@x.io');
    const s = await newSession(t, bulk(2, { type: 'format', params: { format: 'webp' } }, { quality: 80 }));
    assert.match(s.sessionId, /^ses_[0-9a-f]{24}$/);
    assert.equal(s.status, 'processing');
    assert.equal(s.progressUrl, `/image-edit/progress/${s.sessionId}`);
    assert.equal(s.estimatedTime > 0, true);
    assert.deepEqual(s.toolCalls, [{ tool: 'convert_format', params: { format: 'webp' }, applyToAll: true }]);
    // No parser ran: the bulk operation's own mapping made the call.
    assert.equal(s.parser, 'bulk');
    assert.equal(s.uploads.length, 2);
    assert.deepEqual(s.uploads.map((u) => u.name), ['photo-0-edited.webp', 'photo-1-edited.webp']);
    assert.equal(s.uploads[0].key, `bulk@x.io/${s.sessionId}/photo-0-edited.webp`);
    assert.equal(s.uploads[0].contentType, 'image/webp');
    assert.deepEqual(s.uploads[0].tags, ['holiday', 'edited']);
  });

  test('every bulk type maps to its tool; bad params name the exact field', async () => {
    const t = token('bulk2@x.io');
    for (const [bulkOp, tool] of [
      [{ type: 'resize', params: { scale: 0.5 } }, 'resize'],
      [{ type: 'flip', params: { direction: 'horizontal' } }, 'flip'],
      [{ type: 'filter', params: { filter: 'grayscale' } }, 'apply_filter'],
    ]) {
      assert.equal((await newSession(t, bulk(1, bulkOp))).toolCalls[0].tool, tool);
    }
    const r = await api('POST', '/image-edit', { token: t, body: bulk(1, { type: 'resize', params: { width: 999999 } }) });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'operation.bulkOp.params.width');
  });

  test('0 and 51 images are refused; 50 are fine', async () => {
    const t = token('count@x.io');
    for (const n of [0, 51]) {
      const r = await api('POST', '/image-edit', { token: t, body: bulk(n) });
      assert.equal(r.status, 400, `${n} images`);
      assert.equal(r.json.error.code, 'invalid_field');
      assert.equal(r.json.error.field, 'images');
    }
    assert.equal((await newSession(t, bulk(50))).uploads.length, 50);
  });

  test('malformed JSON, wrong shapes and oversized bodies are refused with the right status', async () => {
    const t = token('bad@x.io');
    const r = await api('POST', '/image-edit', { token: t, raw: '{"images": [', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'invalid_json');
    for (const [body, field] of [
      [{ images: images(1) }, 'operation'],
      [{ images: [{ id: 'a' }], operation: { type: 'command', command: 'x' } }, 'images[0].name'],
      [{ images: images(1), operation: { type: 'command', command: '' } }, 'operation.command'],
      [{ images: images(1), operation: { type: 'bulk', bulkOp: { type: 'explode' } } }, 'operation.bulkOp.type'],
      [{ ...bulk(1), options: { quality: 0 } }, 'options.quality'],
      [{ ...bulk(1), options: { outputFormat: 'tiff' } }, 'options.outputFormat'],
    ]) {
      const e = await api('POST', '/image-edit', { token: t, body });
      assert.equal(e.status, 400, JSON.stringify(body));
      assert.equal(e.json.error.field, field);
    }
    const big = await api('POST', '/image-edit', { token: t, raw: JSON.stringify({ images: images(1), pad: 'x'.repeat(300_000) }) });
    assert.equal(big.status, 413);
  });

  test('a command is parsed by the deterministic parser when no LLM is configured', async () => {
    const t = token('cmd@x.io');
    const r = await api('POST', '/image-edit', { token: t, body: { images: images(1), operation: { type: 'command', command: 'rotate 90 degrees' } } });
    if (r.status === 202) {
      assert.equal(r.json.parser, 'rules');
      assert.ok(r.json.toolCalls.length > 0);
    } else {
      // Until the engine's parser understands the command.
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, 'command_not_understood');
      assert.equal(r.json.error.field, 'operation.command');
    }
  });
});

describe('POST /v1/commands:parse', () => {
  test('answers tool calls, the parser and what was not understood', async () => {
    const t = token('parse@x.io');
    const r = await api('POST', '/v1/commands:parse', { token: t, body: { command: 'make it black and white', imageCount: 3 } });
    assert.equal(r.status, 200);
    assert.equal(r.json.parser, 'rules');
    assert.ok(Array.isArray(r.json.toolCalls) && Array.isArray(r.json.unparsed));
    // The rules fallback is the engine's parser with its intent model: the model adds the
    // brightness the rules miss, and says why.
    const lit = await api('POST', '/v1/commands:parse', { token: t, body: { command: 'Significantly increase the lighting' } });
    assert.equal(lit.json.parser, 'rules');
    assert.ok(lit.json.toolCalls.some((c) => c.tool === 'adjust' && c.params.brightness === 20), JSON.stringify(lit.json));
    assert.ok(lit.json.notes.some((n) => n.startsWith('brightness +20 added')), JSON.stringify(lit.json));
    const forced = await api('POST', '/v1/commands:parse', { token: t, body: { command: 'x', parser: 'llm' } });
    assert.equal(forced.status, 502);
    assert.equal(forced.json.error.code, 'llm_failed');
    const bad = await api('POST', '/v1/commands:parse', { token: t, body: { command: 'x', imageCount: 51 } });
    assert.equal(bad.json.error.field, 'imageCount');
    assert.equal((await api('POST', '/v1/commands:parse', { body: { command: 'x' } })).status, 401);
  });

  test('the per-user rate limit answers 429 with Retry-After, for that user only', async () => {
    const t = token('busy@x.io');
    const limit = Number(TEST_VARS.RATE_LIMIT_PER_MINUTE);
    let last;
    for (let i = 0; i <= limit; i++) last = await api('POST', '/v1/commands:parse', { token: t, body: { command: 'rotate 90' } });
    assert.equal(last.status, 429);
    assert.equal(last.json.error.code, 'rate_limited');
    assert.ok(Number(last.headers.get('retry-after')) >= 1);
    const other = await api('POST', '/v1/commands:parse', { token: token('calm@x.io'), body: { command: 'rotate 90' } });
    assert.equal(other.status, 200);
  });
});

describe('sessions and progress', () => {
  test('SSE delivers every event in order to two listeners at once, then ends with complete', async () => {
    const t = token('sse@x.io');
    const s = await newSession(t, bulk(3));
    const url = `${worker.url}${s.progressUrl}`;
    const a = listen(url, { token: t });
    const b = listen(url, { token: t });
    await Promise.all([a.opened, b.opened]);
    const reports = [];
    for (const [i, u] of s.uploads.entries()) {
      reports.push({ imageId: u.imageId, status: 'processing', progress: 10, message: 'decoding' });
      reports.push({ imageId: u.imageId, status: 'processing', progress: 60, message: 'resizing' });
      if (i === 2) reports.push({ imageId: u.imageId, status: 'error', progress: 0, message: 'failed', error: 'decode failed' });
      else {
        assert.equal((await upload(u)).status, 201);
        reports.push({ imageId: u.imageId, status: 'complete', progress: 100, message: 'done', result: { width: 1, height: 1, size: imageFor(u.contentType).length } });
      }
    }
    for (const rep of reports) {
      const r = await api('POST', `/image-edit/${s.sessionId}/progress`, { token: t, body: rep });
      assert.equal(r.status, 200, r.text);
    }
    const [ra, rb] = await Promise.all([a.done, b.done]);
    for (const r of [ra, rb]) {
      assert.equal(r.status, 200);
      assert.deepEqual(r.events.map((e) => e.id), Array.from({ length: reports.length + 2 }, (_, i) => i + 1));
      assert.equal(r.events[0].event, 'session');
      assert.deepEqual(r.events.slice(1, -1).map((e) => [e.data.imageId, e.data.status, e.data.progress]), reports.map((p) => [p.imageId, p.status, p.progress]));
      const last = r.events.at(-1);
      assert.equal(last.event, 'complete');
      assert.equal(last.data.results.length, 2);
      assert.deepEqual(last.data.failed, [s.uploads[2].imageId]);
    }
    assert.deepEqual(ra.events, rb.events);
    // Resuming with Last-Event-ID replays only what came after; a finished stream ends at once.
    const resumed = await listen(url, { token: t, lastEventId: 4 }).done;
    assert.deepEqual(resumed.events.map((e) => e.id), ra.events.filter((e) => e.id > 4).map((e) => e.id));
    // The snapshot and the list agree.
    const snap = await api('GET', `/image-edit/${s.sessionId}`, { token: t });
    assert.equal(snap.json.status, 'complete');
    assert.equal(snap.json.results.length, 2);
    assert.equal(snap.json.lastEventId, reports.length + 2);
    const list = await api('GET', '/image-edit/sessions', { token: t });
    assert.equal(list.json.sessions[0].sessionId, s.sessionId);
    assert.equal(list.json.sessions[0].status, 'complete');
    // Nothing may follow the end.
    const late = await api('POST', `/image-edit/${s.sessionId}/progress`, { token: t, body: reports[0] });
    assert.equal(late.status, 409);
  });

  test('a stream opened by EventSource-style ?access_token works; all-failed ends with error', async () => {
    const t = token('sse2@x.io');
    const s = await newSession(t, bulk(1));
    const l = listen(`${worker.url}${s.progressUrl}?access_token=${t}`);
    await l.opened;
    await api('POST', `/image-edit/${s.sessionId}/progress`, { token: t, body: { imageId: s.uploads[0].imageId, status: 'error', message: 'bad file' } });
    const r = await l.done;
    assert.deepEqual(r.events.map((e) => e.event), ['session', 'progress', 'error']);
  });

  test('complete needs the upload; reports are validated', async () => {
    const t = token('report@x.io');
    const s = await newSession(t, bulk(1));
    const id = s.uploads[0].imageId;
    const early = await api('POST', `/image-edit/${s.sessionId}/progress`, { token: t, body: { imageId: id, status: 'complete', progress: 100 } });
    assert.equal(early.status, 409);
    for (const [body, field] of [
      [{ imageId: 'nope', status: 'processing' }, 'imageId'],
      [{ imageId: id, status: 'finished' }, 'status'],
      [{ imageId: id, status: 'processing', progress: 150 }, 'progress'],
    ]) {
      const r = await api('POST', `/image-edit/${s.sessionId}/progress`, { token: t, body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.json.error.field, field);
    }
    const r = await api('POST', `/image-edit/${s.sessionId}/progress`, { token: t, raw: 'not json' });
    assert.equal(r.json.error.code, 'invalid_json');
  });

  test('sessions are listed newest first, per user; unknown sessions are 404', async () => {
    const t = token('lister@x.io');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await newSession(t, bulk(1))).sessionId);
    const r = await api('GET', '/image-edit/sessions', { token: t });
    assert.deepEqual(r.json.sessions.map((x) => x.sessionId), ids.reverse());
    const none = await api('GET', '/image-edit/sessions', { token: token('nobody@x.io') });
    assert.deepEqual(none.json.sessions, []);
    assert.equal((await api('GET', '/image-edit/ses_000000000000000000000000', { token: t })).status, 404);
    assert.equal((await api('GET', '/image-edit/not-a-session', { token: t })).status, 404);
  });
});

describe('isolation between users', () => {
  test('a user never sees, streams, reports on or writes another user\'s session', async () => {
    const ana = token('ana@x.io');
    const eve = token('eve@x.io');
    const s = await newSession(ana, bulk(1));
    assert.equal((await api('GET', `/image-edit/${s.sessionId}`, { token: eve })).status, 403);
    const stream = await listen(`${worker.url}${s.progressUrl}`, { token: eve }).done;
    assert.equal(stream.status, 403);
    const rep = await api('POST', `/image-edit/${s.sessionId}/progress`, { token: eve, body: { imageId: s.uploads[0].imageId, status: 'processing' } });
    assert.equal(rep.status, 403);
    const list = await api('GET', '/image-edit/sessions', { token: eve });
    assert.ok(!list.json.sessions.some((x) => x.sessionId === s.sessionId));
    // Eve's own upload URL, pointed at Ana's key, fails the signature.
    const mine = await newSession(eve, bulk(1));
    const forged = mine.uploads[0].url.replace(`/uploads/eve@x.io/${mine.sessionId}/`, `/uploads/ana@x.io/${s.sessionId}/`);
    const put = await fetch(forged, { method: 'PUT', headers: { 'content-type': mine.uploads[0].contentType }, body: PNG_1x1 });
    assert.equal(put.status, 403);
  });
});

describe('signed uploads and results', () => {
  test('a result is put, stored with its metadata, and read back through a signed URL', async () => {
    const t = token('up@x.io');
    const s = await newSession(t, bulk(1, { type: 'format', params: { format: 'png' } }));
    const u = s.uploads[0];
    const put = await upload(u);
    assert.equal(put.status, 201);
    const stored = await put.json();
    assert.equal(stored.size, PNG_1x1.length);
    assert.deepEqual(stored.tags, ['holiday', 'edited']);
    const got = await fetch(stored.url);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.deepEqual(JSON.parse(got.headers.get('x-retouch-tags')), ['holiday', 'edited']);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), PNG_1x1);
    const tamperedRead = stored.url.replace(/sig=[^&]+/, 'sig=AAAA');
    assert.equal((await fetch(tamperedRead)).status, 403);
    // The completion event carries the server's result (name, tags, format, a signed URL).
    const r = await api('POST', `/image-edit/${s.sessionId}/progress`, { token: t, body: { imageId: u.imageId, status: 'complete', progress: 100, result: { id: 'r1', width: 1, height: 1 } } });
    assert.equal(r.json.status, 'complete');
    const snap = await api('GET', `/image-edit/${s.sessionId}`, { token: t });
    const res = snap.json.results[0];
    assert.equal(res.name, u.name);
    assert.equal(res.format, 'png');
    assert.deepEqual(res.tags, ['holiday', 'edited']);
    assert.equal((await fetch(res.url)).status, 200);
  });

  test('tampered, expired, wrong-type, oversized and length-less uploads are refused', async () => {
    const t = token('up2@x.io');
    const s = await newSession(t, bulk(1));
    const u = s.uploads[0];
    const put = (url, headers, body = imageFor(u.contentType)) => fetch(url, { method: 'PUT', headers, body });
    const ct = { 'content-type': u.contentType };
    for (const [from, to] of [[/sig=[^&]+/, 'sig=AAAAAAAA'], [/max=\d+/, 'max=999999999'], [/exp=\d+/, 'exp=9999999999'], [/ct=[^&]+/, 'ct=image%2Fpng']]) {
      const r = await put(u.url.replace(from, to), ct);
      assert.equal(r.status, 403, String(from));
    }
    assert.equal((await put(u.url.replace(/\/([^/?]+)\?/, '/other.jpg?'), ct)).status, 403);
    assert.equal((await put(u.url.replace(/&sig=[^&]+/, ''), ct)).status, 403);
    const expired = signPut(worker.url, TEST_VARS.UPLOAD_SECRET, { key: u.key, contentType: u.contentType, maxBytes: u.maxBytes, imageId: u.imageId, tags: u.tags.join(','), expires: Math.floor(Date.now() / 1000) - 1 });
    const e = await put(expired, ct);
    assert.equal(e.status, 410);
    assert.equal((await e.json()).error.code, 'expired');
    // The same URL, signed to expire later, works: the refusal was the expiry alone.
    const fresh = signPut(worker.url, TEST_VARS.UPLOAD_SECRET, { key: u.key, contentType: u.contentType, maxBytes: u.maxBytes, imageId: u.imageId, tags: u.tags.join(','), expires: Math.floor(Date.now() / 1000) + 60 });
    assert.equal((await put(fresh, ct)).status, 201);
    assert.equal((await put(u.url, { 'content-type': 'image/png' })).status, 415);
    assert.equal((await put(u.url, ct, Buffer.alloc(u.maxBytes + 1))).status, 413);
    // A streamed body without Content-Length.
    const chunked = await fetch(u.url, {
      method: 'PUT', headers: ct, duplex: 'half',
      body: new ReadableStream({ start(c) { c.enqueue(imageFor(u.contentType)); c.close(); } }),
    });
    assert.equal(chunked.status, 411);
    // Written once already (by the fresh URL above): a URL for the same key cannot replace it.
    assert.equal((await put(u.url, ct)).status, 409);
  });
});

describe('plumbing', () => {
  test('CORS for the page\'s origin only', async () => {
    const pre = await fetch(`${worker.url}/image-edit`, { method: 'OPTIONS', headers: { origin: 'http://page.test', 'access-control-request-method': 'POST' } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'http://page.test');
    assert.match(pre.headers.get('access-control-allow-headers'), /authorization/);
    const r = await fetch(`${worker.url}/image-edit/sessions`, { headers: { origin: 'http://page.test' } });
    assert.equal(r.headers.get('access-control-allow-origin'), 'http://page.test');
    const evil = await fetch(`${worker.url}/image-edit/sessions`, { headers: { origin: 'http://evil.test' } });
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
  });

  test('unknown paths and methods; the page is served as a static asset', async () => {
    assert.equal((await fetch(`${worker.url}/image-edit`, { method: 'DELETE' })).status, 405);
    const r = await fetch(`${worker.url}/v1/nothing`);
    assert.equal(r.status, 404);
    assert.equal((await r.json()).error.code, 'not_found');
    const m = await fetch(`${worker.url}/v1/commands:parse`);
    assert.equal(m.status, 405);
    const page = await fetch(`${worker.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /html/);
    const doc = await api('GET', '/v1/openapi.json');
    assert.equal(doc.json.openapi, '3.1.0');
  });

  test('the cron trigger purges nothing that is still live', async () => {
    const t = token('cron@x.io');
    const s = await newSession(t, bulk(1));
    const cron = await fetch(`${worker.url}/cdn-cgi/local/scheduled`);
    assert.equal(cron.status, 200);
    const list = await api('GET', '/image-edit/sessions', { token: t });
    assert.equal(list.json.sessions[0].sessionId, s.sessionId);
  });
});

describe("the user's stored results", () => {
  const put = async (u) => {
    const r = await upload(u);
    assert.equal(r.status, 201);
    return r.json();
  };

  test('listed per user, each with a working signed URL; deleted one at a time or a session at once', async () => {
    const ana = token('results-ana@x.io');
    const eve = token('results-eve@x.io');
    const a = await newSession(ana, bulk(2));
    const b = await newSession(ana, bulk(1));
    const e = await newSession(eve, bulk(1));
    for (const u of [...a.uploads, ...b.uploads, ...e.uploads]) await put(u);

    const mine = await api('GET', '/v1/results', { token: ana });
    assert.equal(mine.status, 200, mine.text);
    assert.deepEqual(mine.json.results.map((r) => r.key).sort(), [...a.uploads, ...b.uploads].map((u) => u.key).sort());
    for (const r of mine.json.results) {
      assert.ok([a.sessionId, b.sessionId].includes(r.sessionId));
      assert.ok(r.tags.includes('edited'), JSON.stringify(r));
      assert.equal((await fetch(r.url)).status, 200);
    }
    const onlyB = await api('GET', `/v1/results?sessionId=${b.sessionId}`, { token: ana });
    assert.deepEqual(onlyB.json.results.map((r) => r.key), [b.uploads[0].key]);
    assert.equal((await api('GET', '/v1/results', { token: eve })).json.results.length, 1);
    assert.equal((await api('GET', '/v1/results')).status, 401);

    // Eve cannot delete Ana's result, by its key or its session.
    const anaKey = a.uploads[0].key;
    const path = (key) => `/v1/results/${key.split('/').map(encodeURIComponent).join('/')}`;
    assert.equal((await api('DELETE', path(anaKey), { token: eve })).status, 404);
    assert.equal((await api('DELETE', `/v1/results?sessionId=${a.sessionId}`, { token: eve })).json.deleted, 0);
    assert.equal((await api('GET', '/v1/results', { token: ana })).json.results.length, 3);

    // Ana deletes one, then the rest of that session.
    const one = await api('DELETE', path(anaKey), { token: ana });
    assert.equal(one.status, 204);
    assert.equal((await fetch(mine.json.results.find((r) => r.key === anaKey).url)).status, 404);
    assert.equal((await api('DELETE', path(anaKey), { token: ana })).status, 404);
    const rest = await api('DELETE', `/v1/results?sessionId=${a.sessionId}`, { token: ana });
    assert.deepEqual(rest.json, { deleted: 1 });
    const left = await api('GET', '/v1/results', { token: ana });
    assert.deepEqual(left.json.results.map((r) => r.key), [b.uploads[0].key]);
    assert.equal((await api('DELETE', '/v1/results', { token: ana })).status, 400);
  });
});
