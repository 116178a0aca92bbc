// Generative edits on real workerd: the worker's OpenAI-compatible and Workers AI REST clients
// against a loopback server that edits PNGs for real and also sends every hostile reply (an HTML
// page, a 1 × 1 image, a 20000 × 20000 bomb, a stall, a 500, the wrong shape); one retry on a
// transient failure; the daily quota under 20 concurrent requests; who may edit and read what.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startWorker } from '../support/worker.mjs';
import { startGenerativeServer } from '../support/generative-server.mjs';
import { decodePng, encodePng } from '../support/png.mjs';
import { claimsFor, hs256 } from '../support/jwt.mjs';
import { client, listen, TEST_VARS } from './helpers.mjs';

const TIMEOUT_MS = 1500;
const EDITS_PER_DAY = 8;
let gen;
let openai;
let rest;
let none;

before(async () => {
  gen = await startGenerativeServer();
  const common = { ...TEST_VARS, RATE_LIMIT_PER_MINUTE: '1000', GENERATIVE_TIMEOUT_MS: String(TIMEOUT_MS), EDITS_PER_DAY: String(EDITS_PER_DAY) };
  [openai, rest, none] = await Promise.all([
    startWorker({ vars: { ...common, GENERATIVE_PROVIDER: 'openai', GENERATIVE_BASE_URL: gen.openaiBaseUrl, GENERATIVE_API_KEY: gen.token } }),
    startWorker({ vars: { ...common, GENERATIVE_PROVIDER: 'workers-ai-rest', WORKERS_AI_API_BASE: gen.workersAiApiBase, WORKERS_AI_ACCOUNT_ID: 'acc123', WORKERS_AI_API_TOKEN: gen.token } }),
    startWorker({ vars: common }),
  ]);
});
after(async () => {
  await Promise.all([openai?.stop(), rest?.stop(), none?.stop()]);
  await gen?.stop();
});

const W = 96;
const H = 64;
/** A gradient photo with a red "person" in the middle, and a mask painting exactly that person. */
function photo() {
  const rgba = new Uint8Array(W * H * 4);
  const mask = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 4;
      const person = x >= 40 && x < 56 && y >= 16 && y < 48;
      rgba.set(person ? [220, 20, 20, 255] : [x * 2, y * 3, 120, 255], i);
      mask.set(person ? [255, 255, 255, 0] : [0, 0, 0, 255], i);
    }
  }
  return { image: encodePng({ width: W, height: H, rgba }), mask: encodePng({ width: W, height: H, rgba: mask }), isPerson: (x, y) => x >= 40 && x < 56 && y >= 16 && y < 48 };
}

const token = (email) => hs256(claimsFor(email), TEST_VARS.JWT_SECRET);

async function session(worker, tok, prompt = 'remove the person') {
  const r = await client(worker.url)('POST', '/image-edit', {
    token: tok,
    body: { images: [{ id: 'img_1', name: 'street.png' }], operation: { type: 'toolCalls', toolCalls: [{ tool: 'generate_with_llm', params: { prompt } }] } },
  });
  assert.equal(r.status, 202, r.text);
  return r.json.sessionId;
}

function form({ sessionId, prompt = 'remove the person', image, mask, imageId = 'img_1' }) {
  const f = new FormData();
  if (sessionId !== undefined) f.set('sessionId', sessionId);
  f.set('imageId', imageId);
  if (prompt !== undefined) f.set('prompt', prompt);
  if (image) f.set('image', new Blob([image], { type: 'image/png' }), 'image.png');
  if (mask) f.set('mask', new Blob([mask], { type: 'image/png' }), 'mask.png');
  return f;
}

const edit = (worker, tok, fields) => client(worker.url)('POST', '/v1/images:edit', { token: tok, raw: form(fields) });

for (const [name, getWorker] of [['OpenAI-compatible', () => openai], ['Workers AI REST', () => rest]]) {
  describe(`${name} provider`, () => {
    test('a masked edit: filled from its surroundings, stored in R2, readable by its signed URL, reported on SSE', async () => {
      gen.reset();
      const worker = getWorker();
      const tok = token(`painter-${name.length}@x.io`);
      const sessionId = await session(worker, tok);
      const sse = listen(`${worker.url}/image-edit/progress/${sessionId}`, { token: tok, timeoutMs: 8000 });
      await sse.opened;
      const { image, mask, isPerson } = photo();
      const r = await edit(worker, tok, { sessionId, image, mask });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.width, W);
      assert.equal(r.json.height, H);
      assert.equal(r.json.masked, true);
      assert.equal(r.json.description, 'AI edit: remove the person (painted area)');
      assert.equal(r.json.attempts, 1);
      assert.equal(r.json.quota.limit, EDITS_PER_DAY);
      assert.match(r.json.key, new RegExp(`^painter-\\d+@x\\.io/${sessionId}/ai-img_1-\\d+\\.png$`));
      // What the provider was sent.
      assert.equal(gen.requests.length, 1);
      const sent = gen.requests[0];
      assert.equal(sent.auth, `Bearer ${gen.token}`);
      assert.equal(sent.masked, true);
      assert.equal(sent.prompt, 'remove the person');
      if (name === 'Workers AI REST') {
        assert.equal(sent.path, '/client/v4/accounts/acc123/ai/run/@cf/runwayml/stable-diffusion-v1-5-inpainting');
      } else {
        assert.equal(sent.path, '/v1/images/edits');
        assert.deepEqual([sent.width, sent.height], [W, H]);
      }
      // The stored image: the person is gone, the rest untouched.
      const res = await fetch(r.json.url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png');
      const out = decodePng(new Uint8Array(await res.arrayBuffer()));
      const src = decodePng(image);
      let inside = 0;
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const i = (y * W + x) * 4;
          if (isPerson(x, y)) {
            assert.ok(out.rgba[i] < 200 || out.rgba[i + 1] > 60, `still red at ${x},${y}`);
            inside++;
          } else {
            assert.deepEqual([...out.rgba.subarray(i, i + 4)], [...src.rgba.subarray(i, i + 4)], `changed at ${x},${y}`);
          }
        }
      }
      assert.equal(inside, 16 * 32);
      // The page's SSE stream saw "generating…".
      await client(worker.url)('POST', `/image-edit/${sessionId}/progress`, { token: tok, body: { imageId: 'img_1', status: 'error', message: 'test over', error: 'stop' } });
      const { events } = await sse.done;
      const messages = events.filter((e) => e.event === 'progress').map((e) => e.data.message);
      assert.ok(messages.includes('generating…'), messages.join(' | '));
      assert.ok(messages.includes('AI edit: remove the person (painted area): done'), messages.join(' | '));
    });

    test('no mask: image-to-image, the whole picture changes', async () => {
      gen.reset();
      const worker = getWorker();
      const tok = token(`watercolour-${name.length}@x.io`);
      const sessionId = await session(worker, tok, 'make it look like a watercolour');
      const { image } = photo();
      const r = await edit(worker, tok, { sessionId, image, prompt: 'make it look like a watercolour' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.masked, false);
      assert.equal(r.json.description, 'AI edit: make it look like a watercolour');
      assert.equal(gen.requests[0].masked, false);
      if (name === 'Workers AI REST') assert.match(gen.requests[0].path, /stable-diffusion-v1-5-img2img$/);
    });

    const hostile = [
      ['html', 502, 'generative_bad_reply', /HTML or JSON document/, 1],
      ['tiny', 502, 'generative_placeholder', /1 × 1 placeholder/, 1],
      ['bomb', 502, 'generative_too_large', /20000 × 20000 image, over the editor's limits/, 1],
      ['wrong-size', 502, 'generative_wrong_size', /64 × 200 image for a 96 × 64 photo/, 1],
      ['error500', 502, 'generative_failed', /HTTP 500/, 2],
      ['stall', 504, 'generative_timeout', /did not answer within 2 s/, 2],
    ];
    for (const [mode, status, code, message, attempts] of hostile) {
      test(`hostile reply "${mode}" → ${status} ${code} (${attempts} attempt${attempts > 1 ? 's' : ''})`, async () => {
        gen.reset();
        gen.mode = mode;
        const worker = getWorker();
        const tok = token(`hostile-${mode}-${name.length}@x.io`);
        const sessionId = await session(worker, tok);
        const { image, mask } = photo();
        const r = await edit(worker, tok, { sessionId, image, mask });
        assert.equal(r.status, status, r.text);
        assert.equal(r.json.error.code, code);
        assert.match(r.json.error.message, message);
        assert.equal(gen.requests.length, attempts, 'one retry on transient failures only');
        assert.ok(!r.text.includes(gen.token), 'the key never reaches the page');
      });
    }

    test('a transient 503 then a good answer: the retry succeeds', async () => {
      gen.reset();
      gen.mode = 'flaky';
      const worker = getWorker();
      const tok = token(`flaky-${name.length}@x.io`);
      const sessionId = await session(worker, tok);
      const { image, mask } = photo();
      const r = await edit(worker, tok, { sessionId, image, mask });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.attempts, 2);
      assert.equal(gen.requests.length, 2);
    });
  });
}

describe('requests and limits', () => {
  test('bad requests name the field', async () => {
    const tok = token('fields@x.io');
    const sessionId = await session(openai, tok);
    const { image, mask } = photo();
    const small = encodePng({ width: 10, height: 10, rgba: new Uint8Array(400) });
    const cases = [
      [{ sessionId, image, mask, prompt: '' }, 400, 'prompt'],
      [{ sessionId, mask }, 400, 'image'],
      [{ sessionId, image: Buffer.from('<html>not an image</html>') }, 400, 'image'],
      [{ sessionId, image, mask: small }, 400, 'mask'],
      [{ sessionId, image, prompt: 'x'.repeat(1001) }, 400, 'prompt'],
      [{ sessionId: 'nope', image }, 404, null],
      [{ sessionId, image, imageId: 'img_9' }, 400, 'imageId'],
    ];
    gen.reset();
    for (const [fields, status, field] of cases) {
      const r = await edit(openai, tok, fields);
      assert.equal(r.status, status, `${JSON.stringify(Object.keys(fields))}: ${r.text}`);
      if (field) assert.equal(r.json.error.field, field, r.text);
    }
    const json = await client(openai.url)('POST', '/v1/images:edit', { token: tok, body: { prompt: 'x' } });
    assert.equal(json.status, 415);
    assert.equal((await client(openai.url)('POST', '/v1/images:edit', { raw: form({ sessionId, image }) })).status, 401);
    assert.equal(gen.requests.length, 0, 'nothing bad reaches the provider');
  });

  test('user B cannot edit on A\'s session, nor read A\'s results by changing the URL', async () => {
    gen.reset();
    const a = token('ana@x.io');
    const b = token('bob@x.io');
    const sessionId = await session(openai, a);
    const { image, mask } = photo();
    const denied = await edit(openai, b, { sessionId, image, mask });
    assert.equal(denied.status, 403, denied.text);
    assert.equal(gen.requests.length, 0);
    const ok = await edit(openai, a, { sessionId, image, mask });
    assert.equal(ok.status, 200);
    // The signed URL is bound to A's key: pointing it at another key, or dropping the signature, fails.
    const url = new URL(ok.json.url);
    const forged = new URL(url);
    forged.pathname = url.pathname.replace('ana%40x.io', 'bob%40x.io').replace('ana@x.io', 'bob@x.io');
    assert.notEqual(forged.pathname, url.pathname);
    assert.equal((await fetch(forged)).status, 403);
    const unsigned = new URL(url);
    unsigned.search = '';
    assert.equal((await fetch(unsigned)).status, 403);
    // B's own session cannot be pointed at A's image either: B gets B's keys only.
    const bSession = await session(openai, b);
    const mine = await edit(openai, b, { sessionId: bSession, image, mask });
    assert.equal(mine.status, 200);
    assert.ok(mine.json.key.startsWith(`bob@x.io/${bSession}/`));
  });

  test(`the daily quota holds under 20 concurrent requests: ${EDITS_PER_DAY} pass, the rest get 429 with Retry-After`, async () => {
    gen.reset();
    const tok = token('busy@x.io');
    const sessionId = await session(openai, tok);
    const { image, mask } = photo();
    const results = await Promise.all(Array.from({ length: 20 }, () => edit(openai, tok, { sessionId, image, mask })));
    const ok = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    assert.equal(ok.length, EDITS_PER_DAY, results.map((r) => r.status).join(','));
    assert.equal(limited.length, 20 - EDITS_PER_DAY);
    // Refused edits never reach the provider (a slow answer may have been retried once).
    assert.equal(gen.requests.length, ok.reduce((n, r) => n + r.json.attempts, 0));
    for (const r of limited) {
      assert.equal(r.json.error.code, 'quota_exceeded');
      assert.match(r.json.error.message, new RegExp(`your ${EDITS_PER_DAY} AI edits for today`));
      const retry = Number(r.headers.get('retry-after'));
      assert.ok(retry > 0 && retry <= 86_400, `Retry-After ${retry}`);
    }
    // Another user is not affected.
    const other = token('calm@x.io');
    const otherSession = await session(openai, other);
    assert.equal((await edit(openai, other, { sessionId: otherSession, image, mask })).status, 200);
  });

  test('capabilities say which provider, never a key; with none configured, edits are 503 and the page is told plainly', async () => {
    const api = client(openai.url);
    const caps = await api('GET', '/v1/images:capabilities');
    assert.equal(caps.status, 200);
    assert.equal(caps.json.edit.available, true);
    assert.equal(caps.json.edit.provider, 'openai');
    assert.ok(!caps.text.includes(gen.token));
    const restCaps = await client(rest.url)('GET', '/v1/images:capabilities');
    assert.equal(restCaps.json.edit.provider, 'workers-ai-rest');
    assert.equal(restCaps.json.edit.models.masked, '@cf/runwayml/stable-diffusion-v1-5-inpainting');
    assert.equal(restCaps.json.edit.maxSide, 2048);
    const noneCaps = await client(none.url)('GET', '/v1/images:capabilities');
    assert.equal(noneCaps.json.edit.available, false);
    assert.match(noneCaps.json.edit.message, /No AI image service is configured/);
    const tok = token('nobody@x.io');
    const sessionId = await session(none, tok);
    const r = await edit(none, tok, { sessionId, image: photo().image });
    assert.equal(r.status, 503);
    assert.equal(r.json.error.code, 'not_configured');
  });
});
