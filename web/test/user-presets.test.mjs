// "My presets" on the page (web/src/user-presets.js over presets.js): save the plan under a name,
// find it again after a reload, use it, delete it, export and import the JSON file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPage } from '../src/page.js';
import { STORAGE_KEY, exportPresets } from '../src/presets.js';
import { makePage, memoryStorage, settle } from './page-env.mjs';

const PLAN = [
  { tool: 'resize', params: { width: 1200 } },
  { tool: 'convert_format', params: { format: 'webp', quality: 80 } },
];

function started(storage = memoryStorage()) {
  const t = makePage({ storage });
  startPage(t.page);
  return t;
}

test('"Save this plan as a preset": named, kept in localStorage, there again after a reload, and used on a new plan', async () => {
  const storage = memoryStorage();
  const t = started(storage);
  assert.equal(t.$('my-preset-save').disabled, true, 'nothing to save with an empty plan');
  assert.equal(t.$('my-preset-apply').disabled, true);
  t.page.planView.setCalls(PLAN);
  assert.equal(t.$('my-preset-save').disabled, false);
  t.$('my-preset-name').value = '  Web   1200 ';
  t.$('my-preset-form').dispatchEvent(new t.win.Event('submit', { cancelable: true }));
  assert.match(t.$('my-preset-message').textContent, /Saved the preset “Web 1200” \(2 steps\)/);
  assert.deepEqual(JSON.parse(storage.getItem(STORAGE_KEY)), [{ name: 'Web 1200', toolCalls: PLAN }]);
  assert.equal(t.$('my-presets-summary').textContent, '1 saved');
  t.close();

  const again = started(storage);
  assert.deepEqual([...again.$('my-preset-list').options].map((o) => o.textContent), ['Web 1200 (2 steps)']);
  assert.equal(again.page.state.plan.calls.length, 0);
  again.$('my-preset-apply').click();
  assert.deepEqual(again.page.state.plan.calls, PLAN.map((c) => ({ ...c, applyToAll: true })));
  assert.equal(again.$('plan').children.length, 2);
  assert.match(again.$('my-preset-message').textContent, /Plan set from “Web 1200”/);
  again.close();
});

test('saving under an existing name (any case) replaces it; steps for one photo are left out and counted; errors are said', () => {
  const t = started();
  t.page.planView.setCalls(PLAN);
  t.page.userPresets.save('web');
  t.page.planView.setCalls([{ tool: 'rotate', params: { degrees: 90 } }, { tool: 'add_text', params: { text: 'x' }, imageId: 'img_1' }]);
  t.page.userPresets.save('WEB');
  assert.deepEqual(t.page.userPresets.list, [{ name: 'WEB', toolCalls: [{ tool: 'rotate', params: { degrees: 90 } }] }]);
  assert.match(t.$('my-preset-message').textContent, /Replaced the preset “WEB” \(1 step\); 1 step for one photo left out/);
  assert.equal(t.page.userPresets.save('   '), null);
  assert.equal(t.$('my-preset-message').dataset.tone, 'error');
  assert.match(t.$('my-preset-message').textContent, /^Name: the name is empty/);
  t.page.userPresets.remove('web');
  assert.deepEqual(t.page.userPresets.list, []);
  assert.equal(t.$('my-preset-delete').disabled, true);
  t.close();
});

test('export downloads the JSON file; import merges one (all or nothing) and says what it did', async () => {
  const storage = memoryStorage();
  const t = started(storage);
  t.page.planView.setCalls(PLAN);
  t.page.userPresets.save('Web');
  const clicked = [];
  t.win.HTMLAnchorElement.prototype.click = function click() { clicked.push([this.download, this.href]); };
  t.page.userPresets.exportFile();
  assert.equal(clicked.length, 1);
  assert.equal(clicked[0][0], 'retouch-presets.json');
  const incoming = exportPresets([{ name: 'web', toolCalls: [{ tool: 'flip', params: { direction: 'horizontal' } }] }, { name: 'Print', toolCalls: [{ tool: 'resize', params: { width: 3000 } }] }]);
  await t.page.userPresets.importFile(new File([incoming], 'mine.json', { type: 'application/json' }));
  assert.match(t.$('my-preset-message').textContent, /Imported mine\.json: 1 added, 1 replaced/);
  assert.deepEqual(t.page.userPresets.list.map((p) => p.name), ['web', 'Print']);
  assert.equal(JSON.parse(storage.getItem(STORAGE_KEY)).length, 2);
  const broken = JSON.stringify({ kind: 'retouch-presets', version: 1, presets: [{ name: 'A', toolCalls: [{ tool: 'resize' }] }, { name: 'B', toolCalls: 'nope' }] });
  await t.page.userPresets.importFile(new File([broken], 'broken.json'));
  assert.match(t.$('my-preset-message').textContent, /Couldn't import broken\.json: presets\[1\]\.toolCalls: expected a list of steps/);
  assert.deepEqual(t.page.userPresets.list.map((p) => p.name), ['web', 'Print'], 'nothing imported');
  await settle();
  t.close();
});
