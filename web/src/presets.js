// User presets: a plan saved under a name, kept in localStorage, exported and imported as JSON.
//
//   const { preset } = presetFromPlan('Web 1200', plan.calls);
//   const list = upsertPreset(loadPresets(), preset);
//   savePresets(list);
//   const file = exportPresets(list);                  // text for a .json download
//   const { presets, added, replaced } = importPresets(text, list, { knownTools });
//
// A preset is `{name, toolCalls: [{tool, params}]}`: steps for every photo (a step for one photo
// names that photo, so it is not kept). Anything read back (storage, an imported file) is checked
// here with errors that name the place (`presets[2].toolCalls[0].tool: …`); the engine checks the
// parameters themselves when the plan runs. Pure functions: tested under Node (web/test/presets.test.mjs).

export const STORAGE_KEY = 'retouch.presets';
export const FILE_KIND = 'retouch-presets';
export const FILE_VERSION = 1;
export const MAX_PRESETS = 100;
export const MAX_NAME = 60;
export const MAX_STEPS = 50;
/** Imported files larger than this are refused before parsing. */
export const MAX_FILE_CHARS = 1_000_000;

/** A preset that cannot be saved or read; `message` names the place. */
export class PresetError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PresetError';
  }
}

const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_DEPTH = 4;
const MAX_STRING = 2000;

/** A preset name as stored: trimmed, inner whitespace collapsed. Throws if empty, too long or with control characters. */
export function presetName(raw, where = 'name') {
  if (typeof raw !== 'string') throw new PresetError(`${where}: expected a name (text), got ${typeOf(raw)}`);
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) throw new PresetError(`${where}: the name is empty`);
  if (name.length > MAX_NAME) throw new PresetError(`${where}: at most ${MAX_NAME} characters, got ${name.length}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new PresetError(`${where}: control characters are not allowed`);
  return name;
}

/**
 * A preset from the current plan. Steps for one photo (`applyToAll: false`) are left out and
 * counted in `skipped`, since a preset is for any batch.
 * @param {string} name
 * @param {Array<{tool: string, params?: object, applyToAll?: boolean, imageId?: string}>} calls
 * @returns {{preset: {name: string, toolCalls: Array<{tool: string, params: object}>}, skipped: number}}
 */
export function presetFromPlan(name, calls) {
  const all = Array.isArray(calls) ? calls : [];
  const kept = all.filter((c) => c && c.applyToAll !== false && !c.imageId);
  if (!kept.length) {
    throw new PresetError(all.length ? 'Every step is for one photo only: a preset keeps steps for all photos.' : 'The plan has no steps to save.');
  }
  const preset = checkPreset({ name, toolCalls: kept.map((c) => ({ tool: c.tool, params: c.params ?? {} })) }, 'preset');
  return { preset, skipped: all.length - kept.length };
}

/**
 * Checks one preset read from outside and returns a clean copy.
 * @param {unknown} raw
 * @param {string} where the place for error messages, e.g. `presets[2]`
 * @param {{knownTools?: Set<string>|string[]}} [opts] the engine's tool names, when known
 */
export function checkPreset(raw, where = 'preset', { knownTools } = {}) {
  if (!isPlainObject(raw)) throw new PresetError(`${where}: expected an object with "name" and "toolCalls", got ${typeOf(raw)}`);
  for (const k of Object.keys(raw)) {
    if (k !== 'name' && k !== 'toolCalls') throw new PresetError(`${where}.${k}: unknown field (a preset has "name" and "toolCalls")`);
  }
  const name = presetName(raw.name, `${where}.name`);
  const calls = raw.toolCalls;
  if (!Array.isArray(calls)) throw new PresetError(`${where}.toolCalls: expected a list of steps, got ${typeOf(calls)}`);
  if (!calls.length) throw new PresetError(`${where}.toolCalls: a preset needs at least one step`);
  if (calls.length > MAX_STEPS) throw new PresetError(`${where}.toolCalls: at most ${MAX_STEPS} steps, got ${calls.length}`);
  const known = knownTools ? new Set(knownTools) : null;
  const toolCalls = calls.map((c, i) => checkCall(c, `${where}.toolCalls[${i}]`, known));
  return { name, toolCalls };
}

function checkCall(c, where, known) {
  if (!isPlainObject(c)) throw new PresetError(`${where}: expected a step {"tool", "params"}, got ${typeOf(c)}`);
  for (const k of Object.keys(c)) {
    if (k === 'imageId') throw new PresetError(`${where}.imageId: a preset's steps are for every photo, not one`);
    if (k === 'applyToAll') {
      if (c.applyToAll !== true) throw new PresetError(`${where}.applyToAll: a preset's steps are for every photo (true), got ${JSON.stringify(c.applyToAll)}`);
      continue;
    }
    if (k !== 'tool' && k !== 'params') throw new PresetError(`${where}.${k}: unknown field (a step has "tool" and "params")`);
  }
  if (typeof c.tool !== 'string' || !TOOL_NAME.test(c.tool)) {
    throw new PresetError(`${where}.tool: expected a tool name such as "resize", got ${JSON.stringify(c.tool)?.slice(0, 80) ?? typeOf(c.tool)}`);
  }
  if (known && !known.has(c.tool)) throw new PresetError(`${where}.tool: unknown tool "${c.tool}"`);
  const params = c.params ?? {};
  if (!isPlainObject(params)) throw new PresetError(`${where}.params: expected an object, got ${typeOf(params)}`);
  return { tool: c.tool, params: checkValue(params, `${where}.params`, 0) };
}

// Parameters are plain JSON: finite numbers, short strings, booleans, small nested objects/lists.
function checkValue(v, where, depth) {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new PresetError(`${where}: expected a finite number`);
    return v;
  }
  if (typeof v === 'string') {
    if (v.length > MAX_STRING) throw new PresetError(`${where}: text longer than ${MAX_STRING} characters`);
    return v;
  }
  if (depth >= MAX_DEPTH) throw new PresetError(`${where}: nested too deeply`);
  if (Array.isArray(v)) return v.map((x, i) => checkValue(x, `${where}[${i}]`, depth + 1));
  if (isPlainObject(v)) {
    const out = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw new PresetError(`${where}.${k}: not allowed as a name`);
      out[k] = checkValue(x, `${where}.${k}`, depth + 1);
    }
    return out;
  }
  throw new PresetError(`${where}: expected JSON data, got ${typeOf(v)}`);
}

/** Same name, ignoring case: the preset a new one with `name` replaces. */
const sameName = (a, b) => a.toLocaleLowerCase('en') === b.toLocaleLowerCase('en');

/** The list with `preset` added, or replacing the one of the same name (case-insensitive) in place. */
export function upsertPreset(list, preset) {
  const i = list.findIndex((p) => sameName(p.name, preset.name));
  if (i >= 0) return list.map((p, j) => (j === i ? preset : p));
  if (list.length >= MAX_PRESETS) throw new PresetError(`At most ${MAX_PRESETS} presets: delete one to save another.`);
  return [...list, preset];
}

/** The list without the preset called `name`. */
export function removePreset(list, name) {
  return list.filter((p) => !sameName(p.name, name));
}

/** The preset called `name` (case-insensitive), or undefined. */
export function findPreset(list, name) {
  return list.find((p) => sameName(p.name, name));
}

/**
 * The saved presets. A damaged entry (edited by hand, an older format) is dropped, not fatal:
 * the others still load.
 */
export function loadPresets(storage = globalThis.localStorage) {
  let raw;
  try {
    raw = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out = [];
  for (const [i, p] of raw.entries()) {
    try {
      const preset = checkPreset(p, `presets[${i}]`);
      if (!findPreset(out, preset.name) && out.length < MAX_PRESETS) out.push(preset);
    } catch { /* dropped */ }
  }
  return out;
}

/** Keeps the presets; throws a PresetError when storage refuses (full, or blocked). */
export function savePresets(list, storage = globalThis.localStorage) {
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(list));
  } catch (e) {
    throw new PresetError(`Couldn't keep the presets on this device: ${e?.message ?? e}`);
  }
}

/** The presets as a JSON file's text (`{"kind": "retouch-presets", "version": 1, presets}`). */
export function exportPresets(list, date = new Date()) {
  return `${JSON.stringify({ kind: FILE_KIND, version: FILE_VERSION, exportedAt: date.toISOString(), presets: list }, null, 2)}\n`;
}

/**
 * Reads an exported file and merges it into `existing`: a preset with the name of one already
 * there replaces it. All or nothing: any error leaves the list as it was.
 * @param {string} text the file's text
 * @param {Array} existing the current presets
 * @param {{knownTools?: Set<string>|string[]}} [opts]
 * @returns {{presets: Array, added: number, replaced: number}}
 */
export function importPresets(text, existing, opts = {}) {
  if (typeof text !== 'string') throw new PresetError('Not a presets file.');
  if (text.length > MAX_FILE_CHARS) throw new PresetError(`Too large for a presets file (${text.length.toLocaleString('en')} characters; at most ${MAX_FILE_CHARS.toLocaleString('en')}).`);
  let data;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new PresetError(`Not a JSON file: ${e.message}`);
  }
  if (!isPlainObject(data) || data.kind !== FILE_KIND) {
    throw new PresetError(`Not a Retouch presets file (expected "kind": "${FILE_KIND}").`);
  }
  if (!Number.isInteger(data.version) || data.version < 1) throw new PresetError(`version: expected 1, got ${JSON.stringify(data.version)}`);
  if (data.version > FILE_VERSION) throw new PresetError(`This file was made by a newer Retouch (version ${data.version}); this page reads version ${FILE_VERSION}.`);
  if (!Array.isArray(data.presets)) throw new PresetError(`presets: expected a list, got ${typeOf(data.presets)}`);
  if (!data.presets.length) throw new PresetError('presets: the file has no presets');
  const incoming = data.presets.map((p, i) => checkPreset(p, `presets[${i}]`, opts));
  for (const [i, p] of incoming.entries()) {
    const j = incoming.findIndex((q) => sameName(q.name, p.name));
    if (j !== i) throw new PresetError(`presets[${i}].name: "${p.name}" is already presets[${j}]`);
  }
  let presets = existing;
  let added = 0;
  let replaced = 0;
  for (const p of incoming) {
    if (findPreset(presets, p.name)) replaced++; else added++;
    presets = upsertPreset(presets, p);
  }
  return { presets, added, replaced };
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : typeof v === 'string' ? `text ${JSON.stringify(v.slice(0, 40))}` : `${typeof v} ${String(v)}`;
}
