import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultFormatOf, imagePlan, outputFormat, stepLabel } from '../src/image-plan.js';

const flip = { tool: 'flip', params: { direction: 'horizontal' }, applyToAll: true };
const grey = { tool: 'apply_filter', params: { filter: 'grayscale' }, applyToAll: true };
const dune = { id: 'img_1', format: 'jpeg' };

test('output format follows options, then convert_format, then the input', () => {
  assert.equal(outputFormat([], { outputFormat: 'png' }, 'jpeg'), 'png');
  assert.equal(outputFormat([{ tool: 'convert_format', params: { format: 'webp' } }], {}, 'jpeg'), 'webp');
  assert.equal(outputFormat([], {}, 'jpeg'), 'jpg');
  assert.equal(outputFormat([], {}, 'gif'), 'png');
});

test("a HEIC photo's default is the engine's (JPEG), as inspect says it", () => {
  const heic = { format: 'heic', mimeType: 'image/heic', outputFormat: 'jpg', width: 4032, height: 3024 };
  assert.equal(defaultFormatOf(heic), 'jpg');
  assert.equal(defaultFormatOf({ format: 'png' }), 'png');
  const plan = imagePlan([], {}, { id: 'img_1', format: defaultFormatOf(heic) });
  assert.deepEqual([plan.format, plan.mimeType, plan.steps.at(-1)], ['jpg', 'image/jpeg', 'Saving as JPEG…']);
});

test('a plan per photo: its calls, format, type and one label per engine step', () => {
  const targeted = { tool: 'rotate', params: { degrees: 90 }, applyToAll: false, imageId: 'img_2' };
  const plan = imagePlan([flip, grey, targeted, { tool: 'convert_format', params: { format: 'webp' } }], {}, dune);
  assert.deepEqual(plan.calls.map((c) => c.tool), ['flip', 'apply_filter', 'convert_format'], 'a call for another photo does not apply');
  assert.equal(plan.format, 'webp');
  assert.equal(plan.mimeType, 'image/webp');
  assert.deepEqual(plan.steps, [
    'Reading the photo…', 'Step 1 of 3: Flip horizontally (mirror)', 'Step 2 of 3: Black and white', 'Step 3 of 3: Convert to WebP', 'Saving as WebP…',
  ]);
  assert.deepEqual(imagePlan([grey], { maxBytes: 150000 }, dune).steps, ['Reading the photo…', 'Black and white', 'Saving as JPEG, fitting in 150 KB…']);
});

test('with a max width or height the engine counts a fit step, and it has a label too', () => {
  const plan = imagePlan([grey], { maxWidth: 800 }, dune);
  // The engine's progress for this job: decode, the filter, the fit, the encode, then "Done".
  const reports = [0, 1, 2, 3, 3].map((step) => ({ step, steps: 4, message: `engine ${step}` }));
  assert.deepEqual(reports.map((p) => stepLabel(p, plan)), ['Reading the photo…', 'Black and white', 'Fitting inside 800 px wide…', 'Saving as JPEG…', 'Saving as JPEG…']);
  assert.deepEqual(imagePlan([], { maxHeight: 600 }, dune).steps, ['Reading the photo…', 'Fitting inside 600 px high…', 'Saving as JPEG…']);
  assert.equal(imagePlan([], { maxWidth: 10, maxHeight: 20 }, dune).steps[1], 'Fitting inside 10 × 20 px…');
});

test('an engine counting other steps than the plan shows its own words, never a wrong label', () => {
  const plan = imagePlan([flip], {}, dune);
  assert.equal(stepLabel({ step: 1, steps: 3 }, plan), 'Flip horizontally (mirror)');
  assert.equal(stepLabel({ step: 1, steps: 9, message: 'resize' }, plan), 'resize');
  assert.equal(stepLabel({ step: 7, steps: 3, message: 'odd' }, plan), 'odd');
  assert.equal(stepLabel(null, plan), 'Working…');
});
