// End-to-end: an AI edit with a painted mask, in Debian's headless Chromium against the whole
// product, the worker's OpenAI-compatible client pointed at the loopback generative server
// (tests/support/generative-server.mjs, which fills the painted area from its surroundings).
// The mouse paints over part of a photo, "remove this" runs, and the result's pixels are compared
// with the original's: unchanged outside the painted area (within JPEG tolerance), changed inside.
// A second photo, not painted, goes without a mask.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STATIC, start, shot, photo, statusOf } from './harness.mjs';
import { startGenerativeServer } from '../support/generative-server.mjs';

const PAINTED = 'GreenMeadow.jpg';
const PLAIN = 'Dune.jpg';
let gen;
let app;
let page;

before(async () => {
  if (STATIC) return;
  gen = await startGenerativeServer();
  app = await start({ vars: { GENERATIVE_PROVIDER: 'openai', GENERATIVE_BASE_URL: gen.openaiBaseUrl, GENERATIVE_API_KEY: gen.token } });
  ({ page } = app);
});

after(async () => {
  await app?.stop();
  await gen?.stop();
});

const skip = STATIC && 'no backend in E2E_STATIC mode';

test('paint over a region with the brush, erase a bit, undo; the card says it is painted', { skip }, async () => {
  await page.setInputFiles('#file-input', [PAINTED, PLAIN].map(photo));
  await page.waitForFunction(() => [...window.retouch.images.values()].every((i) => i.status === 'ready'));
  await page.locator('.card', { hasText: PAINTED }).getByRole('button', { name: /^Paint/ }).click();
  const overlay = page.locator('#painter [data-role=overlay]');
  await overlay.waitFor();
  await page.waitForFunction(() => document.querySelector('#painter [data-role=photo]').complete);
  const box = await overlay.boundingBox();
  // Three horizontal strokes: a band across the middle of the photo.
  await page.locator('#painter-size').fill('60');
  for (const fy of [0.42, 0.5, 0.58]) {
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * fy);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * fy, { steps: 12 });
    await page.mouse.up();
  }
  // An eraser stroke, then undo it: the band is whole again.
  await page.locator('#painter [data-role=mode][value=eraser]').check();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.35);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.65, { steps: 8 });
  await page.mouse.up();
  const erased = await page.evaluate(() => window.retouch.painter.mask().painted);
  await page.locator('#painter [data-role=undo]').click();
  const painted = await page.evaluate(() => window.retouch.painter.mask().painted);
  assert.ok(painted > erased, `undo restores the erased part (${erased} → ${painted})`);
  assert.ok(painted > 0.05 && painted < 0.4, `a band is painted (${painted})`);
  await shot(page, 'ai-01-painter');
  await page.click('#painter-done');
  await page.locator('.card', { hasText: PAINTED }).locator('.painted-badge').waitFor();
});

test('"remove this": the plan reads as an AI edit of the painted area; the run sends the mask for one photo only', { skip }, async () => {
  await page.fill('#command', 'remove this');
  await page.click('#read-command');
  await page.waitForFunction(() => window.retouch.plan.calls.some((c) => c.tool === 'generate_with_llm'));
  assert.match(await page.locator('#plan .step-text').first().textContent(), /^AI edit: .*remove this.* \(painted area\)/);
  await page.click('#run');
  // The run needs a sign-in (the AI service is per user).
  await page.locator('#signin-dialog').waitFor();
  await page.fill('#signin-email', 'painter@retouch.test');
  await page.click('#signin-submit');
  await page.waitForFunction(() => window.retouch.run && !window.retouch.run.active, null, { timeout: 120_000 });
  const status = await statusOf(page);
  assert.equal(status[PAINTED], 'done', JSON.stringify(status));
  assert.equal(status[PLAIN], 'done', JSON.stringify(status));
  assert.equal(gen.requests.length, 2);
  const byMask = Object.fromEntries(gen.requests.map((r) => [r.masked, r]));
  assert.ok(byMask.true && byMask.false, 'one request with a mask, one without');
  assert.equal(byMask.true.prompt, 'remove this');
  // The session the AI edits went through keeps both results and ends (never left "processing").
  await page.waitForFunction(() => window.retouch.cloud && !window.retouch.cloud.active, null, { timeout: 60_000 });
  const session = await page.evaluate(() => window.retouch.api.getSession(window.retouch.cloud.sessionId));
  assert.equal(session.status, 'complete', JSON.stringify(session));
  assert.equal(session.results.length, 2, JSON.stringify(session.results));
  await shot(page, 'ai-02-done');
});

test('pixels outside the painted area are unchanged (JPEG tolerance), inside they differ', { skip }, async () => {
  const m = await page.evaluate(async (name) => {
    const img = [...window.retouch.images.values()].find((i) => i.file.name === name);
    const [a, b] = await Promise.all([createImageBitmap(img.file), createImageBitmap(img.result.blob)]);
    const { width, height } = a;
    const read = (src) => {
      const c = new OffscreenCanvas(width, height);
      const x = c.getContext('2d');
      x.drawImage(src, 0, 0, width, height);
      return x.getImageData(0, 0, width, height).data;
    };
    const before = read(a);
    const after = read(b);
    const mask = read(img.mask.canvas);
    // Keep clear of the edge: JPEG's 8 × 8 blocks straddle it. A pixel is "outside" when no
    // painted pixel is within 12 px, "inside" when all within 4 px are painted (checked on a grid).
    const paintedAt = (x, y) => x >= 0 && y >= 0 && x < width && y < height && mask[(y * width + x) * 4 + 3] >= 128;
    const near = (x, y, r, want) => {
      for (let dy = -r; dy <= r; dy += 4) for (let dx = -r; dx <= r; dx += 4) if (paintedAt(x + dx, y + dy) === want) return true;
      return false;
    };
    let outSum = 0; let outN = 0; let inSum = 0; let inN = 0;
    for (let y = 0; y < height; y += 3) {
      for (let x = 0; x < width; x += 3) {
        const i = (y * width + x) * 4;
        const d = (Math.abs(before[i] - after[i]) + Math.abs(before[i + 1] - after[i + 1]) + Math.abs(before[i + 2] - after[i + 2])) / 3;
        if (!near(x, y, 12, true)) { outSum += d; outN++; } else if (!near(x, y, 4, false)) { inSum += d; inN++; }
      }
    }
    return { width, height, outside: outSum / outN, inside: inSum / inN, outN, inN, resultSize: [b.width, b.height] };
  }, PAINTED);
  assert.deepEqual(m.resultSize, [1280, 1024], 'full size, as the original');
  assert.ok(m.outN > 1000 && m.inN > 1000, JSON.stringify(m));
  assert.ok(m.outside < 2.5, `outside the painted area: mean difference ${m.outside.toFixed(2)} levels (JPEG re-encode only)`);
  assert.ok(m.inside > 8, `inside the painted area: mean difference ${m.inside.toFixed(2)} levels`);
  console.log(`AI edit pixels: outside mean Δ ${m.outside.toFixed(2)}, inside mean Δ ${m.inside.toFixed(2)}`);
});

test('the result has before/after, download and zip like every other result', { skip }, async () => {
  const card = page.locator('.card', { hasText: PAINTED });
  await card.locator('.thumb-compare').click();
  await page.locator('#compare').waitFor();
  await page.locator('#compare-range').fill('50');
  await shot(page, 'ai-03-compare');
  await page.keyboard.press('Escape');
  const [download] = await Promise.all([page.waitForEvent('download'), card.locator('a.download').click()]);
  assert.match(download.suggestedFilename(), /\.jpg$/);
  assert.equal(await page.locator('#download-zip').isVisible(), true);
});
