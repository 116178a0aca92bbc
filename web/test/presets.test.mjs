import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  presetFromPlan, presetName, checkPreset, upsertPreset, removePreset, findPreset, loadPresets, savePresets,
  exportPresets, importPresets, PresetError, STORAGE_KEY, MAX_PRESETS, MAX_NAME,
} from '../src/presets.js';

/** A localStorage stand-in (Node has none). */
class MemoryStorage {
  constructor(init = {}) { this.map = new Map(Object.entries(init)); }
  getItem(k) { return this.map.has(k) ? this.map.get(k) : null; }
  setItem(k, v) { this.map.set(k, String(v)); }
}

const PLAN = [
  { tool: 'apply_filter', params: { filter: 'grayscale' }, applyToAll: true },
  { tool: 'resize', params: { width: 1200 }, applyToAll: true },
  { tool: 'add_text', params: { text: '© Ana' }, applyToAll: false, imageId: 'img_2' },
  { tool: 'convert_format', params: { format: 'webp', quality: 80 }, applyToAll: true },
];
const throwsAt = (fn, re) => assert.throws(fn, (e) => e instanceof PresetError && re.test(e.message), re.source);

test('a plan becomes a named preset of its steps for every photo; steps for one photo are left out', () => {
  const { preset, skipped } = presetFromPlan('  Web   1200 ', PLAN);
  assert.equal(skipped, 1);
  assert.deepEqual(preset, {
    name: 'Web 1200',
    toolCalls: [
      { tool: 'apply_filter', params: { filter: 'grayscale' } },
      { tool: 'resize', params: { width: 1200 } },
      { tool: 'convert_format', params: { format: 'webp', quality: 80 } },
    ],
  });
  throwsAt(() => presetFromPlan('x', []), /no steps/);
  throwsAt(() => presetFromPlan('x', [PLAN[2]]), /one photo only/);
  throwsAt(() => presetFromPlan('   ', PLAN), /^preset\.name: the name is empty/);
});

test('names: trimmed, at most 60 characters, no control characters', () => {
  assert.equal(presetName(' Insta\tsquare '), 'Insta square');
  assert.equal(presetName('é'.repeat(MAX_NAME)).length, MAX_NAME);
  throwsAt(() => presetName('a'.repeat(MAX_NAME + 1)), /at most 60 characters, got 61/);
  throwsAt(() => presetName('bad\u0007name'), /control characters/);
  throwsAt(() => presetName(42, 'presets[0].name'), /^presets\[0\]\.name: expected a name \(text\), got number 42/);
});

test('saving a name that exists replaces that preset in place (ignoring case); delete and find', () => {
  const a = presetFromPlan('Web', PLAN).preset;
  const b = presetFromPlan('Print', PLAN.slice(0, 1)).preset;
  let list = upsertPreset(upsertPreset([], a), b);
  const a2 = presetFromPlan('WEB', PLAN.slice(1, 2)).preset;
  list = upsertPreset(list, a2);
  assert.deepEqual(list.map((p) => p.name), ['WEB', 'Print']);
  assert.equal(findPreset(list, 'web').toolCalls[0].tool, 'resize');
  assert.deepEqual(removePreset(list, 'print').map((p) => p.name), ['WEB']);
  const full = Array.from({ length: MAX_PRESETS }, (_, i) => ({ ...a, name: `p${i}` }));
  throwsAt(() => upsertPreset(full, b), /At most 100 presets/);
  assert.equal(upsertPreset(full, { ...b, name: 'P3' }).length, MAX_PRESETS, 'replacing is allowed when full');
});

test('stored in localStorage; a damaged entry is dropped, the others load', () => {
  const storage = new MemoryStorage();
  const list = [presetFromPlan('Web', PLAN).preset];
  savePresets(list, storage);
  assert.deepEqual(loadPresets(storage), list);
  const mixed = [list[0], { name: '', toolCalls: [] }, 'junk', { name: 'Ok', toolCalls: [{ tool: 'flip', params: { direction: 'vertical' } }] }];
  storage.setItem(STORAGE_KEY, JSON.stringify(mixed));
  assert.deepEqual(loadPresets(storage).map((p) => p.name), ['Web', 'Ok']);
  storage.setItem(STORAGE_KEY, '{not json');
  assert.deepEqual(loadPresets(storage), []);
  assert.deepEqual(loadPresets(new MemoryStorage()), []);
  const full = { setItem() { throw new Error('QuotaExceededError'); } };
  throwsAt(() => savePresets(list, full), /Couldn't keep the presets on this device: QuotaExceededError/);
});

test('export then import gives the same presets back; an import merges by name', () => {
  const list = [presetFromPlan('Web', PLAN).preset, presetFromPlan('Mono', PLAN.slice(0, 1)).preset];
  const text = exportPresets(list, new Date('2026-12-03T18:00:00Z'));
  const data = JSON.parse(text);
  assert.equal(data.kind, 'retouch-presets');
  assert.equal(data.version, 1);
  assert.equal(data.exportedAt, '2026-12-03T18:00:00.000Z');
  const fresh = importPresets(text, []);
  assert.deepEqual(fresh, { presets: list, added: 2, replaced: 0 });
  const existing = [{ name: 'mono', toolCalls: [{ tool: 'flip', params: {} }] }, { name: 'Mine', toolCalls: [{ tool: 'rotate', params: { degrees: 90 } }] }];
  const merged = importPresets(text, existing);
  assert.equal(merged.added, 1);
  assert.equal(merged.replaced, 1);
  assert.deepEqual(merged.presets.map((p) => p.name), ['Mono', 'Mine', 'Web']);
  assert.equal(findPreset(merged.presets, 'mono').toolCalls[0].tool, 'apply_filter');
});

test('a bad file is refused with the exact place, and nothing changes', () => {
  const file = (presets, extra = {}) => JSON.stringify({ kind: 'retouch-presets', version: 1, presets, ...extra });
  const ok = { name: 'A', toolCalls: [{ tool: 'resize', params: { width: 10 } }] };
  const existing = [ok];
  const cases = [
    ['{', /^Not a JSON file/],
    ['[]', /Not a Retouch presets file/],
    [JSON.stringify({ kind: 'other', presets: [] }), /Not a Retouch presets file/],
    [file([ok], { version: 2 }), /newer Retouch \(version 2\)/],
    [file([ok], { version: '1' }), /^version: expected 1, got "1"/],
    [file([]), /the file has no presets/],
    [file({}), /^presets: expected a list, got an object/],
    [file([ok, 'x']), /^presets\[1\]: expected an object/],
    [file([{ ...ok, colour: 1 }]), /^presets\[0\]\.colour: unknown field/],
    [file([{ name: 'B', toolCalls: [] }]), /^presets\[0\]\.toolCalls: a preset needs at least one step/],
    [file([{ name: 'B', toolCalls: [{ tool: 'Resize!' }] }]), /^presets\[0\]\.toolCalls\[0\]\.tool: expected a tool name/],
    [file([{ name: 'B', toolCalls: [{ tool: 'resize', params: [1] }] }]), /^presets\[0\]\.toolCalls\[0\]\.params: expected an object, got a list/],
    [file([{ name: 'B', toolCalls: [{ tool: 'resize', imageId: 'img_1' }] }]), /imageId: a preset's steps are for every photo/],
    [file([{ name: 'B', toolCalls: [{ tool: 'resize', applyToAll: false }] }]), /applyToAll: a preset's steps are for every photo \(true\), got false/],
    [file([{ name: 'B', toolCalls: [{ tool: 'add_text', params: { text: 'x'.repeat(2001) } }] }]), /params\.text: text longer than 2000/],
    [file([{ name: 'B', toolCalls: [{ tool: 'resize', params: { a: { b: { c: { d: { e: 1 } } } } } }] }]), /nested too deeply/],
    ['{"kind":"retouch-presets","version":1,"presets":[{"name":"B","toolCalls":[{"tool":"resize","params":{"__proto__":{"x":1}}}]}]}', /params\.__proto__: not allowed/],
    [file([ok, { ...ok, name: 'a' }]), /^presets\[1\]\.name: "a" is already presets\[0\]/],
    ['x'.repeat(1_000_001), /Too large for a presets file/],
  ];
  for (const [text, re] of cases) {
    throwsAt(() => importPresets(text, existing), re);
  }
  assert.deepEqual(existing, [ok], 'the list is untouched');
  const tooMany = file(Array.from({ length: MAX_PRESETS }, (_, i) => ({ ...ok, name: `n${i}` })));
  throwsAt(() => importPresets(tooMany, existing), /At most 100 presets/);
});

test('with the engine\'s tool list, an unknown tool is named', () => {
  const text = JSON.stringify({ kind: 'retouch-presets', version: 1, presets: [{ name: 'B', toolCalls: [{ tool: 'resize' }, { tool: 'blurr' }] }] });
  throwsAt(() => importPresets(text, [], { knownTools: ['resize', 'apply_filter'] }), /^presets\[0\]\.toolCalls\[1\]\.tool: unknown tool "blurr"/);
  assert.equal(importPresets(text, [], { knownTools: new Set(['resize', 'blurr']) }).added, 1);
  // A byte-order mark (some editors write one) is fine; missing params become {}.
  assert.deepEqual(importPresets(`\uFEFF${text}`, []).presets[0].toolCalls[0], { tool: 'resize', params: {} });
});

test('checkPreset copies: later changes to the input do not reach the stored preset', () => {
  const raw = { name: 'C', toolCalls: [{ tool: 'adjust', params: { brightness: 10, list: [1, 2] } }] };
  const p = checkPreset(raw);
  raw.toolCalls[0].params.brightness = 99;
  raw.toolCalls[0].params.list.push(3);
  assert.deepEqual(p.toolCalls[0].params, { brightness: 10, list: [1, 2] });
});
