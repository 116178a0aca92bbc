import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zipEntries, zipName, compareFacts } from '../src/results.js';
import { readStoredZip } from './read-zip.mjs';
import { crc32 } from '../src/zip.js';
import { makePage, FakePool, file } from './page-env.mjs';

const done = (name, bytes, extra = {}) => ({
  id: name, status: 'done', file: { name, size: 2000 }, info: { width: 200, height: 100 },
  result: { fileName: `${name}-edited.jpg`, blob: new Blob([bytes]), crc: crc32(bytes), width: 100, height: 50, format: 'jpg', size: bytes.length, ...extra },
});

test('zip entries, name and compare facts', () => {
  const img = done('a', new Uint8Array(500));
  assert.deepEqual(zipEntries([img]), [{ name: 'a-edited.jpg', bytes: img.result.blob, crc: img.result.crc }]);
  assert.equal(zipName(new Date('2026-12-03T17:55:12Z')), 'retouch-2026-12-03-17-55.zip');
  assert.equal(compareFacts(img), 'Before 200 × 100 · 2 KB  →  After 100 × 50 JPG · 500 B (−75 %)');
  assert.equal(compareFacts(done('b', new Uint8Array(10), { quality: 62, scale: 0.8 }), { maxBytes: 1500 }),
    'Before 200 × 100 · 2 KB  →  After 100 × 50 JPG · 10 B (−100 %) · q62, 80 % scale');
});

test('cards follow their photo: queued, working, done with a download, kept original', async () => {
  const t = makePage({ pool: new FakePool({ inspect: (j) => j.resolve({ width: 10, height: 10, format: 'png' }) }) });
  try {
    await t.page.photos.addFiles([file('a.png')]);
    const img = t.page.state.images.get('img_1');
    const card = img.el;
    img.status = 'queued';
    t.page.results.renderCard(img);
    assert.equal(card.querySelector('.status').textContent, 'Waiting…');
    assert.equal(card.querySelector('progress').hidden, false);
    assert.equal(card.querySelector('.cancel').hidden, false);
    assert.equal(card.querySelector('.remove').hidden, true);
    img.status = 'done';
    img.result = { url: 'blob:x', fileName: 'a-edited.png', width: 5, height: 5, format: 'png', size: 10, keptInput: true };
    t.page.results.renderCard(img);
    assert.equal(card.querySelector('.badge').textContent, 'Original kept');
    assert.equal(card.querySelector('.download').getAttribute('download'), 'a-edited.png');
    assert.equal(card.querySelector('img').getAttribute('src'), 'blob:x');
    assert.equal(card.querySelector('.thumb-compare').hidden, false);
    assert.match(card.querySelector('.status').textContent, /^Done · 5 × 5 PNG · 10 B −99 % · kept original \(smaller\)$/);
  } finally {
    await t.close();
  }
});

test('"Download all" zips every result with its name', async () => {
  const t = makePage();
  try {
    const a = done('a', new TextEncoder().encode('first'));
    const b = done('b', new TextEncoder().encode('second'));
    t.page.state.images.set('a', a).set('b', b).set('c', { status: 'error' });
    let clicked;
    t.win.HTMLAnchorElement.prototype.click = function click() { clicked = { href: this.href, name: this.download }; };
    const made = [];
    const realCreate = URL.createObjectURL;
    URL.createObjectURL = (blob) => { made.push(blob); return 'blob:zip'; };
    try {
      t.page.results.downloadZip();
    } finally {
      URL.createObjectURL = realCreate;
    }
    assert.match(clicked.name, /^retouch-\d{4}-\d\d-\d\d-\d\d-\d\d\.zip$/);
    const entries = readStoredZip(await made[0].arrayBuffer());
    assert.deepEqual(entries.map((e) => [e.name, new TextDecoder().decode(e.bytes)]), [['a-edited.jpg', 'first'], ['b-edited.jpg', 'second']]);
  } finally {
    await t.close();
  }
});

test('compare opens on the middle and follows the slider', async () => {
  const t = makePage();
  try {
    let shown = false;
    t.$('compare').showModal = () => { shown = true; };
    t.page.results.wire();
    const img = { ...done('a', new Uint8Array(5)), url: 'blob:before' };
    img.result.url = 'blob:after';
    t.page.results.openCompare(img);
    assert.equal(shown, true);
    assert.equal(t.$('compare-title').textContent, 'a');
    assert.equal(t.$('compare-range').value, '50');
    t.$('compare-range').value = '30';
    t.$('compare-range').dispatchEvent(new t.win.Event('input'));
    assert.equal(t.$('compare-stage').style.getPropertyValue('--pos'), '30%');
  } finally {
    await t.close();
  }
});
