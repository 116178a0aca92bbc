// End-to-end: while a photo is processed, its card says each step in people's words — for every
// step the engine reports, including the fit of the Output panel's max width (the engine counts
// decode + each tool call + fit + encode). Every label the page derives from a progress event is
// recorded from the page's own state, so the test does not depend on which frames get painted.
//
//   bash tests/e2e/run.sh        (or: node --test tests/e2e/step-labels.test.mjs after build-web)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, photo, statusOf, runAndWait } from './harness.mjs';

let app;
let page;

before(async () => {
  app = await start();
  page = app.page;
  // Record, for every progress event, the engine's report and the label the page made of it.
  await page.evaluate(() => {
    const { pool, images } = window.retouch;
    const run = pool.run.bind(pool);
    window.stepLog = [];
    pool.run = (type, msg, opts = {}) => {
      if (type !== 'process' || !opts.onProgress) return run(type, msg, opts);
      const img = images.get(msg.input.id);
      return run(type, msg, {
        ...opts,
        onProgress: (p) => {
          opts.onProgress(p);
          window.stepLog.push({ step: p.step, steps: p.steps, message: p.message, label: img.stepText });
        },
      });
    };
  });
});

after(async () => {
  await app?.stop();
});

/** Runs `calls` on one photo with the Output panel's max width set to `maxWidth` (or blank). */
async function labelsOf(calls, maxWidth) {
  if (await page.locator('#clear-all').isVisible()) await page.click('#clear-all');
  await page.setInputFiles('#file-input', [photo('Garden.jpg')]);
  await page.waitForFunction(() => [...window.retouch.images.values()].every((i) => i.status === 'ready'));
  if (!(await page.locator('#output-panel').evaluate((d) => d.open))) await page.locator('#output-panel summary').click();
  await page.fill('#opt-max-width', maxWidth ? String(maxWidth) : '');
  await page.evaluate((c) => { window.stepLog = []; window.retouch.setPlan(c); }, calls);
  await runAndWait(page);
  assert.deepEqual(Object.values(await statusOf(page)), ['done']);
  return page.evaluate(() => window.stepLog);
}

const grey = { tool: 'apply_filter', params: { filter: 'grayscale' } };
const flip = { tool: 'flip', params: { direction: 'horizontal' } };

for (const [name, calls, maxWidth, expected] of [
  ['two steps', [grey, flip], null, ['Reading the photo…', 'Step 1 of 2: Black and white', 'Step 2 of 2: Flip horizontally (mirror)', 'Saving as JPEG…']],
  ['a max width', [grey], 800, ['Reading the photo…', 'Black and white', 'Fitting inside 800 px wide…', 'Saving as JPEG…']],
  ['a max width and no step', [], 640, ['Reading the photo…', 'Fitting inside 640 px wide…', 'Saving as JPEG…']],
]) {
  test(`every step the engine reports has its label: ${name}`, async () => {
    const log = await labelsOf(calls, maxWidth);
    assert.ok(log.length >= expected.length, JSON.stringify(log));
    const steps = log[0].steps;
    assert.equal(steps, expected.length, `the engine counts ${steps} steps: ${JSON.stringify(log)}`);
    // One label per step (the engine's last report, "Done", repeats the last step).
    const byStep = new Map(log.map((e) => [e.step, e.label]));
    assert.deepEqual([...byStep.values()], expected, JSON.stringify(log));
    for (const e of log) assert.notEqual(e.label, e.message, `the raw engine message “${e.message}” was shown`);
  });
}

test("the page's plan of each photo has the format and MIME type the engine produces", async () => {
  if (await page.locator('#clear-all').isVisible()) await page.click('#clear-all');
  await page.fill('#opt-max-width', '');
  await page.setInputFiles('#file-input', ['Garden.jpg', 'transparent.png', 'wood-4096.webp'].map(photo));
  await page.waitForFunction(() => [...window.retouch.images.values()].every((i) => i.status === 'ready'));
  for (const [calls, format] of [
    [[grey], ''],
    [[grey, { tool: 'convert_format', params: { format: 'webp' } }], ''],
    [[{ tool: 'convert_format', params: { format: 'jpeg' } }, flip], ''],
    [[flip], 'png'],
  ]) {
    await page.selectOption('#opt-format', format);
    await page.evaluate((c) => window.retouch.setPlan(c), calls);
    await runAndWait(page);
    const got = await page.evaluate(async () => {
      const { imagePlan } = await import('/image-plan.js');
      const { run, images } = window.retouch;
      return [...images.values()].map((img) => {
        const plan = imagePlan(run.toolCalls, run.options, { id: img.id, format: img.info.format });
        const r = img.result;
        return { page: [plan.format, plan.mimeType], engine: r && [r.format, r.mimeType] };
      });
    });
    for (const g of got) assert.deepEqual(g.page, g.engine, JSON.stringify({ calls, format }));
  }
  await page.selectOption('#opt-format', '');
});
