// End-to-end: the editor page in Debian's headless Chromium against the whole product, started the
// way `scripts/run.sh` starts it (tests/support/worker.mjs: the worker on workerd with local R2,
// D1 and Durable Objects, serving web/dist). Real photos from ../shared/images plus a corrupt file.
//
//   bash tests/e2e/run.sh        (builds the page first; assumes the wasm package and worker are built)
//
// Screenshots of the main states go to test-output/screenshots/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStoredZip } from '../../web/test/read-zip.mjs';
import { webpInfo } from './webp.mjs';
import { IMAGES, STATIC, start, shot, photo, statusOf } from './harness.mjs';

const PHOTOS = { 'GreenMeadow.jpg': [1280, 1024], 'Dune.jpg': [1680, 1050], 'FreshFlower.jpg': [1600, 1203] };
const COMMAND = 'make them black and white, 800 px wide, webp quality 80';

let app;
let product;
let context;
let page;
const downloads = new Map(); // file name → bytes

/** The expected size after "800 px wide": height follows the aspect ratio, rounded. */
const expected = ([w, h]) => [800, Math.round((h * 800) / w)];

before(async () => {
  app = await start();
  ({ product, context, page } = app);
});

after(async () => {
  await app?.stop();
});

test('the empty page invites photos', async () => {
  await assert.doesNotReject(page.getByRole('heading', { name: 'Photos' }).waitFor());
  assert.equal(await page.locator('#run').isDisabled(), true);
  await shot(page, '01-empty');
});

test('three photos and a corrupt file are added; the corrupt one is flagged, the others read', async () => {
  const corrupt = { name: 'holiday-broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.from('JFIF\0 this is not really a photo'.repeat(40))]) };
  await page.setInputFiles('#file-input', [...Object.keys(PHOTOS).map(photo), corrupt]);
  await page.waitForFunction(() => [...window.retouch.images.values()].every((i) => i.status !== 'reading'));
  assert.equal(await page.locator('.card').count(), 4);
  for (const [name, [w, h]] of Object.entries(PHOTOS)) {
    const facts = await page.locator('.card', { hasText: name }).locator('.facts').textContent();
    assert.match(facts, new RegExp(`${w} × ${h}`), `${name} shows its dimensions`);
  }
});

test('a typed command becomes readable, editable steps', async () => {
  await page.fill('#command', COMMAND);
  await page.click('#read-command');
  await page.waitForFunction(() => document.querySelectorAll('#plan .step').length >= 3);
  const steps = await page.locator('#plan .step-text').allTextContents();
  assert.ok(steps.some((s) => /black and white/i.test(s)), steps.join(' | '));
  assert.ok(steps.some((s) => /800 px wide/.test(s)), steps.join(' | '));
  assert.ok(steps.some((s) => /WebP/.test(s) && /80/.test(s)), steps.join(' | '));
  // Open one step's editor to show it works (and for the screenshot).
  const resizeStep = page.locator('#plan .step', { has: page.locator('.step-text', { hasText: '800 px wide' }) });
  await resizeStep.getByRole('button', { name: /Edit step/ }).click();
  assert.equal(await page.locator('#plan .step-editor:not([hidden]) input[type=number]').first().inputValue(), '800');
  await shot(page, '02-plan');
  await resizeStep.getByRole('button', { name: /Done editing step/ }).click();
});

test('processing runs in workers: three outputs, one plain-words error, progress shown', async (t) => {
  // Measured, not asserted (timings belong in benchmarks): main-thread long tasks during the run.
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longTasks.push(e.duration); }).observe({ type: 'longtask' });
  });
  await page.click('#run');
  await page.waitForFunction(() => window.retouch.run?.active && document.querySelector('.card[data-status=processing], .card[data-status=done]'));
  await shot(page, '03-processing');
  await page.waitForFunction(() => window.retouch.run && !window.retouch.run.active, null, { timeout: 120_000 });
  const status = await statusOf(page);
  for (const name of Object.keys(PHOTOS)) assert.equal(status[name], 'done', `${name}: ${status[name]}`);
  assert.ok(['error', 'unreadable'].includes(status['holiday-broken.jpg']), status['holiday-broken.jpg']);
  const err = await page.locator('.card', { hasText: 'holiday-broken.jpg' }).locator('.status').textContent();
  assert.match(err, /can't read this file/i);
  assert.match(await page.locator('#overall-text').textContent(), /3 done/);
  const m = await page.evaluate(() => ({
    tasks: window.longTasks.length, longest: Math.round(Math.max(0, ...window.longTasks)),
    ms: Math.round(window.retouch.run.endedAt - window.retouch.run.startedAt), workers: window.retouch.pool.size,
  }));
  t.diagnostic(`run of 3 photos: ${m.ms} ms on ${m.workers} workers; main-thread long tasks: ${m.tasks}, longest ${m.longest} ms`);
  await shot(page, '04-done');
});

test('each download has the right dimensions and format (read from the file)', async () => {
  for (const [name, size] of Object.entries(PHOTOS)) {
    const card = page.locator('.card', { hasText: name });
    const [download] = await Promise.all([page.waitForEvent('download'), card.locator('a.download').click()]);
    const bytes = readFileSync(await download.path());
    const file = download.suggestedFilename();
    assert.match(file, /\.webp$/, file);
    const info = webpInfo(bytes);
    assert.deepEqual([info.width, info.height], expected(size), `${file}: ${info.width}×${info.height}`);
    downloads.set(file, bytes);
    // Black and white: decode the download in the page and check the pixels are grey.
    const maxSpread = await page.evaluate(async (b64) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([bin], { type: 'image/webp' }));
      const c = new OffscreenCanvas(bmp.width, bmp.height).getContext('2d');
      c.drawImage(bmp, 0, 0);
      const d = c.getImageData(0, 0, bmp.width, bmp.height).data;
      let spread = 0;
      for (let i = 0; i < d.length; i += 4 * 97) spread = Math.max(spread, Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]));
      return spread;
    }, bytes.toString('base64'));
    assert.ok(maxSpread <= 12, `${file} is not grey (channel spread ${maxSpread})`);
  }
});

test('"Download all" is a zip of the three files', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-zip')]);
  assert.match(download.suggestedFilename(), /\.zip$/);
  const entries = readStoredZip(readFileSync(await download.path()));
  assert.deepEqual(entries.map((e) => e.name).sort(), [...downloads.keys()].sort());
  for (const e of entries) assert.deepEqual(Buffer.from(e.bytes), downloads.get(e.name), e.name);
});

test('before/after view', async () => {
  await page.locator('.card', { hasText: 'Dune.jpg' }).getByRole('button', { name: /Compare/ }).click();
  await page.locator('#compare').waitFor();
  await page.locator('#compare-range').fill('35');
  await shot(page, '05-compare');
  await page.keyboard.press('Escape');
  await page.locator('#compare').waitFor({ state: 'hidden' });
});

test('save to cloud: dev sign-in, signed uploads land in local R2, progress over SSE, live in a second tab', { skip: STATIC && 'no backend in E2E_STATIC mode' }, async () => {
  await page.click('#save-cloud');
  await page.locator('#signin-dialog').waitFor();
  await page.fill('#signin-email', 'e2e@retouch.test');
  await shot(page, '06-sign-in');
  await page.click('#signin-submit');
  await page.waitForFunction(() => window.retouch.cloud && !window.retouch.cloud.active, null, { timeout: 60_000 });
  const cloud = await page.evaluate(() => ({ ...window.retouch.cloud, loaded: undefined }));
  assert.equal(cloud.error, '', cloud.text);
  assert.match(cloud.sessionId, /\S/);
  // The session view got every image's progress over SSE.
  await page.waitForFunction(() => document.querySelectorAll('#session-view-images li[data-status=complete]').length === 3, null, { timeout: 30_000 });
  const events = await page.locator('#session-view-events li').count();
  assert.ok(events >= 3, `saw ${events} SSE events`);
  await shot(page, '07-saved');

  // The files are in local R2: read each back through the session's signed result URLs.
  const session = await page.evaluate(async (id) => {
    const { token } = JSON.parse(localStorage.getItem('retouch.auth'));
    const r = await fetch(`/image-edit/${id}`, { headers: { Authorization: `Bearer ${token}` } });
    return r.json();
  }, cloud.sessionId);
  assert.equal(session.status, 'complete', JSON.stringify(session).slice(0, 500));
  const results = (session.images ?? []).map((i) => i.result).filter(Boolean);
  assert.equal(results.length, 3, JSON.stringify(session).slice(0, 500));
  for (const r of results) {
    const got = await page.evaluate(async (url) => {
      const res = await fetch(url);
      const b = new Uint8Array(await res.arrayBuffer());
      let s = '';
      for (const x of b) s += String.fromCharCode(x);
      return { status: res.status, b64: btoa(s) };
    }, r.url);
    assert.equal(got.status, 200, r.url);
    const bytes = Buffer.from(got.b64, 'base64');
    assert.ok([...downloads.values()].some((d) => d.equals(bytes)), `${r.name} in R2 matches a download`);
  }

  // The account's saved sessions list it.
  await page.click('#open-sessions');
  await page.locator('#sessions-list a', { hasText: 'black and white' }).first().waitFor();
  await shot(page, '08-sessions');
  await page.keyboard.press('Escape');

  // A second tab shows the saved session (the stream replays its events).
  const tab = await context.newPage();
  await tab.goto(`${product.url}/#session=${encodeURIComponent(cloud.sessionId)}`);
  await tab.waitForFunction(() => document.querySelectorAll('#session-view-images li[data-status=complete]').length === 3, null, { timeout: 30_000 });
  await shot(tab, '08-second-tab');
  await tab.close();
  await page.bringToFront();
});

test('with no AI image service, an AI step is marked skipped, the page says so once, and each photo says why', async () => {
  const saved = await page.evaluate(() => structuredClone(window.retouch.plan.calls));
  await page.fill('#command', 'remove the person in the background');
  await page.click('#read-command');
  await page.waitForFunction(() => window.retouch.plan.calls.some((c) => c.tool === 'generate_with_llm'));
  assert.match(await page.locator('#plan .step-text').first().textContent(), /^AI edit: .*skipped: no AI image service here/);
  await page.click('#run');
  await page.waitForFunction(() => window.retouch.run && !window.retouch.run.active, null, { timeout: 60_000 });
  const status = await statusOf(page);
  for (const name of Object.keys(PHOTOS)) assert.equal(status[name], 'error', `${name}: ${status[name]}`);
  const text = await page.locator('.card', { hasText: 'Dune.jpg' }).locator('.status').textContent();
  assert.match(text, /Nothing was changed: .*(No AI image service is configured|cannot reach)/);
  assert.match(await page.locator('#add-notice').textContent(), /No AI image service is configured|cannot reach/);
  await shot(page, '09-needs-ai');
  await page.evaluate((calls) => window.retouch.setPlan(calls), saved);
});

test('cancel stops work: per image and for all, and the pool recovers', async () => {
  // A heavier plan on a large photo plus the others, so there is something to cancel.
  await page.setInputFiles('#file-input', ['Elephants_3840x2160.jpg', 'Garden.jpg', 'Aqua.jpg'].map(photo));
  // Read, and the large one's preview made (a background job of the pool).
  await page.waitForFunction(() => [...window.retouch.images.values()].every((i) => i.status !== 'reading' && (i.thumb !== 'preview' || i.preview)));
  if (!(await page.locator('#presets').getAttribute('open'))) await page.locator('#presets summary').click();
  await page.selectOption('#preset-filter', 'blur');
  await page.click('[data-preset=filter]');
  const spawnedBefore = await page.evaluate(() => window.retouch.pool.spawned);
  await page.click('#run');
  // Cancel one waiting image by its own button, then everything once work is under way.
  // The last card waits longest (the pool takes jobs in order). Its Cancel is pressed in the same
  // turn of the page that sees it waiting: a round trip later, a fast photo may already be done.
  const queuedName = await (await page.waitForFunction(() => {
    const queued = [...document.querySelectorAll('.card[data-status=queued]')].at(-1);
    if (!queued || !document.querySelector('.card[data-status=processing]')) return false;
    queued.querySelector('button.cancel').click();
    return queued.querySelector('.name').textContent;
  })).jsonValue();
  await page.waitForFunction((n) => [...window.retouch.images.values()].find((i) => i.file.name === n)?.status === 'cancelled', queuedName);
  await page.click('#cancel-all');
  await page.waitForFunction(() => window.retouch.run && !window.retouch.run.active, null, { timeout: 10_000 });
  const status = await statusOf(page);
  const cancelled = Object.entries(status).filter(([, s]) => s === 'cancelled').map(([n]) => n);
  assert.ok(cancelled.length >= 2, JSON.stringify(status));
  assert.equal(await page.evaluate(() => window.retouch.pool.pending), 0, 'no job left running');
  await shot(page, '10-cancelled');
  // A running job was cancelled by terminating its worker: the next run starts a fresh one and works.
  await page.getByRole('button', { name: /^Remove step \d+: Blur/ }).click();
  for (const name of Object.keys(status).filter((n) => !(n in PHOTOS))) {
    const card = page.locator('.card', { hasText: name });
    await card.getByRole('button', { name: `Remove ${name}` }).click();
  }
  await page.click('#run');
  await page.waitForFunction(() => window.retouch.run && !window.retouch.run.active, null, { timeout: 120_000 });
  const again = await statusOf(page);
  for (const name of Object.keys(PHOTOS)) assert.equal(again[name], 'done', `${name} after cancel: ${again[name]}`);
  assert.ok(await page.evaluate(() => window.retouch.pool.spawned) > spawnedBefore, 'a cancelled running job respawned its worker');
  if (STATIC) return;
  // This plan was edited (a step added and removed): saving records it as a plain command.
  await page.click('#save-cloud');
  await page.waitForFunction(() => window.retouch.cloud && !window.retouch.cloud.active, null, { timeout: 60_000 });
  const cloud = await page.evaluate(() => ({ error: window.retouch.cloud.error, text: window.retouch.cloud.text }));
  assert.equal(cloud.error, '', cloud.text);
});

test('photos can also be dropped onto the page and pasted', async () => {
  const before = await page.locator('.card').count();
  const b64 = readFileSync(join(IMAGES, 'LadyBird.jpg')).toString('base64');
  const transfer = (name) => page.evaluateHandle(([data, n]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], n, { type: 'image/jpeg' }));
    return dt;
  }, [b64, name]);
  const dropped = await transfer('dropped-ladybird.jpg');
  await page.dispatchEvent('#dropzone', 'dragenter', { dataTransfer: dropped });
  await page.dispatchEvent('#dropzone', 'drop', { dataTransfer: dropped });
  await page.locator('.card', { hasText: 'dropped-ladybird.jpg' }).waitFor();
  const pasted = await transfer('pasted-ladybird.jpg');
  await page.evaluate((dt) => document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true })), pasted);
  await page.locator('.card', { hasText: 'pasted-ladybird.jpg' }).waitFor();
  assert.equal(await page.locator('.card').count(), before + 2);
  await page.waitForFunction(() => [...window.retouch.images.values()].every((i) => i.status !== 'reading'));
  assert.match(await page.locator('.card', { hasText: 'pasted-ladybird.jpg' }).locator('.facts').textContent(), /2560 × 1600/);
});

test('the batch limit is 50, with a clear message', async () => {
  const files = Array.from({ length: 50 }, (_, i) => ({ name: `tiny-${i}.png`, mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') }));
  await page.setInputFiles('#file-input', files);
  assert.equal(await page.locator('.card').count(), 50);
  await assert.doesNotReject(page.locator('#add-notice', { hasText: 'at most 50 photos' }).waitFor());
});
