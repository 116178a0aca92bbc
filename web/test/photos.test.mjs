import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admit, pastedFile } from '../src/photos.js';
import { makePage, FakePool, file } from './page-env.mjs';

test('a batch holds at most 50 photos, and the notice says how many were left out', () => {
  assert.deepEqual(admit(3, 0, 'by drop'), { accepted: 3, refused: 0, text: 'Added 3 photos by drop.', tone: 'info' });
  assert.deepEqual(admit(3, 49), {
    accepted: 1, refused: 2, tone: 'warn',
    text: 'Added 1 photo. 2 not added: a batch holds at most 50 photos. Remove some to add others.',
  });
  assert.equal(admit(1, 50).accepted, 0);
  assert.equal(admit(1, 50).text, '1 not added: a batch holds at most 50 photos. Remove some to add others.');
});

test('pasted images get names of their own', () => {
  const named = file('Dune.jpg');
  assert.equal(pastedFile(named, 0), named);
  const pasted = pastedFile(new File([new Uint8Array(4)], 'image.png', { type: 'image/png' }), 1, 1234);
  assert.equal(pasted.name, 'pasted-1234-2.png');
  assert.equal(pastedFile(new File([new Uint8Array(4)], '', { type: 'image/jpeg' }), 0, 5).name, 'pasted-5-1.jpg');
});

test('added photos get a card and are inspected; one the engine cannot read is flagged', async () => {
  const pool = new FakePool({
    inspect: (job) => (job.msg.file.name === 'bad.jpg'
      ? job.reject(Object.assign(new Error('unknown format'), { kind: 'decode' }))
      : job.resolve({ width: 640, height: 480, format: 'jpeg' })),
  });
  const t = makePage({ pool });
  try {
    await t.page.photos.addFiles([file('a.jpg'), file('bad.jpg')]);
    const [a, bad] = t.page.state.images.values();
    assert.equal(a.status, 'ready');
    assert.equal(bad.status, 'unreadable');
    assert.equal(bad.errorDetail, 'unknown format');
    const cards = t.doc.querySelectorAll('#grid .card');
    assert.equal(cards.length, 2);
    assert.equal(cards[0].querySelector('.facts').textContent, '1 KB · 640 × 480 · JPEG');
    assert.match(cards[1].querySelector('.status').textContent, /Can't read this file/);
    assert.equal(t.$('photo-count').textContent, '2 of 50');
    assert.equal(t.$('add-notice').textContent, 'Added 2 photos.');
    assert.equal(t.$('run').textContent, 'Add a step to start');
  } finally {
    await t.close();
  }
});

test('the 51st photo is refused, removing frees its place', async () => {
  const t = makePage({ pool: new FakePool({ inspect: (j) => j.resolve({ width: 1, height: 1, format: 'png' }) }) });
  try {
    await t.page.photos.addFiles(Array.from({ length: 51 }, (_, i) => file(`p${i}.png`)));
    assert.equal(t.page.state.images.size, 50);
    assert.equal(t.$('add-notice').dataset.tone, 'warn');
    const first = [...t.page.state.images.keys()][0];
    t.page.photos.remove(first);
    assert.equal(t.page.state.images.size, 49);
    assert.equal(t.doc.querySelectorAll('#grid .card').length, 49);
    t.page.photos.removeAll();
    assert.equal(t.page.state.images.size, 0);
    assert.equal(t.$('photo-count').textContent, 'None yet · up to 50');
    assert.equal(t.$('dropzone').dataset.empty, 'true');
  } finally {
    await t.close();
  }
});

test('a photo removed while being inspected stays removed', async () => {
  const pool = new FakePool();
  const t = makePage({ pool });
  try {
    const done = t.page.photos.addFiles([file('a.jpg')]);
    t.page.photos.remove('img_1');
    pool.jobs[0].resolve({ width: 1, height: 1, format: 'jpeg' });
    await done;
    assert.equal(t.page.state.images.size, 0);
  } finally {
    await t.close();
  }
});

test('a large photo shows an engine-made preview, never the full file; a small one shows itself', async () => {
  const sizes = { 'big.jpg': { width: 4032, height: 3024, format: 'jpeg' }, 'small.jpg': { width: 800, height: 600, format: 'jpeg' } };
  const pool = new FakePool({ inspect: (job) => job.resolve(sizes[job.msg.file.name]) });
  const t = makePage({ pool });
  const made = [];
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = (blob) => { made.push(blob); return `blob:test/${made.length}`; };
  try {
    await t.page.photos.addFiles([file('big.jpg', 5_000_000), file('small.jpg')]);
    const [big, small] = t.page.state.images.values();
    const src = (img) => img.el.querySelector('img').getAttribute('src');
    assert.equal(src(small), small.url);
    assert.equal(src(big), null, 'no picture until the preview is made');
    const [job] = pool.pendingOf('preview');
    assert.equal(pool.pendingOf('preview').length, 1);
    assert.equal(job.msg.file, big.file);
    assert.equal(job.msg.side, 480);
    job.resolve({ width: 480, height: 360, mimeType: 'image/webp', bytes: new Uint8Array(10) });
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual([big.preview.width, big.preview.height], [480, 360]);
    assert.equal(src(big), big.preview.url);
    assert.equal(made.at(-1).type, 'image/webp');
  } finally {
    URL.createObjectURL = createObjectURL;
    t.close();
  }
});
