import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePage, FakePool, file, settle } from './page-env.mjs';

const flip = { tool: 'flip', params: { direction: 'horizontal' }, applyToAll: true };
const grey = { tool: 'apply_filter', params: { filter: 'grayscale' }, applyToAll: true };

/** A page with photos inspected and a plan, whose process jobs the test answers. */
async function ready(names, calls) {
  const pool = new FakePool({ inspect: (j) => j.resolve({ width: 100, height: 80, format: 'jpeg' }) });
  const t = makePage({ pool });
  await t.page.photos.addFiles(names.map((n) => file(n)));
  t.page.planView.setCalls(calls);
  return t;
}

const result = (over = {}) => ({ width: 50, height: 40, format: 'jpg', mimeType: 'image/jpeg', bytes: new Uint8Array(300), crc: 7, ...over });

test('a run processes each photo through the pool and shows the results', async () => {
  const t = await ready(['a.jpg', 'b.jpg'], [flip, { ...grey, applyToAll: false, imageId: 'img_2' }]);
  try {
    assert.equal(t.$('run').textContent, 'Process 2 photos');
    const running = t.page.run.start();
    assert.equal(t.page.state.run.active, true);
    assert.equal(t.$('run').disabled, true);
    const jobs = t.pool.pendingOf('process');
    assert.equal(jobs.length, 2);
    assert.deepEqual(jobs[0].msg.toolCalls.map((c) => c.tool), ['flip'], 'a targeted step applies to its photo only');
    assert.deepEqual(jobs[1].msg.toolCalls.map((c) => c.tool), ['flip', 'apply_filter']);
    assert.deepEqual(jobs[0].msg.input, { name: 'a.jpg', id: 'img_1' });

    jobs[1].onProgress({ step: 2, steps: 4, fraction: 0.5 });
    t.flushFrames();
    const b = t.page.state.images.get('img_2');
    assert.equal(b.status, 'processing');
    assert.equal(b.el.querySelector('.status').textContent, 'Step 2 of 2: Black and white (only b.jpg)');
    assert.match(t.$('overall-text').textContent, /^Processing · 0 of 2 finished/);
    assert.match(t.doc.title, /^\(0\/2\) /);

    jobs[0].resolve(result({ fileName: 'a-edited.jpg' }));
    jobs[1].resolve(result({ format: '', mimeType: '', fileName: 'b-flipped.jpg' }));
    await running;
    const a = t.page.state.images.get('img_1');
    assert.equal(a.status, 'done');
    assert.equal(a.result.size, 300);
    assert.equal(a.result.blob.type, 'image/jpeg');
    assert.equal(b.result.fileName, 'b-flipped.jpg', 'the engine names the result');
    assert.equal(b.result.format, 'jpg', 'the plan gives the format and type the engine left out');
    assert.equal(b.result.mimeType, 'image/jpeg');
    assert.equal(t.page.state.run.active, false);
    assert.equal(t.$('overall-text').textContent, '2 done');
    assert.equal(t.$('download-zip').hidden, false);
    assert.match(a.el.querySelector('.status').textContent, /^Done · 50 × 40 JPG · 300 B/);
    assert.equal(t.doc.title, t.page.baseTitle);
  } finally {
    await t.close();
  }
});

test('a bad plan stops the batch once, at the plan', async () => {
  const t = await ready(['a.jpg', 'b.jpg'], [{ tool: 'rotate', params: { degrees: 900 }, applyToAll: true }]);
  try {
    const running = t.page.run.start();
    const [first] = t.pool.pendingOf('process');
    first.reject(Object.assign(new Error('toolCalls[0].params.degrees: expected a number from -360 to 360, got 900'), { kind: 'invalid_params' }));
    await running;
    const statuses = [...t.page.state.images.values()].map((i) => i.status);
    assert.deepEqual(statuses, ['error', 'cancelled']);
    assert.equal(t.page.state.plan.error, 'Step 1 (Rotate 900° clockwise): degrees expected a number from -360 to 360, got 900');
    assert.equal(t.$('overall-text').textContent, '0 done · 1 failed · 1 cancelled');
  } finally {
    await t.close();
  }
});

test('one photo that cannot fit fails alone, in words', async () => {
  const t = await ready(['a.png', 'b.jpg'], [flip]);
  try {
    t.$('opt-max-size').value = '2 KB';
    const running = t.page.run.start();
    const [a, b] = t.pool.pendingOf('process');
    assert.equal(a.msg.options.maxBytes, 2000);
    a.reject(Object.assign(new Error('lossless output cannot fit'), { kind: 'target_unreachable' }));
    b.resolve(result());
    await running;
    const img = t.page.state.images.get('img_1');
    assert.equal(img.status, 'error');
    assert.match(img.error, /^Can't fit in 2 KB/);
    assert.equal(t.page.state.images.get('img_2').status, 'done');
  } finally {
    await t.close();
  }
});

test('cancel all aborts every job; changes after a run mark the results stale', async () => {
  const t = await ready(['a.jpg'], [flip]);
  try {
    const running = t.page.run.start();
    t.page.run.cancelAll();
    await running;
    assert.equal(t.page.state.images.get('img_1').status, 'cancelled');
    assert.equal(t.page.state.run.stale, undefined);
    t.page.planView.setCalls([grey]);
    assert.equal(t.page.state.run.stale, true);
    assert.match(t.$('results-summary').textContent, /^The photos or the plan changed/);
    // A new run starts from fresh results.
    const again = t.page.run.start();
    await settle();
    assert.equal(t.page.state.run.stale, undefined);
    t.pool.pendingOf('process').at(-1).resolve(result());
    await again;
  } finally {
    await t.close();
  }
});
