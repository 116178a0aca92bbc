// End-to-end: iPhone photos (HEIC) in the page, as a person drops them. The first HEIC photo makes
// the engine worker fetch the HEIF module (nobody else downloads it); the photos are read, edited,
// come out upright as JPEG (the default for a HEIC photo, the engine's rule, which the page's plan
// and the worker's signed upload follow), and save to the cloud.
//
//   bash tests/e2e/run.sh        (or: node --test tests/e2e/heic.test.mjs after build-web)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGES, STATIC, start, statusOf, runAndWait, downloadOf, shot, saveToCloud, sessionOf } from './harness.mjs';

// As pillow-heif reads them: the iPhone 13 Pro photo is landscape, the iPhone 8 Plus one is a
// rotated grid that displays portrait.
const PHOTOS = { 'pug.heic': [4032, 3024], 'arrow.heic': [3024, 4032] };

let app;
let page;
const fetched = [];

before(async () => {
  app = await start();
  page = app.page;
  app.context.on('request', (r) => fetched.push(new URL(r.url()).pathname));
});

after(async () => {
  await app?.stop();
});

/** Width and height from a JPEG's start-of-frame marker. */
function jpegSize(bytes) {
  assert.deepEqual([bytes[0], bytes[1]], [0xff, 0xd8], 'a JPEG');
  for (let i = 2; i + 9 < bytes.length;) {
    const marker = bytes[i + 1];
    const len = bytes.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return [bytes.readUInt16BE(i + 7), bytes.readUInt16BE(i + 5)];
    }
    i += 2 + len;
  }
  throw new Error('no start-of-frame marker');
}

test('HEIC photos are read: their size, the format, a preview; the HEIF module is fetched for them', async () => {
  assert.ok(!fetched.some((p) => p.includes('_heif')), 'the page alone does not download the HEIF module');
  const files = Object.keys(PHOTOS).map((name) => ({ name, mimeType: 'image/heic', buffer: readFileSync(join(IMAGES, 'heic', name)) }));
  await page.setInputFiles('#file-input', files);
  await page.waitForFunction(() => [...window.retouch.images.values()].every((i) => i.status !== 'reading'), null, { timeout: 60_000 });
  assert.deepEqual(await statusOf(page), { 'pug.heic': 'ready', 'arrow.heic': 'ready' });
  for (const [name, [w, h]] of Object.entries(PHOTOS)) {
    const facts = await page.locator('.card', { hasText: name }).locator('.facts').textContent();
    assert.match(facts, new RegExp(`${w} × ${h}`), `${name}: ${facts}`);
    assert.match(facts, /HEIC/, `${name}: ${facts}`);
  }
  assert.ok(fetched.some((p) => p.endsWith('_heif_bg.wasm')), fetched.join(', '));
});

test('edited, they come out upright as JPEG at the asked width', async () => {
  await page.evaluate(() => window.retouch.setPlan([
    { tool: 'resize', params: { width: 1000 } },
    { tool: 'adjust', params: { brightness: 10 } },
  ]));
  await runAndWait(page);
  assert.deepEqual(await statusOf(page), { 'pug.heic': 'done', 'arrow.heic': 'done' });
  await shot(page, 'heic-done');
  for (const [name, [w, h]] of Object.entries(PHOTOS)) {
    const out = await downloadOf(page, name);
    assert.match(out.name, /\.jpg$/, out.name);
    assert.deepEqual(jpegSize(out.bytes), [1000, Math.round((h * 1000) / w)], `${out.name} is upright`);
  }
});

test('saved to the cloud: the signed uploads take the JPEGs', { skip: STATIC && 'no backend in E2E_STATIC mode' }, async () => {
  const cloud = await saveToCloud(page, 'heic@retouch.test');
  assert.equal(cloud.error, '', cloud.text);
  const session = await sessionOf(page, cloud.sessionId);
  assert.equal(session.status, 'complete', JSON.stringify(session).slice(0, 500));
  const results = session.images.map((i) => i.result);
  assert.deepEqual(results.map((r) => [r.format, r.name.split('.').pop()]), [['jpg', 'jpg'], ['jpg', 'jpg']], JSON.stringify(results));
});
