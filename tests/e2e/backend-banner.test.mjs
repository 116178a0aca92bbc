// End-to-end: when the server cannot be reached, the page says so in a plain banner and local
// editing keeps working; when it answers again, the banner goes. The server's absence is made by
// Chromium refusing the page's requests to the API (the page and the engine are already loaded).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, shot, photo, runAndWait, statusOf } from './harness.mjs';

let app;
let page;
const banner = () => page.locator('#backend-banner');
const bannerState = () => page.evaluate(() => document.getElementById('backend-banner').dataset.state);
const API = /\/(v1|image-edit|auth|uploads|results)\//;

before(async () => {
  app = await start();
  ({ page } = app);
});

after(async () => {
  await app?.stop();
});

test('with the server up there is no banner', async () => {
  await page.waitForFunction(() => document.getElementById('backend-banner').dataset.state === 'ok');
  assert.equal(await banner().isHidden(), true);
});

test('the server away: a plain banner, and a photo still edits on this device', async () => {
  await page.route(API, (route) => route.abort('connectionrefused'));
  await page.evaluate(() => window.dispatchEvent(new Event('online'))); // the page asks again
  await page.waitForFunction(() => document.getElementById('backend-banner').dataset.state === 'unreachable');
  assert.equal(await banner().isVisible(), true);
  assert.match(await banner().textContent(), /cannot be reached.*Editing on this device still works/);

  await page.setInputFiles('#file-input', [photo('Dune.jpg')]);
  await page.waitForFunction(() => [...window.retouch.images.values()].every((i) => i.status !== 'reading'));
  await page.evaluate(() => window.retouch.setPlan([{ tool: 'rotate', params: { degrees: 90 } }]));
  await runAndWait(page);
  assert.deepEqual(await statusOf(page), { 'Dune.jpg': 'done' });
  const [w, h] = await page.evaluate(() => { const r = [...window.retouch.images.values()][0].result; return [r.width, r.height]; });
  assert.deepEqual([w, h], [1050, 1680]);
  await shot(page, 'backend-unreachable');
});

test('the server back: the banner goes', async () => {
  await page.unroute(API);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.waitForFunction(() => document.getElementById('backend-banner').dataset.state === 'ok');
  assert.equal(await banner().isHidden(), true);
  assert.equal(await bannerState(), 'ok');
});
