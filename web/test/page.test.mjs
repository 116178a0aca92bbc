import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { startPage, testHooks } from '../src/page.js';
import { makePage, FakeApi } from './page-env.mjs';

test('no module does work on import (only main.js, the entry, the engine worker and the service worker do)', async () => {
  const dir = new URL('../src/', import.meta.url);
  const modules = readdirSync(dir).filter((f) => f.endsWith('.js') && !['main.js', 'engine-worker.js', 'sw.js'].includes(f));
  assert.ok(modules.length >= 12, modules.join());
  // No DOM here: a module touching `document`, `window` or `localStorage` on import would throw.
  for (const f of modules) await import(new URL(f, dir));
  assert.equal(typeof globalThis.document, 'undefined');
});

test('the started page shows its empty state and the tests\' hooks', async () => {
  const t = makePage({ api: new FakeApi({ auth: { token: 't', email: 'ana@example.com' } }) });
  try {
    startPage(t.page);
    assert.equal(t.$('run').textContent, 'Add photos to start');
    assert.equal(t.$('run').disabled, true);
    assert.equal(t.$('photo-count').textContent, 'None yet · up to 50');
    assert.equal(t.$('plan-empty').hidden, false);
    assert.equal(t.$('account-email').textContent, 'ana@example.com');
    assert.equal(t.$('parser-note').textContent, 'Read by the server');
    assert.equal(t.$('batchbar').hidden, true);
    const hooks = testHooks(t.page);
    hooks.setPlan([{ tool: 'rotate', params: '{"degrees":90}' }]);
    assert.deepEqual(hooks.plan.calls, [{ tool: 'rotate', params: { degrees: 90 }, applyToAll: true }]);
    assert.equal(t.doc.querySelector('#plan .step-text').textContent, 'Rotate 90° clockwise');
    assert.equal(hooks.run, null);
    assert.equal(hooks.images, t.page.state.images);
    t.api.signOut();
    assert.equal(t.$('sign-in').hidden, false, 'the account follows sign-out');
  } finally {
    await t.close();
  }
});
