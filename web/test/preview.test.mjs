import { test } from 'node:test';
import assert from 'node:assert/strict';
import { previewSide, PREVIEW_SIDE } from '../src/preview.js';

test('large photos get an engine-made preview; small ones are shown as they are', () => {
  assert.equal(previewSide({ width: 4032, height: 3024, format: 'jpg' }, 3_500_000), PREVIEW_SIDE, 'a phone photo');
  assert.equal(previewSide({ width: 1280, height: 1024, format: 'jpg' }, 300_000), 0);
  assert.equal(previewSide({ width: 1600, height: 1600, format: 'png' }, 3_100_000), PREVIEW_SIDE, 'heavy file');
  assert.equal(previewSide({ width: 800, height: 600, format: 'heic' }, 100_000), PREVIEW_SIDE, 'a format browsers may not show');
  assert.equal(previewSide({ width: 5000, height: 5000, format: 'gif' }, 9_000_000), 0, 'GIFs stay animated');
  assert.equal(previewSide(undefined), 0);
  assert.equal(previewSide({ width: 0, height: 10 }), 0);
});
