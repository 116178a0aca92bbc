// End-to-end: "Save this plan as a preset". A plan read from a command is saved under a name,
// is there after a reload (localStorage), sets the plan of a new batch that then processes, and
// goes out and back in as a JSON file.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start, shot, photo, runAndWait, statusOf } from './harness.mjs';

let app;
let page;

before(async () => {
  app = await start();
  ({ page } = app);
});

after(async () => {
  await app?.stop();
});

test('a plan saved as a preset comes back after a reload and runs', async () => {
  await page.fill('#command', 'black and white, 640 px wide, png');
  await page.click('#read-command');
  await page.waitForFunction(() => window.retouch.plan.calls.length >= 3);
  const plan = await page.evaluate(() => window.retouch.plan.calls.map((c) => ({ tool: c.tool, params: c.params })));
  await page.click('#my-presets > summary');
  await page.fill('#my-preset-name', 'Small grey PNG');
  await page.click('#my-preset-save');
  await page.getByRole('status').filter({ hasText: 'Saved the preset “Small grey PNG”' }).waitFor();
  await shot(page, 'preset-saved');

  await page.reload();
  await page.waitForFunction(() => window.retouch?.pool && window.retouch.presets.length === 1);
  assert.equal(await page.evaluate(() => window.retouch.plan.calls.length), 0);
  await page.setInputFiles('#file-input', [photo('Dune.jpg')]);
  await page.waitForFunction(() => [...window.retouch.images.values()].every((i) => i.status === 'ready'));
  await page.click('#my-presets > summary');
  await page.selectOption('#my-preset-list', 'Small grey PNG');
  await page.click('#my-preset-apply');
  assert.deepEqual(await page.evaluate(() => window.retouch.plan.calls.map((c) => ({ tool: c.tool, params: c.params }))), plan);
  await runAndWait(page);
  assert.deepEqual(await statusOf(page), { 'Dune.jpg': 'done' });
  const r = await page.evaluate(() => { const x = [...window.retouch.images.values()][0].result; return [x.width, x.height, x.format]; });
  assert.deepEqual(r, [640, 400, 'png']);
});

test('presets export as JSON and import back (merged by name)', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#my-preset-export')]);
  assert.equal(download.suggestedFilename(), 'retouch-presets.json');
  const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(file.kind, 'retouch-presets');
  assert.deepEqual(file.presets.map((p) => p.name), ['Small grey PNG']);
  file.presets.push({ name: 'Quarter turn', toolCalls: [{ tool: 'rotate', params: { degrees: 90 } }] });
  await page.setInputFiles('#my-preset-import', { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await page.getByRole('status').filter({ hasText: 'Imported mine.json: 1 added, 1 replaced' }).waitFor();
  assert.deepEqual(await page.locator('#my-preset-list option').allTextContents(), ['Small grey PNG (3 steps)', 'Quarter turn (1 step)']);
});
