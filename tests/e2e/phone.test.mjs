// End-to-end: a phone. A 390 × 844 touch screen (3× pixels) reporting 4 GB of memory and 8
// cores: photos are added through the file chooser by a tap, the plan is read from an example
// and edited, the batch is processed and a result downloaded, all by taps. Large photos get
// small engine-made previews; the pool follows the device's memory. Screenshots of each state
// go to test-output/screenshots/phone-*.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start, shot, photo, statusOf } from './harness.mjs';
import { webpInfo } from './webp.mjs';

let app;
let page;

before(async () => {
  app = await start();
  const context = await app.browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, acceptDownloads: true,
  });
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'deviceMemory', { configurable: true, get: () => 4 });
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { configurable: true, get: () => 8 });
  });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.goto(`${app.product.url}/`);
  await page.waitForFunction(() => window.retouch?.pool);
});

after(async () => {
  await app?.stop();
});

/** Nothing sticks out sideways: the page scrolls only up and down. */
const noSidewaysScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test('the pool follows the device: 8 cores but 4 GB make 2 engine workers', async () => {
  assert.equal(await page.evaluate(() => window.retouch.pool.size), 2);
  assert.ok(await noSidewaysScroll());
  await shot(page, 'phone-01-empty');
});

test('photos added by a tap on "Choose photos"; large ones show a small preview, not the full file', async () => {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.tap('.drop-button')]);
  await chooser.setFiles(['Elephants_3840x2160.jpg', 'Dune.jpg', 'GreenMeadow.jpg'].map(photo));
  await page.waitForFunction(() => [...window.retouch.images.values()].every((i) => i.status === 'ready' && (i.thumb === 'file' || i.preview)), null, { timeout: 60_000 });
  const thumbs = await page.evaluate(() => Promise.all([...window.retouch.images.values()].map(async (i) => {
    const el = i.el.querySelector('img');
    if (!el.complete) await new Promise((r) => { el.onload = r; el.onerror = r; });
    return { name: i.file.name, thumb: i.thumb, natural: [el.naturalWidth, el.naturalHeight], isFile: el.src === i.url };
  })));
  assert.deepEqual(thumbs, [
    { name: 'Elephants_3840x2160.jpg', thumb: 'preview', natural: [480, 270], isFile: false },
    { name: 'Dune.jpg', thumb: 'preview', natural: [480, 300], isFile: false },
    { name: 'GreenMeadow.jpg', thumb: 'file', natural: [1280, 1024], isFile: true },
  ]);
  assert.ok(await noSidewaysScroll());
  await shot(page, 'phone-02-added');
});

test('the plan: an example tapped, then a step edited', async () => {
  await page.tap('[data-example]:text("black and white, 1200 px wide, webp quality 80")');
  await page.waitForFunction(() => window.retouch.plan.calls.length >= 3);
  const resize = page.locator('#plan .step', { has: page.locator('.step-text', { hasText: '1200 px wide' }) });
  await resize.getByRole('button', { name: /Edit step/ }).tap();
  const width = resize.locator('.step-editor input[type=number]').first();
  await width.fill('600');
  await width.press('Tab');
  await page.waitForFunction(() => window.retouch.plan.calls.some((c) => c.tool === 'resize' && Number(c.params.width) === 600));
  assert.ok(await noSidewaysScroll());
  await shot(page, 'phone-03-plan');
});

test('processed by a tap, and a result downloaded by a tap', async () => {
  await page.tap('#run');
  await page.waitForFunction(() => window.retouch.run && !window.retouch.run.active, null, { timeout: 180_000 });
  assert.deepEqual(await statusOf(page), { 'Elephants_3840x2160.jpg': 'done', 'Dune.jpg': 'done', 'GreenMeadow.jpg': 'done' });
  await shot(page, 'phone-04-done');
  const card = page.locator('.card', { hasText: 'Elephants_3840x2160.jpg' });
  const [download] = await Promise.all([page.waitForEvent('download'), card.locator('a.download').tap()]);
  const bytes = readFileSync(await download.path());
  assert.match(download.suggestedFilename(), /\.webp$/);
  const info = webpInfo(bytes);
  assert.deepEqual([info.width, info.height], [600, 338]);
  assert.ok(await noSidewaysScroll());
});
