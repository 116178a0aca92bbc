import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerPool, poolSize, memoryCap } from '../src/pool.js';

// A fake module worker: jobs finish when the test says so; `terminate` is recorded.
class FakeWorker {
  static all = [];
  constructor() { this.sent = []; this.terminated = false; FakeWorker.all.push(this); }
  postMessage(msg, transfer) { this.sent.push({ msg, transfer }); }
  terminate() { this.terminated = true; }
  get jobs() { return this.sent.map((s) => s.msg).filter((m) => m.type !== 'init'); }
  reply(data) { this.onmessage({ data }); }
}
const tick = () => new Promise((r) => setTimeout(r, 0));

function makePool(size = 2, opts = {}) {
  FakeWorker.all = [];
  return new WorkerPool('w.js', { size, createWorker: () => new FakeWorker(), init: { module: 'M' }, ...opts });
}

test('pool size: one per core, capped at 4, at least 1', () => {
  assert.equal(poolSize(8), 4);
  assert.equal(poolSize(2), 2);
  assert.equal(poolSize(0), 1);
  assert.equal(poolSize(undefined), 2);
});

test('pool size follows device memory: 1 worker at 1 GB, 2 on a 4 GB phone, 4 above', () => {
  assert.deepEqual([0.5, 1, 2, 4, 8, 16, undefined, NaN].map(memoryCap), [1, 1, 2, 2, 4, 4, 4, 4]);
  assert.equal(poolSize(8, memoryCap(4)), 2, 'an 8-core phone with 4 GB');
  assert.equal(poolSize(8, memoryCap(1)), 1);
  assert.equal(poolSize(2, memoryCap(8)), 2, 'a 2-core laptop');
});

test('jobs spread over workers, the rest wait in one queue; workers get init first', async () => {
  const pool = makePool(2);
  const done = [1, 2, 3].map((n) => pool.run('process', { n }));
  await tick();
  assert.equal(FakeWorker.all.length, 2);
  const [a, b] = FakeWorker.all;
  assert.deepEqual(a.sent.at(-1).msg.type, 'init');
  assert.equal(a.sent.at(-1).msg.module, 'M');
  assert.equal(a.jobs[0].n, 1);
  assert.equal(b.jobs[0].n, 2);
  assert.equal(pool.pending, 3);
  b.reply({ id: b.jobs[0].id, type: 'result', value: 'two' });
  assert.equal(await done[1], 'two');
  assert.equal(b.jobs[1].n, 3, 'the free worker takes the queued job');
  a.reply({ id: a.jobs[0].id, type: 'result', value: 'one' });
  b.reply({ id: b.jobs[1].id, type: 'result', value: 'three' });
  assert.deepEqual(await Promise.all(done), ['one', 'two', 'three']);
  assert.equal(pool.spawned, 2);
  pool.terminate();
});

test('progress reaches the caller; errors keep their kind; transfer lists pass through', async () => {
  const pool = makePool(1);
  const seen = [];
  const buf = new ArrayBuffer(8);
  const job = pool.run('process', { file: buf }, { onProgress: (p) => seen.push(p.fraction), transfer: [buf] });
  await tick();
  const [w] = FakeWorker.all;
  assert.deepEqual(w.sent.find((s) => s.msg.type === 'process').transfer, [buf]);
  const { id } = w.jobs[0];
  w.reply({ id, type: 'progress', progress: { fraction: 0.5 } });
  w.reply({ id, type: 'error', error: { kind: 'decode', message: 'cannot decode image: truncated' } });
  await assert.rejects(job, (e) => e.kind === 'decode' && /truncated/.test(e.message));
  assert.deepEqual(seen, [0.5]);
  assert.equal(w.terminated, false, 'an engine error keeps the worker');
  pool.terminate();
});

test('aborting a queued job drops it; aborting a running job terminates its worker and the next job respawns', async () => {
  const pool = makePool(1);
  const c1 = new AbortController();
  const c2 = new AbortController();
  const running = pool.run('process', { n: 1 }, { signal: c1.signal });
  const queued = pool.run('process', { n: 2 }, { signal: c2.signal });
  const third = pool.run('process', { n: 3 });
  await tick();
  c2.abort();
  await assert.rejects(queued, { name: 'AbortError' });
  c1.abort();
  await assert.rejects(running, { name: 'AbortError' });
  assert.equal(FakeWorker.all[0].terminated, true);
  await tick();
  assert.equal(FakeWorker.all.length, 2, 'a fresh worker for the next job');
  const w2 = FakeWorker.all[1];
  assert.equal(w2.jobs[0].n, 3);
  w2.reply({ id: w2.jobs[0].id, type: 'result', value: 3 });
  assert.equal(await third, 3);
  assert.equal(FakeWorker.all[0].jobs.filter((j) => j.n === 2).length, 0, 'the dropped job never ran');
  pool.terminate();
});

test('an already-aborted signal rejects at once; a crash fails only the running job', async () => {
  const pool = makePool(1);
  await assert.rejects(pool.run('x', {}, { signal: AbortSignal.abort() }), { name: 'AbortError' });
  const a = pool.run('x', { n: 1 });
  const b = pool.run('x', { n: 2 });
  await tick();
  FakeWorker.all[0].onerror({ message: 'boom', preventDefault() {} });
  await assert.rejects(a, /boom/);
  await tick();
  const w2 = FakeWorker.all[1];
  w2.reply({ id: w2.jobs[0].id, type: 'result', value: 'ok' });
  assert.equal(await b, 'ok');
  pool.terminate();
});

test('idle workers are terminated after idleMs', async () => {
  const pool = makePool(1, { idleMs: 5 });
  const job = pool.run('x', {});
  await tick();
  const [w] = FakeWorker.all;
  w.reply({ id: w.jobs[0].id, type: 'result', value: 1 });
  await job;
  assert.equal(w.terminated, false);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(w.terminated, true);
});

test('background jobs (previews) wait behind every other job, in their own order', async () => {
  const pool = makePool(1);
  const order = [];
  const run = (n, background) => pool.run('x', { n }, { background }).then(() => order.push(n));
  const all = [run(1, false), run('p1', true), run('p2', true), run(2, false), run(3, false)];
  await tick();
  const [w] = FakeWorker.all;
  for (let i = 0; i < 5; i++) {
    const job = w.jobs[i];
    w.reply({ id: job.id, type: 'result', value: null });
    await tick();
  }
  await Promise.all(all);
  assert.deepEqual(order, [1, 2, 3, 'p1', 'p2']);
  pool.terminate();
});
