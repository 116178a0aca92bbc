import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseByteSize, formatByteSize, jobOptions, sanitizeSettings, loadSettings, saveSettings, resultNote,
  explainUnreachable, summarize, DEFAULT_SETTINGS, STORAGE_KEY, MIN_BYTES, MAX_BYTES,
} from '../src/output-settings.js';

const bytes = (t) => parseByteSize(t).bytes;
const error = (t) => parseByteSize(t).error;

test('sizes read with the CLI units: k = 1000, M = 1,000,000', () => {
  assert.equal(bytes('500k'), 500_000);
  assert.equal(bytes('1.5 MB'), 1_500_000);
  assert.equal(bytes('200 KB'), 200_000);
  assert.equal(bytes('200kb'), 200_000);
  assert.equal(bytes('2M'), 2_000_000);
  assert.equal(bytes('200000'), 200_000);
  assert.equal(bytes('200000 bytes'), 200_000);
  assert.equal(bytes('  150 kB  '), 150_000);
  assert.equal(bytes('.5 MB'), 500_000);
  assert.equal(bytes('1.'), undefined); // 1 byte: too small
  assert.equal(bytes('100 KiB'), 102_400);
  assert.equal(bytes('1 MiB'), 1_048_576);
  assert.equal(bytes('1.0256k'), 1026); // rounded like the CLI
});

test('no size means no limit', () => {
  assert.deepEqual(parseByteSize(''), { bytes: null });
  assert.deepEqual(parseByteSize('   '), { bytes: null });
  assert.deepEqual(parseByteSize(undefined), { bytes: null });
});

test('bad sizes get a clear message', () => {
  assert.equal(error('lots'), 'Type a size such as 500k, 1.5 MB or 200 KB.');
  assert.equal(error('-5k'), 'Type a size such as 500k, 1.5 MB or 200 KB.');
  assert.equal(error('1e6'), 'Type a size such as 500k, 1.5 MB or 200 KB.');
  assert.equal(error('5 kg'), '“kg” is not a size unit: use KB (1000 bytes) or MB (1,000,000 bytes).');
  assert.equal(error('2 GB'), '“GB” is not a size unit: use KB (1000 bytes) or MB (1,000,000 bytes).');
  assert.equal(error('1,5 MB'), 'Use a point for decimals, e.g. 1.5 MB.');
  assert.equal(error('5 k b'), 'Type a size such as 500k, 1.5 MB or 200 KB.');
  assert.match(error('1k'), /smallest max file size is 1024 bytes/);
  assert.match(error('2000 MB'), /largest max file size is 1 GB/);
  assert.equal(bytes(String(MIN_BYTES)), MIN_BYTES);
  assert.equal(bytes(String(MAX_BYTES)), MAX_BYTES);
});

test('budgets are shown in the same units', () => {
  assert.equal(formatByteSize(150_000), '150 KB');
  assert.equal(formatByteSize(1_500_000), '1.5 MB');
  assert.equal(formatByteSize(1024), '1.02 KB');
  assert.equal(formatByteSize(999), '999 bytes');
  for (const t of ['500k', '1.5 MB', '200 KB', '2M']) assert.equal(bytes(formatByteSize(bytes(t))), bytes(t), t);
});

test('default settings send no options (the engine defaults apply)', () => {
  assert.deepEqual(jobOptions(DEFAULT_SETTINGS), { options: {}, error: '' });
});

test('settings become the engine job options', () => {
  const s = {
    ...DEFAULT_SETTINGS, format: 'webp', qualityOn: true, quality: 80, maxWidth: 1200, maxSize: '150 KB',
    minQuality: 50, neverLarger: 'off', metadata: 'keep', keepGps: true,
  };
  assert.deepEqual(jobOptions(s).options, {
    outputFormat: 'webp', quality: 80, maxWidth: 1200, maxBytes: 150_000, minQuality: 50,
    neverLarger: false, metadata: 'keep', keepGps: true,
  });
  assert.deepEqual(jobOptions({ ...s, neverLarger: 'on' }).options.neverLarger, true);
  assert.equal(jobOptions({ ...s, smallest: true }).options.effort, 'max');
  assert.match(summarize(jobOptions({ ...DEFAULT_SETTINGS, smallest: true }).options), /smallest files/);
  // GPS only goes with "keep"; minimum quality only with a max size; quality only when set.
  assert.deepEqual(jobOptions({ ...DEFAULT_SETTINGS, metadata: 'copyright', keepGps: true, minQuality: 60, quality: 20 }).options,
    { metadata: 'copyright' });
});

test('a bad max size is reported and not sent', () => {
  const r = jobOptions({ ...DEFAULT_SETTINGS, maxSize: 'big' });
  assert.deepEqual(r.options, {});
  assert.match(r.error, /500k/);
});

test('stored settings are checked field by field', () => {
  assert.deepEqual(sanitizeSettings(null), DEFAULT_SETTINGS);
  assert.deepEqual(sanitizeSettings('x'), DEFAULT_SETTINGS);
  const s = sanitizeSettings({ metadata: 'everything', keepGps: 'yes', quality: 500, minQuality: 30, maxWidth: 0, maxHeight: 900, format: 'png', extra: 1 });
  assert.deepEqual(s, { ...DEFAULT_SETTINGS, minQuality: 30, maxHeight: 900, format: 'png' });
});

test('settings survive a save and load, and broken storage falls back to defaults', () => {
  const map = new Map();
  const storage = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => map.set(k, v) };
  assert.deepEqual(loadSettings(storage), DEFAULT_SETTINGS);
  const s = { ...DEFAULT_SETTINGS, maxSize: '1.5 MB', metadata: 'copyright', neverLarger: 'on' };
  saveSettings(s, storage);
  assert.deepEqual(loadSettings(storage), s);
  map.set(STORAGE_KEY, '{not json');
  assert.deepEqual(loadSettings(storage), DEFAULT_SETTINGS);
  const throwing = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('quota'); } };
  assert.deepEqual(loadSettings(throwing), DEFAULT_SETTINGS);
  assert.doesNotThrow(() => saveSettings(s, throwing));
});

test('results say what the size search chose', () => {
  const o = { maxBytes: 150_000 };
  assert.equal(resultNote({ quality: 62, scale: 0.8, keptInput: false }, o), 'q62, 80 % scale');
  assert.equal(resultNote({ quality: 85, scale: 1, keptInput: false }, o), 'q85, full size');
  assert.equal(resultNote({ scale: 1, keptInput: false }, o), 'full size'); // PNG: no quality
  assert.equal(resultNote({ quality: 90, scale: 1, keptInput: true }, {}), 'kept original (smaller)');
  assert.equal(resultNote({ quality: 90, scale: 1, keptInput: false }, {}), '');
});

test('target_unreachable in plain words, per format', () => {
  const o = { maxBytes: 2000, minQuality: 40 };
  assert.match(explainUnreachable('a lossless file of this image cannot fit in 1900 bytes', o, 'png'),
    /^Can't fit in 2 KB as PNG: .*Choose JPEG or WebP/);
  assert.match(explainUnreachable('the image does not fit in 1900 bytes even at quality 40 and 10% of its size', o, 'jpg'),
    /^Can't fit in 2 KB, even at quality 40/);
  assert.match(explainUnreachable('the metadata alone leaves no room for the picture in 2000 bytes', o, 'webp'), /metadata/);
});

test('the summary names every active option', () => {
  assert.equal(summarize({}), 'format as planned · auto quality · any size · no metadata');
  assert.equal(summarize({ outputFormat: 'jpg', quality: 80, maxWidth: 1200, maxBytes: 500_000, metadata: 'keep', keepGps: true }),
    'JPEG · quality 80 · fit 1200 × any px · ≤ 500 KB · metadata kept with GPS');
});
