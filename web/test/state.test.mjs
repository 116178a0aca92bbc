import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createState, runnable, finished, busy, MAX_IMAGES } from '../src/state.js';

test('each state is fresh', () => {
  const a = createState();
  const b = createState();
  a.images.set('img_1', {});
  a.plan.calls.push({ tool: 'flip' });
  assert.equal(b.images.size, 0);
  assert.deepEqual(b.plan.calls, []);
  assert.equal(a.run, null);
  assert.equal(MAX_IMAGES, 50);
});

test('runnable, finished and busy read the state', () => {
  const s = createState();
  s.images.set('a', { status: 'ready' });
  s.images.set('b', { status: 'unreadable' });
  s.images.set('c', { status: 'done', result: {} });
  s.images.set('d', { status: 'done' });
  assert.equal(runnable(s).length, 3);
  assert.deepEqual(finished(s), [s.images.get('c')]);
  assert.equal(busy(s), false);
  s.run = { active: true };
  assert.equal(busy(s), true);
  s.run = { active: false };
  s.cloud = { active: true };
  assert.equal(busy(s), true);
});

test("the page's batch limit is the worker's session limit", async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = new URL('../../worker/src/', import.meta.url);
  const sources = readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.rs'));
  const limits = sources.flatMap((f) => [...readFileSync(new URL(String(f), dir), 'utf8').matchAll(/\bMAX_IMAGES: usize = (\d+);/g)].map((m) => Number(m[1])));
  assert.deepEqual(limits, [MAX_IMAGES], 'worker/src defines MAX_IMAGES once, equal to the page\'s');
});
