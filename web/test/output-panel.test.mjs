import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePage, memoryStorage } from './page-env.mjs';
import { STORAGE_KEY, DEFAULT_SETTINGS } from '../src/output-settings.js';

test('the panel shows the saved settings and gives their job options', async () => {
  const storage = memoryStorage({ [STORAGE_KEY]: JSON.stringify({ ...DEFAULT_SETTINGS, format: 'webp', maxWidth: 2000, metadata: 'keep' }) });
  const t = makePage({ storage });
  try {
    t.page.output.load();
    t.page.output.render();
    assert.equal(t.$('opt-format').value, 'webp');
    assert.deepEqual(t.page.output.jobOptions(), { options: { outputFormat: 'webp', maxWidth: 2000, metadata: 'keep' }, error: '' });
    assert.equal(t.$('output-summary').textContent, 'WebP · auto quality · fit 2000 × any px · metadata kept');
    assert.equal(t.$('opt-keep-gps').disabled, false);
    assert.equal(t.$('opt-min-quality').disabled, true);
  } finally {
    await t.close();
  }
});

test('sides are whole pixels within the engine limit (from toolSchema())', async () => {
  const t = makePage();
  try {
    assert.equal(t.$('opt-max-width').max, '16384');
    t.$('opt-max-width').value = '99999.4';
    t.$('opt-max-height').value = '0';
    const s = t.page.output.read();
    assert.equal(s.maxWidth, 16384);
    assert.equal(s.maxHeight, '');
  } finally {
    await t.close();
  }
});

test('a bad max file size shows once the field is left, and is kept for the next visit', async () => {
  const storage = memoryStorage();
  const t = makePage({ storage });
  try {
    t.page.output.wire();
    const size = t.$('opt-max-size');
    size.value = 'lots';
    size.dispatchEvent(new t.win.Event('input'));
    assert.equal(t.$('max-size-error').hidden, true, 'not while typing');
    assert.equal(t.$('output-summary').textContent, 'Max file size needs fixing');
    assert.equal(JSON.parse(storage.getItem(STORAGE_KEY)).maxSize, 'lots');
    size.dispatchEvent(new t.win.Event('change'));
    assert.equal(t.$('max-size-error').hidden, false);
    assert.equal(t.$('max-size-error').textContent, 'Type a size such as 500k, 1.5 MB or 200 KB.');
    assert.equal(size.getAttribute('aria-invalid'), 'true');
    assert.equal(t.$('run').textContent, 'Add photos to start');
  } finally {
    await t.close();
  }
  // The next visit opens the panel on the error.
  const next = makePage({ storage });
  try {
    next.page.output.load();
    next.page.output.render();
    assert.equal(next.$('output-panel').open, true);
    assert.equal(next.$('max-size-error').hidden, false);
  } finally {
    await next.close();
  }
});
