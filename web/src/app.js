// The editor page: photos in, a plan of steps, local processing in a worker pool, results out
// (download, zip, save to cloud), and a live view of saved sessions.
//
// No framework: the state is a handful of plain objects and every part of the page has one
// function that brings its DOM up to date. No pixel work happens here — decoding, editing,
// encoding and CRCs all run in the pool's workers.

import { WorkerPool, poolSize } from './pool.js';
import { Api } from './api.js';
import { zipBlob } from './zip.js';
import {
  describeStep, FORMAT_LABELS, STEP_FIELDS, fieldValue, withField, bulkToCall, explainError, outputFormat, paramsOf,
} from './steps.js';
import * as fmt from './format.js';
import {
  loadSettings, saveSettings, jobOptions, summarize, resultNote, explainUnreachable, parseByteSize, formatByteSize, DEFAULT_SETTINGS,
} from './output-settings.js';
import { wasmUrl } from './engine/wasm-url.js';
import { createAiEdit } from './ai-edit.js';
import { hasAiStep } from './generative.js';

const MAX_IMAGES = 50;
const BASE_TITLE = document.title;
const $ = (id) => document.getElementById(id);

// ---- engine pool ------------------------------------------------------------------------------

// Compile once (off the main thread) and hand the Module to every worker, so a worker respawned
// after a cancel starts in milliseconds.
const compiled = WebAssembly.compileStreaming(fetch(wasmUrl))
  .catch(() => fetch(wasmUrl).then((r) => r.arrayBuffer()).then((b) => WebAssembly.compile(b)))
  .then((module) => ({ module }), () => ({}));
const pool = new WorkerPool(new URL('./engine-worker.js', import.meta.url), { size: poolSize(), init: compiled });
const api = new Api();

// ---- state ------------------------------------------------------------------------------------

/** @type {Map<string, Img>} in the order they were added */
const images = new Map();
let nextImageId = 1;
const plan = { calls: [], command: '', fromCommand: false, notes: [], unparsed: [], parser: 'local', error: '' };
/** The current (or last) run: when, with which plan and options. */
let run = null;
let cloud = null;
/** Whether the plan's AI steps can run here (null until the worker says). */
const aiState = { images, aiNoticeShown: false, aiAvailable: null };

/**
 * @typedef {object} Img
 * @property {string} id
 * @property {File} file
 * @property {string} url object URL of the original
 * @property {'reading'|'ready'|'unreadable'|'queued'|'processing'|'done'|'error'|'cancelled'} status
 * @property {number} progress 0..1
 * @property {string} stepText
 * @property {string} [error]
 * @property {{width:number,height:number,format:string}} [info]
 * @property {object} [result]
 * @property {AbortController} [controller]
 * @property {HTMLElement} el
 */

// ---- adding photos ----------------------------------------------------------------------------

function addFiles(fileList, how) {
  const files = [...fileList].filter((f) => f.size > 0 || f.name);
  if (!files.length) return;
  const room = MAX_IMAGES - images.size;
  const accepted = files.slice(0, Math.max(0, room));
  const refused = files.length - accepted.length;
  for (const file of accepted) addImage(file);
  const parts = [];
  if (accepted.length) parts.push(`Added ${accepted.length} ${accepted.length === 1 ? 'photo' : 'photos'}${how ? ` ${how}` : ''}.`);
  if (refused) parts.push(`${refused} not added: a batch holds at most ${MAX_IMAGES} photos. Remove some to add others.`);
  notice(parts.join(' '), refused ? 'warn' : 'info');
  // Results already made stay until the next run (nothing is thrown away unasked).
  if (run && !run.active) markStale();
  renderAll();
}

function addImage(file) {
  const id = `img_${nextImageId++}`;
  const img = { id, file, url: URL.createObjectURL(file), status: 'reading', progress: 0, stepText: '' };
  img.el = createCard(img);
  images.set(id, img);
  $('grid').append(img.el);
  pool.run('inspect', { file }).then(
    (info) => {
      if (!images.has(id)) return;
      img.info = info;
      if (img.status === 'reading') img.status = 'ready';
      renderCard(img);
      renderRunButton();
    },
    (err) => {
      if (!images.has(id) || img.status !== 'reading') return;
      img.status = 'unreadable';
      img.error = plainError(err);
      img.errorDetail = String(err.message);
      renderCard(img);
      renderRunButton();
    },
  );
}

function removeImage(id) {
  const img = images.get(id);
  if (!img) return;
  img.controller?.abort();
  URL.revokeObjectURL(img.url);
  if (img.result?.url) URL.revokeObjectURL(img.result.url);
  img.el.remove();
  images.delete(id);
  renderAll();
  announce(`Removed ${img.file.name}.`);
}

let noticeTimer = 0;
function notice(text, tone = 'info') {
  const el = $('add-notice');
  el.textContent = text;
  el.dataset.tone = tone;
  el.hidden = !text;
  clearTimeout(noticeTimer);
  if (tone === 'info' && text) noticeTimer = setTimeout(() => { el.hidden = true; }, 6000);
}

// ---- cards ------------------------------------------------------------------------------------

function createCard(img) {
  const el = $('card-template').content.firstElementChild.cloneNode(true);
  el.dataset.id = img.id;
  el.querySelector('.name').textContent = img.file.name;
  el.querySelector('.name').title = img.file.name;
  const thumb = el.querySelector('img');
  thumb.src = img.url;
  thumb.addEventListener('error', () => { thumb.style.visibility = 'hidden'; });
  thumb.addEventListener('load', () => { thumb.style.visibility = ''; });
  el.querySelector('.remove').setAttribute('aria-label', `Remove ${img.file.name}`);
  el.querySelector('.cancel').setAttribute('aria-label', `Cancel ${img.file.name}`);
  el.querySelector('.remove').addEventListener('click', () => removeImage(img.id));
  el.querySelector('.cancel').addEventListener('click', () => img.controller?.abort());
  el.querySelector('.thumb-compare').addEventListener('click', () => openCompare(img));
  el.querySelector('.paint').setAttribute('aria-label', `Paint what to change: ${img.file.name}`);
  el.querySelector('.paint').addEventListener('click', () => aiEdit.openPainter(img));
  el.querySelector('progress').setAttribute('aria-label', `Progress of ${img.file.name}`);
  renderCard(img, el);
  return el;
}

const STATUS_WORDS = {
  reading: 'Reading…', ready: 'Ready', queued: 'Waiting…', processing: 'Working…', cancelled: 'Cancelled',
};

function renderCard(img, el = img.el) {
  el.dataset.status = img.status;
  const info = img.info;
  el.querySelector('.facts').textContent = [fmt.bytes(img.file.size), info && fmt.dims(info.width, info.height), info?.format?.toUpperCase()]
    .filter(Boolean).join(' · ');
  const status = el.querySelector('.status');
  const bar = el.querySelector('progress');
  const r = img.result;
  if (img.status === 'done' && r) {
    status.innerHTML = '';
    const strong = document.createElement('strong');
    strong.textContent = `${fmt.dims(r.width, r.height)} ${String(r.format).toUpperCase()} · ${fmt.bytes(r.size)}`;
    const delta = document.createElement('span');
    const change = fmt.saved(img.file.size, r.size);
    delta.className = change.startsWith('−') ? 'good' : 'muted';
    delta.textContent = ` ${change}`;
    status.append('Done · ', strong, delta);
    const note = resultNote(r, run?.options);
    if (note) {
      const line = document.createElement('span');
      line.className = 'note';
      line.textContent = ` · ${note}`;
      status.append(line);
    }
  } else if (img.status === 'error' || img.status === 'unreadable') {
    status.textContent = img.error;
  } else if (img.status === 'processing') {
    status.textContent = img.stepText || STATUS_WORDS.processing;
  } else {
    status.textContent = STATUS_WORDS[img.status] ?? '';
  }
  status.title = img.status === 'error' || img.status === 'unreadable' ? img.errorDetail ?? '' : '';
  status.setAttribute('role', img.status === 'error' || img.status === 'unreadable' ? 'alert' : 'none');
  bar.hidden = !['queued', 'processing'].includes(img.status);
  bar.value = img.progress;
  const thumb = el.querySelector('img');
  const want = r?.url ?? img.url;
  if (thumb.getAttribute('src') !== want) thumb.src = want;
  const badge = el.querySelector('.badge');
  badge.hidden = !r;
  if (r) badge.textContent = r.keptInput ? 'Original kept' : 'Edited';
  el.querySelector('.thumb-compare').hidden = !r;
  el.querySelector('.thumb-compare').setAttribute('aria-label', `Compare before and after: ${img.file.name}`);
  const dl = el.querySelector('.download');
  dl.hidden = !r;
  if (r) {
    dl.href = r.url;
    dl.download = r.fileName;
    dl.setAttribute('aria-label', `Download ${r.fileName}`);
  }
  const busy = img.status === 'queued' || img.status === 'processing';
  el.querySelector('.cancel').hidden = !busy;
  el.querySelector('.remove').hidden = busy;
  el.querySelector('.paint').hidden = busy || img.status === 'unreadable';
  el.querySelector('.badge.painted').hidden = !img.mask || Boolean(r);
}

// ---- the plan ---------------------------------------------------------------------------------

async function readCommand(text) {
  const command = text.trim();
  if (!command) return;
  const button = $('read-command');
  button.disabled = true;
  button.textContent = 'Reading…';
  let parsed;
  let parser = 'on this device';
  try {
    if (api.signedIn) {
      try {
        const r = await api.parseCommand(command, Math.max(1, images.size));
        parsed = { toolCalls: r.toolCalls ?? [], unparsed: r.unparsed ?? [], notes: r.notes ?? [] };
        parser = r.parser ? `by the server (${r.parser})` : 'by the server';
      } catch (e) {
        if (e.status === 400 || e.status === 422) throw e;
        parsed = null; // server unreachable: fall back to the engine here
        parser = 'on this device (server unavailable)';
      }
    }
    parsed ??= await pool.run('parse', { text: command });
    plan.calls = (parsed.toolCalls ?? []).map(normalizeCall);
    plan.unparsed = parsed.unparsed ?? [];
    plan.notes = parsed.notes ?? [];
    plan.command = command;
    plan.fromCommand = true;
    plan.parser = parser;
    plan.error = '';
    // A painted area says where: a command no parser knows ("remove this") is that area's AI edit.
    if (!plan.calls.length && aiEdit.anyPainted()) {
      plan.calls = [{ tool: 'generate_with_llm', params: { prompt: command.slice(0, 1000) }, applyToAll: true }];
      plan.unparsed = [];
      plan.notes = [...plan.notes, 'Read as an AI edit of the painted area.'];
    }
    if (!plan.calls.length) plan.error = 'Nothing in that command is an edit I know. Try e.g. “resize to 800 px wide, black and white”.';
  } catch (e) {
    plan.error = `Couldn't read the command: ${e.message}`;
  } finally {
    button.disabled = false;
    button.textContent = 'Read command';
  }
  $('parser-note').textContent = `Read ${parser}`;
  planChanged(false);
  announce(plan.error || `Plan has ${plan.calls.length} ${plan.calls.length === 1 ? 'step' : 'steps'}: ${plan.calls.map((c) => describeStep(c)).join('; ')}.`);
}

function normalizeCall(c) {
  return { tool: c.tool, params: { ...paramsOf(c) }, applyToAll: c.applyToAll ?? !c.imageId, ...(c.imageId ? { imageId: c.imageId } : {}) };
}

function planChanged(edited = true) {
  if (edited && plan.fromCommand) plan.fromCommand = false;
  if (run && !run.active) markStale();
  renderPlan();
  renderRunButton();
}

function renderPlan() {
  const list = $('plan');
  const open = new Set([...list.querySelectorAll('.step-editor:not([hidden])')].map((e) => e.closest('.step').dataset.index));
  list.replaceChildren(...plan.calls.map((call, i) => stepItem(call, i, open.has(String(i)))));
  $('plan-empty').hidden = plan.calls.length > 0;
  $('clear-plan').hidden = plan.calls.length === 0;
  const notes = $('plan-notes');
  const items = [];
  if (plan.error) items.push(['error', plan.error]);
  for (const u of plan.unparsed) items.push(['warn', `Not understood: “${u}” — it will be ignored.`]);
  for (const n of plan.notes) items.push(['info', n]);
  notes.replaceChildren(...items.map(([tone, text]) => {
    const li = document.createElement('li');
    li.dataset.tone = tone;
    li.textContent = text;
    return li;
  }));
}

function imageName(id) {
  return images.get(id)?.file.name;
}

/** An AI step in words, with whether it can run here. */
function aiStepText(call) {
  const text = aiEdit.describe(call);
  return aiState.aiAvailable === false ? `${text} — skipped: no AI image service here` : text;
}

function stepItem(call, i, editorOpen) {
  const li = $('step-template').content.firstElementChild.cloneNode(true);
  li.dataset.index = i;
  li.dataset.tool = call.tool;
  const text = call.tool === 'generate_with_llm' ? aiStepText(call) : describeStep(call, imageName);
  li.querySelector('.step-num').textContent = i + 1;
  li.querySelector('.step-text').textContent = text;
  if (call.tool === 'generate_with_llm') li.classList.add('needs-ai');
  const up = li.querySelector('.step-up');
  up.hidden = i === 0;
  up.setAttribute('aria-label', `Move step ${i + 1} up`);
  up.addEventListener('click', () => {
    [plan.calls[i - 1], plan.calls[i]] = [plan.calls[i], plan.calls[i - 1]];
    planChanged();
    $('plan').children[i - 1]?.querySelector('.step-up, .step-edit')?.focus();
  });
  const rm = li.querySelector('.step-remove');
  rm.setAttribute('aria-label', `Remove step ${i + 1}: ${text}`);
  rm.addEventListener('click', () => {
    plan.calls.splice(i, 1);
    planChanged();
    announce(`Removed step: ${text}.`);
    ($('plan').children[Math.min(i, plan.calls.length - 1)]?.querySelector('.step-remove') ?? $('command')).focus();
  });
  const edit = li.querySelector('.step-edit');
  const editor = li.querySelector('.step-editor');
  edit.setAttribute('aria-label', `Edit step ${i + 1}`);
  edit.addEventListener('click', () => {
    const show = editor.hidden;
    editor.hidden = !show;
    edit.setAttribute('aria-expanded', String(show));
    edit.textContent = show ? 'Done' : 'Edit';
    if (show) editor.querySelector('input, select')?.focus();
  });
  buildEditor(editor, call, i);
  if (editorOpen) {
    editor.hidden = false;
    edit.setAttribute('aria-expanded', 'true');
    edit.textContent = 'Done';
  }
  return li;
}

function buildEditor(container, call, index) {
  const fields = STEP_FIELDS[call.tool] ?? [];
  const params = paramsOf(call);
  for (const field of fields) {
    const id = `step-${index}-${field.name}`;
    const wrap = document.createElement('div');
    wrap.className = `field field-${field.type}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = field.label;
    let input;
    if (field.type === 'select') {
      input = document.createElement('select');
      const options = field.required ? field.options : ['', ...field.options];
      for (const o of options) {
        const opt = document.createElement('option');
        opt.value = o;
        opt.textContent = o === '' ? 'default' : o;
        input.append(opt);
      }
    } else {
      input = document.createElement('input');
      input.type = field.type === 'number' ? 'number' : field.type === 'checkbox' ? 'checkbox' : 'text';
      for (const k of ['min', 'max', 'step', 'maxLength', 'pattern']) if (field[k] != null) input[k] = field[k];
      if (field.type !== 'checkbox') input.placeholder = field.required ? 'required' : 'default';
    }
    input.id = id;
    input.required = Boolean(field.required);
    const value = fieldValue(field, params);
    if (field.type === 'checkbox') input.checked = Boolean(value); else input.value = value;
    input.addEventListener('change', () => {
      const raw = field.type === 'checkbox' ? input.checked : input.value;
      if (field.required && raw === '') return;
      plan.calls[index] = { ...plan.calls[index], params: withField(paramsOf(plan.calls[index]), field, raw) };
      const li = container.closest('.step');
      li.querySelector('.step-text').textContent = describeStep(plan.calls[index], imageName);
      plan.fromCommand = false;
      if (run && !run.active) markStale();
      renderRunButton();
    });
    if (field.type === 'checkbox') wrap.append(input, label); else wrap.append(label, input);
    container.append(wrap);
  }
}

function addPreset(type) {
  const value = $(`preset-${type}`).value;
  const params = {
    resize: { scale: Number(value) }, rotate: { degrees: Number(value) }, flip: { direction: value },
    format: { format: value }, filter: { filter: value },
  }[type];
  const call = bulkToCall({ type, params });
  plan.calls.push(call);
  plan.error = '';
  planChanged();
  announce(`Added step: ${describeStep(call)}.`);
}

// ---- options ----------------------------------------------------------------------------------

const SIDE = (v) => (Number(v) >= 1 ? Math.min(16384, Math.round(Number(v))) : '');

/** The Output panel's settings, as the DOM holds them. */
function readSettings() {
  const minQ = Math.round(Number($('opt-min-quality').value));
  return {
    format: $('opt-format').value,
    qualityOn: $('opt-quality-on').checked,
    quality: Number($('opt-quality').value),
    maxWidth: SIDE($('opt-max-width').value),
    maxHeight: SIDE($('opt-max-height').value),
    maxSize: $('opt-max-size').value.trim(),
    minQuality: minQ >= 1 && minQ <= 100 ? minQ : DEFAULT_SETTINGS.minQuality,
    neverLarger: $('opt-never-larger').value,
    metadata: document.querySelector('input[name=metadata]:checked')?.value ?? 'strip',
    keepGps: $('opt-keep-gps').checked,
    smallest: $('opt-smallest').checked,
  };
}

function applySettings(s) {
  $('opt-format').value = s.format;
  $('opt-quality-on').checked = s.qualityOn;
  $('opt-quality').value = s.quality;
  $('opt-max-width').value = s.maxWidth;
  $('opt-max-height').value = s.maxHeight;
  $('opt-max-size').value = s.maxSize;
  $('opt-min-quality').value = s.minQuality;
  $('opt-never-larger').value = s.neverLarger;
  for (const r of document.querySelectorAll('input[name=metadata]')) r.checked = r.value === s.metadata;
  $('opt-keep-gps').checked = s.keepGps;
  $('opt-smallest').checked = s.smallest;
}

/** The job options for the engine (only what differs from its defaults). */
function readOptions() {
  return jobOptions(readSettings()).options;
}

/** The max file size field's error, shown once the field is left (or the run is asked for). */
let sizeErrorShown = false;

const METADATA_HELP = {
  strip: 'Strip: only the pixels (and the colour profile they need) leave with the photo.',
  keep: 'Keep: camera data, captions and copyright stay; the orientation is reset because the pixels are upright.',
  copyright: 'Copyright only: the creator and copyright notice stay, everything else is removed.',
};

function renderOutputSettings() {
  const s = readSettings();
  const { options, error } = jobOptions(s);
  $('opt-quality').disabled = !s.qualityOn;
  $('opt-quality-out').textContent = s.qualityOn ? String(s.quality) : 'auto';
  const size = $('opt-max-size');
  const showError = Boolean(error) && sizeErrorShown;
  size.setAttribute('aria-invalid', String(showError));
  $('max-size-error').hidden = !showError;
  $('max-size-error').textContent = showError ? error : '';
  if (!error) sizeErrorShown = false;
  const parsed = parseByteSize(s.maxSize).bytes;
  $('max-size-help').textContent = `${parsed ? `${parsed.toLocaleString('en')} bytes. ` : 'KB = 1000 bytes, MB = 1,000,000. '}JPEG and WebP lower the quality, then the size, until each file fits.`;
  $('opt-min-quality').disabled = !parsed;
  $('opt-keep-gps').disabled = s.metadata !== 'keep';
  $('metadata-help').textContent = METADATA_HELP[s.metadata];
  $('output-summary').textContent = error ? 'Max file size needs fixing' : summarize(options);
  $('output-summary').classList.toggle('field-error', Boolean(error));
}

function outputSettingsChanged() {
  saveSettings(readSettings());
  renderOutputSettings();
  if (run && !run.active) markStale();
  renderRunButton();
}

// ---- running ----------------------------------------------------------------------------------

function runnable() {
  return [...images.values()].filter((i) => i.status !== 'unreadable');
}

function renderRunButton() {
  const btn = $('run');
  const n = runnable().length;
  // A run replaces the results, so none starts while they are being saved.
  const busy = run?.active || cloud?.active;
  const { options, error } = jobOptions(readSettings());
  const hasOutput = plan.calls.length > 0 || Object.keys(options).length > 0;
  btn.disabled = busy || n === 0 || !hasOutput || Boolean(error);
  btn.textContent = cloud?.active ? 'Saving to cloud…' : busy ? 'Working…'
    : n === 0 ? 'Add photos to start'
      : error ? 'Fix the max file size to start'
        : !hasOutput ? 'Add a step to start'
          : `Process ${n} ${n === 1 ? 'photo' : 'photos'}`;
}

async function startRun() {
  const targets = runnable();
  if (!targets.length || run?.active || cloud?.active) return;
  const toolCalls = plan.calls.map((c) => ({ ...c, params: paramsOf(c) }));
  const options = readOptions();
  resetResults();
  run = {
    active: true, startedAt: performance.now(), toolCalls, options, ids: targets.map((i) => i.id),
    command: plan.fromCommand ? plan.command : '',
  };
  for (const img of targets) {
    img.status = 'queued';
    img.progress = 0;
    img.stepText = '';
    img.error = undefined;
    img.controller = new AbortController();
    renderCard(img);
  }
  renderRunButton();
  renderOverall();
  announce(`Processing ${targets.length} photos.`);
  let prepared = { toolCalls };
  try {
    prepared = await aiEdit.prepare(targets, toolCalls, options);
  } catch (err) {
    for (const img of targets) {
      img.status = err.name === 'AbortError' ? 'cancelled' : 'error';
      img.error = err.name === 'AbortError' ? undefined : `The AI edit could not start: ${err.message}`;
      img.controller = undefined;
      renderCard(img);
    }
    targets.length = 0;
  }
  await Promise.all(targets.map((img) => processOne(img, prepared.toolCalls, options, prepared)));
  run.active = false;
  run.endedAt = performance.now();
  flushRenders();
  renderRunButton();
  const done = targets.filter((i) => i.status === 'done').length;
  const failed = targets.filter((i) => i.status === 'error').length;
  announce(`Finished: ${done} done${failed ? `, ${failed} failed` : ''}.`);
}

async function processOne(img, toolCalls, options, prepared = {}) {
  const signal = img.controller.signal;
  const calls = toolCalls.filter((c) => c.applyToAll !== false || c.imageId === img.id);
  try {
    if (prepared.skipped && calls.length === 0 && Object.keys(options).length === 0) {
      throw Object.assign(new Error(prepared.skipped), { kind: 'needs_generative' });
    }
    const input = { name: img.file.name, id: img.id };
    const res = prepared.session && hasAiStep(calls) ? await aiEdit.process(img, calls, { ...options, outputFormat: outputFormat(calls, options, img.info?.format) }, prepared, {
      signal,
      local: (file, c, o) => pool.run('process', { file, toolCalls: c, options: o, input }, { signal }),
      onStep: (text, fraction) => {
        img.status = 'processing';
        img.progress = Math.max(img.progress, Math.min(0.99, fraction));
        img.stepText = text;
        scheduleRender(img);
      },
    }) : await pool.run('process', { file: img.file, toolCalls: calls, options, input }, {
      signal,
      onProgress: (p) => {
        img.status = 'processing';
        img.progress = Math.max(img.progress, Math.min(0.99, Number(p?.fraction) || 0));
        img.stepText = stepLabel(p, calls, outputFormat(calls, options, img.info?.format), options);
        scheduleRender(img);
      },
    });
    if (!images.has(img.id)) return;
    const format = String(res.format || outputFormat(calls, options, img.info?.format)).toLowerCase();
    const mimeType = res.mimeType || `image/${format === 'jpg' ? 'jpeg' : format}`;
    const blob = new Blob([res.bytes], { type: mimeType });
    img.result = {
      ...res, bytes: undefined, blob, url: URL.createObjectURL(blob), format, mimeType, size: blob.size,
      fileName: res.fileName || `${img.file.name.replace(/\.[^.]*$/, '')}-edited.${format}`,
    };
    img.status = 'done';
    img.progress = 1;
  } catch (err) {
    if (!images.has(img.id)) return;
    if (err.name === 'AbortError' || err.kind === 'cancelled') {
      img.status = 'cancelled';
      img.stepText = '';
    } else {
      img.status = 'error';
      img.error = err.kind === 'target_unreachable'
        ? explainUnreachable(err.message, options, outputFormat(calls, options, img.info?.format))
        : plainError(err, calls);
      img.errorDetail = String(err.message);
      announce(`${img.file.name}: ${img.error}`);
      // A bad plan fails every photo the same way: stop and say so once, at the plan.
      if (err.kind === 'invalid_params' && run?.active) {
        plan.error = explainError(err.message, calls);
        renderPlan();
        cancelAll();
      }
    }
  } finally {
    img.controller = undefined;
    scheduleRender(img);
  }
}

/**
 * The current step in words. The engine counts decoding and encoding as steps (`step` is the
 * zero-based current one), so with N tool calls there are N + 2: "Reading the photo",
 * "Step 2 of 3: Black and white", "Saving as WebP".
 */
function stepLabel(p, calls, format, options) {
  const steps = Number(p?.steps) || 0;
  const step = Number(p?.step) || 0;
  const msg = p?.message ? String(p.message) : '';
  if (steps === calls.length + 2) {
    if (step === 0) return 'Reading the photo…';
    if (step > calls.length) {
      const fit = options?.maxBytes ? `, fitting in ${formatByteSize(options.maxBytes)}` : '';
      return `Saving${format ? ` as ${FORMAT_LABELS[format] ?? format}` : ''}${fit}…`;
    }
    const n = calls.length;
    return n > 1 ? `Step ${step} of ${n}: ${describeStep(calls[step - 1], imageName)}` : describeStep(calls[0], imageName);
  }
  return msg || 'Working…';
}

/** An engine error in plain words. */
function plainError(err, calls = []) {
  // Engine messages may start with their kind ("unsupported: …"); the words below say it better.
  const msg = String(err?.message ?? err).replace(/^(unsupported|encode|limits):\s*/i, '');
  switch (err?.kind) {
    case 'decode': return "Can't read this file: it isn't a supported image, or it's damaged.";
    case 'limits': return `Too large to edit here: ${msg}`;
    case 'invalid_params': return explainError(msg, calls);
    case 'needs_generative': return `Nothing was changed: ${msg}`;
    case 'unsupported': return `Not supported: ${msg}`;
    case 'encode': return `Couldn't write the result: ${msg}`;
    case 'cancelled': return 'Cancelled';
    default: return `Something went wrong: ${msg}`;
  }
}

function cancelAll() {
  for (const img of images.values()) img.controller?.abort();
}

function resetResults() {
  for (const img of images.values()) {
    if (img.result?.url) URL.revokeObjectURL(img.result.url);
    img.result = undefined;
    if (!['unreadable', 'reading'].includes(img.status)) img.status = 'ready';
    img.progress = 0;
    img.stepText = '';
    img.error = img.status === 'unreadable' ? img.error : undefined;
    renderCard(img);
  }
  run = null;
  cloud = null;
  renderOverall();
  renderCloud();
}

/** Photos, plan or options changed after a run: results stay, but say they're from before. */
function markStale() {
  if (!run || run.stale) return;
  run.stale = true;
  renderOverall();
}

// Progress events come many times per second: paint at most once per frame. A hidden tab gets no
// animation frames, so there a timer keeps the page's state current (the title shows progress).
const dirty = new Set();
let frame = null; // {raf} or {timer}: ids of the two kinds must not be mixed up
function flushRenders() {
  if (frame?.raf) cancelAnimationFrame(frame.raf);
  if (frame?.timer) clearTimeout(frame.timer);
  frame = null;
  for (const i of dirty) if (images.has(i.id)) renderCard(i);
  dirty.clear();
  renderOverall();
}
function scheduleRender(img) {
  dirty.add(img);
  if (!frame) frame = document.hidden ? { timer: setTimeout(flushRenders, 250) } : { raf: requestAnimationFrame(flushRenders) };
}

function renderOverall() {
  document.title = run?.active ? `(${run.ids.filter((id) => ['done', 'error', 'cancelled'].includes(images.get(id)?.status)).length}/${run.ids.length}) Retouch` : BASE_TITLE;
  const bar = $('batchbar');
  bar.hidden = !run && !cloud;
  if (!run) return;
  const list = run.ids.map((id) => images.get(id)).filter(Boolean);
  const total = list.length;
  const isFinished = (i) => ['done', 'error', 'cancelled'].includes(i.status);
  const count = (status) => list.filter((i) => i.status === status).length;
  const done = list.filter((i) => i.status === 'done');
  const fraction = total ? list.reduce((s, i) => s + (isFinished(i) ? 1 : i.progress), 0) / total : 1;
  $('overall-bar').value = fraction;
  $('cancel-all').hidden = !run.active;
  $('download-zip').hidden = run.active || done.length === 0;
  $('save-cloud').hidden = run.active || done.length === 0;
  const saved = cloud && !cloud.active && !cloud.error;
  $('save-cloud').disabled = Boolean(cloud?.active || saved);
  $('save-cloud').textContent = cloud?.active ? 'Saving…' : saved ? 'Saved ✓' : 'Save to cloud';
  if (run.active) {
    $('overall-text').textContent = `Processing · ${list.filter(isFinished).length} of ${total} finished`;
    const elapsed = (performance.now() - run.startedAt) / 1000;
    $('overall-eta').textContent = fraction > 0.04 && elapsed > 0.5 ? fmt.timeLeft((elapsed / fraction) * (1 - fraction)) : 'estimating time…';
  } else {
    const parts = [`${done.length} done`];
    if (count('error')) parts.push(`${count('error')} failed`);
    if (count('cancelled')) parts.push(`${count('cancelled')} cancelled`);
    $('overall-text').textContent = parts.join(' · ');
    $('overall-eta').textContent = `in ${((run.endedAt - run.startedAt) / 1000).toFixed(1)} s`;
  }
  const before = done.reduce((s, i) => s + i.file.size, 0);
  const after = done.reduce((s, i) => s + i.result.size, 0);
  $('results-summary').textContent = run.stale
    ? 'The photos or the plan changed since this run — process again to update the results.'
    : done.length ? `${fmt.bytes(before)} → ${fmt.bytes(after)} (${fmt.saved(before, after)}) · all processed on this device` : '';
}

// ---- results: compare, download, zip ------------------------------------------------------------

function openCompare(img) {
  if (!img.result) return;
  $('compare-before').src = img.url;
  $('compare-after').src = img.result.url;
  $('compare-title').textContent = img.file.name;
  const r = img.result;
  const note = resultNote(r, run?.options);
  $('compare-facts').textContent = `Before ${fmt.dims(img.info?.width, img.info?.height)} · ${fmt.bytes(img.file.size)}  →  After ${fmt.dims(r.width, r.height)} ${r.format.toUpperCase()} · ${fmt.bytes(r.size)} (${fmt.saved(img.file.size, r.size)})${note ? ` · ${note}` : ''}`;
  setCompare(50);
  $('compare').showModal();
  $('compare-range').focus();
}

function setCompare(pos) {
  $('compare-range').value = pos;
  $('compare-stage').style.setProperty('--pos', `${pos}%`);
}

function downloadBlob(blob, name) {
  const a = document.createElement('a');
  const url = URL.createObjectURL(blob);
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function downloadZip() {
  const done = [...images.values()].filter((i) => i.status === 'done' && i.result);
  if (!done.length) return;
  const blob = zipBlob(done.map((i) => ({ name: i.result.fileName, bytes: i.result.blob, crc: i.result.crc })));
  const stamp = new Date().toISOString().slice(0, 16).replace(/[T:]/g, '-');
  downloadBlob(blob, `retouch-${stamp}.zip`);
  announce(`Downloading ${done.length} photos as a zip.`);
}

// ---- sign-in ----------------------------------------------------------------------------------

let signInWaiters = [];
function requestSignIn() {
  if (api.signedIn) return Promise.resolve(api.auth);
  return new Promise((resolve, reject) => {
    signInWaiters.push({ resolve, reject });
    $('signin-error').hidden = true;
    $('signin-dialog').showModal();
    $('signin-email').select();
  });
}

async function submitSignIn(e) {
  e.preventDefault();
  const submit = $('signin-submit');
  submit.disabled = true;
  try {
    const auth = await api.devLogin($('signin-email').value.trim());
    $('signin-dialog').close();
    for (const w of signInWaiters.splice(0)) w.resolve(auth);
    announce(`Signed in as ${auth.email}.`);
  } catch (err) {
    $('signin-error').textContent = err.status === 404
      ? 'Development sign-in is only available when running locally.'
      : `Couldn't sign in: ${err.message}`;
    $('signin-error').hidden = false;
  } finally {
    submit.disabled = false;
  }
}

function cancelSignIn() {
  $('signin-dialog').close();
  for (const w of signInWaiters.splice(0)) w.reject(Object.assign(new Error('Sign-in cancelled'), { name: 'AbortError' }));
}

function renderAccount() {
  const auth = api.auth;
  $('account-email').hidden = !auth;
  $('account-email').textContent = auth?.email ?? '';
  $('sign-in').hidden = Boolean(auth);
  $('sign-out').hidden = !auth;
  $('open-sessions').hidden = !auth;
  $('parser-note').textContent = auth ? 'Read by the server' : 'Read on this device';
}

// ---- save to cloud ----------------------------------------------------------------------------

async function saveToCloud() {
  const done = [...images.values()].filter((i) => i.status === 'done' && i.result);
  const job = run;
  if (!done.length || !job || cloud?.active) return;
  try {
    await requestSignIn();
  } catch {
    return;
  }
  // `c` stays this save's state even if the page moves on (e.g. "Remove all") meanwhile.
  const c = (cloud = { active: true, total: done.reduce((s, i) => s + i.result.size, 0), loaded: new Map(), text: 'Starting a session…', error: '' });
  renderRunButton();
  renderCloud();
  renderOverall();
  try {
    // The session records exactly the steps that ran here (the server validates them), not a
    // command it would read again and perhaps differently.
    const operation = { type: 'toolCalls', toolCalls: job.toolCalls, ...(job.command ? { command: job.command.slice(0, 1000) } : {}) };
    // The session records the job as the originals plus what was asked; the server names each
    // upload from them and binds its content type, so the options pin the format we produced.
    const formats = new Set(done.map((i) => i.result.format));
    const options = { ...job.options, ...(formats.size === 1 ? { outputFormat: [...formats][0] } : {}) };
    const session = await api.createSession({
      images: done.map((i) => ({ id: i.id, name: i.file.name, size: i.file.size, type: i.file.type || undefined, tags: [] })),
      operation,
      options,
    });
    c.sessionId = session.sessionId;
    c.text = 'Uploading…';
    renderCloud();
    openSessionView(session.sessionId, session.progressUrl);
    const uploads = uploadsById(session.uploads);
    // Two uploads at a time: enough to fill the link, gentle on a phone.
    const queue = [...done];
    const worker = async () => {
      for (let img = queue.shift(); img; img = queue.shift()) await uploadOne(session.sessionId, img, uploads.get(img.id), c);
    };
    await Promise.all([worker(), worker()]);
    const failed = done.filter((i) => i.cloudError);
    c.text = failed.length
      ? `${done.length - failed.length} saved, ${failed.length} failed: ${failed[0].cloudError}`
      : `Saved ${done.length} ${done.length === 1 ? 'photo' : 'photos'} to your cloud session.`;
    c.error = failed.length ? 'partial' : '';
  } catch (err) {
    c.error = 'failed';
    c.text = `Couldn't save: ${err.message}`;
  }
  c.active = false;
  renderCloud();
  renderOverall();
  renderRunButton();
  announce(c.text);
}

function uploadsById(uploads) {
  const map = new Map();
  if (Array.isArray(uploads)) for (const u of uploads) map.set(u.imageId ?? u.id, u);
  else if (uploads && typeof uploads === 'object') for (const [k, v] of Object.entries(uploads)) map.set(k, v);
  return map;
}

async function uploadOne(sessionId, img, upload, c) {
  img.cloudError = undefined;
  const report = (update) => api.reportProgress(sessionId, { imageId: img.id, ...update }).catch(() => {});
  try {
    if (!upload) throw new Error('the server gave no upload address for this photo');
    await report({ status: 'processing', progress: 0, message: `Uploading ${img.result.fileName}` });
    let lastReport = 0;
    await api.upload(upload, img.result.blob, {
      onProgress: (f) => {
        c.loaded.set(img.id, f * img.result.size);
        renderCloud();
        const pct = Math.round(f * 100);
        if (pct - lastReport >= 25 && pct < 100) {
          lastReport = pct;
          report({ status: 'processing', progress: pct, message: `Uploading ${img.result.fileName} (${pct} %)` });
        }
      },
    });
    const r = img.result;
    // The server fills the result's id, url, name, tags and format from its upload plan.
    await api.reportProgress(sessionId, {
      imageId: img.id, status: 'complete', progress: 100, message: 'Saved',
      result: { width: r.width, height: r.height, size: r.size, timestamp: Date.now() },
    });
  } catch (err) {
    img.cloudError = err.message;
    await report({ status: 'error', progress: 0, message: `Upload failed: ${err.message}`, error: err.message });
  }
}

function renderCloud() {
  const box = $('cloud');
  box.hidden = !cloud;
  $('batchbar').hidden = !run && !cloud;
  if (!cloud) return;
  const loaded = [...cloud.loaded.values()].reduce((a, b) => a + b, 0);
  $('cloud-bar').value = cloud.total ? loaded / cloud.total : 0;
  $('cloud-title').textContent = cloud.active ? 'Saving to cloud…' : cloud.error === 'failed' ? 'Not saved' : 'Saved to cloud';
  box.dataset.state = cloud.active ? 'active' : cloud.error || 'done';
  $('cloud-text').textContent = cloud.active && cloud.total
    ? `${cloud.text} ${fmt.bytes(Math.round(loaded))} of ${fmt.bytes(cloud.total)}`
    : cloud.text;
  const link = $('cloud-link');
  link.hidden = !cloud.sessionId;
  if (cloud.sessionId) link.href = `#session=${encodeURIComponent(cloud.sessionId)}`;
}

// ---- the session view (live over SSE; also in a second tab via #session=…) ---------------------

let stream = null;
const sessionView = { id: '', images: new Map(), events: 0, state: '' };

async function openSessionView(sessionId, progressUrl) {
  if (stream && sessionView.id === sessionId) return;
  stream?.close();
  Object.assign(sessionView, { id: sessionId, images: new Map(), events: 0, state: 'connecting' });
  $('session-view').hidden = false;
  $('session-view-events').replaceChildren();
  $('session-view-meta').textContent = `Session ${sessionId}`;
  renderSessionView();
  try {
    const s = await api.getSession(sessionId);
    const meta = [s.createdAt && `started ${new Date(s.createdAt).toLocaleString()}`, s.summary && `“${s.summary}”`].filter(Boolean);
    $('session-view-meta').textContent = `Session ${sessionId}${meta.length ? ` · ${meta.join(' · ')}` : ''}`;
    for (const im of s.images ?? []) {
      sessionView.images.set(im.id, { name: im.result?.name ?? im.name, status: im.status ?? 'queued', progress: Number(im.progress) || 0, message: im.message ?? '', result: im.result });
    }
    if (s.status && s.status !== 'processing') sessionView.state = s.status;
  } catch (err) {
    if (err.status === 401) { sessionView.state = 'sign in to see this session'; renderSessionView(); return; }
    if (err.status === 404) { sessionView.state = 'not found'; renderSessionView(); return; }
  }
  renderSessionView();
  stream = api.progressStream(progressUrl || sessionId);
  stream.onopen = () => { if (sessionView.state === 'connecting') sessionView.state = 'live'; renderSessionView(); };
  const onData = (e) => {
    let data;
    try { data = JSON.parse(e.data); } catch { return; }
    sessionView.events++;
    logEvent(e.type, data);
    if (data.imageId) applySessionUpdate(data);
    if (!data.imageId && (e.type === 'complete' || e.type === 'error')) {
      sessionView.state = e.type;
      // The session has ended: its stream would only replay on reconnect.
      stream.close();
    } else if (sessionView.state === 'connecting') sessionView.state = 'live';
    renderSessionView();
  };
  stream.onmessage = onData;
  for (const type of ['progress', 'session', 'complete', 'error']) stream.addEventListener(type, onData);
  stream.onerror = () => {
    if (stream.readyState === EventSource.CLOSED && sessionView.state !== 'complete') { sessionView.state = 'disconnected'; renderSessionView(); }
  };
}

function applySessionUpdate(u) {
  const prev = sessionView.images.get(u.imageId) ?? { name: u.imageId };
  sessionView.images.set(u.imageId, { ...prev, status: u.status, progress: Number(u.progress) || 0, message: u.message ?? '', result: u.result ?? prev.result, name: u.result?.name ?? prev.name });
}

function logEvent(type, data) {
  const li = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  let text;
  if (data.imageId) {
    const name = sessionView.images.get(data.imageId)?.name ?? data.imageId;
    text = `${name}: ${data.message || data.status}${data.status === 'processing' && data.progress != null ? ` · ${Math.round(data.progress)} %` : ''}`;
  } else if (type === 'session') {
    text = `Session started · ${data.imageCount ?? '?'} photos`;
  } else if (type === 'complete') {
    text = `All saved${data.failed?.length ? ` · ${data.failed.length} failed` : ''}`;
  } else {
    text = data.message ?? data.status ?? type;
  }
  li.append(time, ` ${text}`);
  li.dataset.type = type;
  const list = $('session-view-events');
  list.prepend(li);
  while (list.children.length > 200) list.lastChild.remove();
}

function renderSessionView() {
  const state = sessionView.state;
  const pill = $('session-view-state');
  pill.textContent = { connecting: 'Connecting…', live: 'Live', complete: 'Saved', error: 'Failed', disconnected: 'Reconnecting…' }[state] ?? state;
  pill.dataset.state = state;
  $('session-view-count').textContent = sessionView.events ? `(${sessionView.events})` : '';
  $('session-view-images').replaceChildren(...[...sessionView.images].map(([id, im]) => {
    const li = document.createElement('li');
    li.dataset.status = im.status;
    li.dataset.id = id;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = im.name ?? id;
    name.title = im.name ?? id;
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = im.status === 'complete' ? 100 : im.progress;
    bar.setAttribute('aria-label', `${im.name ?? id} saved`);
    const st = document.createElement('span');
    st.className = 'small muted';
    st.textContent = im.status === 'complete' ? 'Saved' : im.status === 'error' ? (im.message || 'Failed') : im.status === 'processing' ? `${im.progress} %` : 'Waiting';
    const thumb = document.createElement('span');
    thumb.className = 'session-thumb';
    if (im.result?.url) {
      const pic = document.createElement('img');
      pic.src = im.result.url;
      pic.alt = '';
      thumb.append(pic);
    }
    li.append(thumb, name, bar, st);
    if (im.result?.url) {
      const a = document.createElement('a');
      a.href = im.result.url;
      a.textContent = 'Open';
      a.target = '_blank';
      a.rel = 'noopener';
      a.setAttribute('aria-label', `Open ${im.name ?? id}`);
      li.append(a);
    }
    return li;
  }));
}

async function openSessionsList() {
  const list = $('sessions-list');
  list.replaceChildren(Object.assign(document.createElement('li'), { className: 'muted', textContent: 'Loading…' }));
  $('sessions-dialog').showModal();
  try {
    const { sessions } = await api.listSessions();
    if (!sessions.length) {
      list.replaceChildren(Object.assign(document.createElement('li'), { className: 'muted', textContent: 'No saved sessions yet. Process photos, then “Save to cloud”.' }));
      return;
    }
    list.replaceChildren(...sessions.map((s) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `#session=${encodeURIComponent(s.sessionId)}`;
      a.textContent = s.summary || s.sessionId;
      a.addEventListener('click', () => $('sessions-dialog').close());
      const meta = document.createElement('span');
      meta.className = 'muted small';
      meta.textContent = `${new Date(s.createdAt).toLocaleString()} · ${s.imageCount} ${s.imageCount === 1 ? 'photo' : 'photos'}`;
      const state = document.createElement('span');
      state.className = 'pill';
      state.dataset.state = s.status;
      state.textContent = { complete: 'Saved', processing: 'In progress', error: 'Failed' }[s.status] ?? s.status;
      li.append(a, meta, state);
      return li;
    }));
  } catch (err) {
    list.replaceChildren(Object.assign(document.createElement('li'), { className: 'error-text', textContent: `Couldn't load your sessions: ${err.message}` }));
  }
}

async function openSessionFromHash() {
  const m = /(?:^#|&)session=([^&]+)/.exec(location.hash);
  if (!m) return;
  const id = decodeURIComponent(m[1]);
  if (!api.signedIn) {
    try { await requestSignIn(); } catch { $('session-view').hidden = false; sessionView.state = 'sign in to see this session'; renderSessionView(); return; }
  }
  openSessionView(id);
}

// ---- misc -------------------------------------------------------------------------------------

let announceTimer = 0;
function announce(text) {
  const el = $('announcer');
  clearTimeout(announceTimer);
  el.textContent = '';
  announceTimer = setTimeout(() => { el.textContent = text; }, 50);
}

function renderAll() {
  const n = images.size;
  $('photo-count').textContent = n ? `${n} of ${MAX_IMAGES}` : `None yet · up to ${MAX_IMAGES}`;
  $('clear-all').hidden = n === 0 || Boolean(run?.active);
  $('dropzone').dataset.empty = String(n === 0);
  renderRunButton();
  renderOverall();
}

function wire() {
  const input = $('file-input');
  input.addEventListener('change', () => { addFiles(input.files); input.value = ''; });
  const zone = $('dropzone');
  let depth = 0;
  document.addEventListener('dragenter', (e) => {
    if (![...(e.dataTransfer?.types ?? [])].includes('Files')) return;
    depth++;
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; document.body.classList.remove('dragging'); } });
  document.addEventListener('dragover', (e) => { if ([...(e.dataTransfer?.types ?? [])].includes('Files')) e.preventDefault(); });
  document.addEventListener('drop', (e) => {
    if (!e.dataTransfer?.files?.length) return;
    e.preventDefault();
    depth = 0;
    document.body.classList.remove('dragging');
    addFiles(e.dataTransfer.files, 'by drop');
  });
  zone.addEventListener('click', (e) => { if (e.target === zone) input.click(); });
  document.addEventListener('paste', (e) => {
    const files = [...(e.clipboardData?.files ?? [])].filter((f) => f.type.startsWith('image/'));
    if (!files.length) return;
    e.preventDefault();
    const named = files.map((f, i) => (f.name && f.name !== 'image.png' ? f : new File([f], `pasted-${Date.now()}-${i + 1}.${(f.type.split('/')[1] || 'png').replace('jpeg', 'jpg')}`, { type: f.type })));
    addFiles(named, 'from the clipboard');
  });
  $('clear-all').addEventListener('click', () => { for (const id of [...images.keys()]) removeImage(id); resetResults(); announce('Removed all photos.'); });

  $('command-form').addEventListener('submit', (e) => { e.preventDefault(); readCommand($('command').value); });
  $('command').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); readCommand($('command').value); }
  });
  for (const b of document.querySelectorAll('[data-example]')) {
    b.addEventListener('click', () => { $('command').value = b.textContent; readCommand(b.textContent); });
  }
  for (const b of document.querySelectorAll('[data-preset]')) b.addEventListener('click', () => addPreset(b.dataset.preset));
  $('clear-plan').addEventListener('click', () => {
    plan.calls = []; plan.notes = []; plan.unparsed = []; plan.error = '';
    planChanged();
  });

  for (const el of $('output-panel').querySelectorAll('input, select')) el.addEventListener('input', outputSettingsChanged);
  // A size being typed is not wrong yet: its error shows once the field is left.
  $('opt-max-size').addEventListener('change', () => {
    sizeErrorShown = true;
    renderOutputSettings();
    const { error } = jobOptions(readSettings());
    if (error) announce(`Max file size: ${error}`);
  });
  $('run').addEventListener('click', startRun);
  $('cancel-all').addEventListener('click', () => { cancelAll(); announce('Cancelling all.'); });
  $('download-zip').addEventListener('click', downloadZip);
  $('save-cloud').addEventListener('click', saveToCloud);
  $('compare-range').addEventListener('input', (e) => setCompare(e.target.value));
  const stage = $('compare-stage');
  const drag = (e) => {
    const r = stage.getBoundingClientRect();
    setCompare(Math.round(Math.min(100, Math.max(0, ((e.clientX - r.left) / r.width) * 100))));
  };
  stage.addEventListener('pointerdown', (e) => { stage.setPointerCapture(e.pointerId); drag(e); });
  stage.addEventListener('pointermove', (e) => { if (stage.hasPointerCapture(e.pointerId)) drag(e); });

  $('session-close').addEventListener('click', () => {
    stream?.close();
    stream = null;
    sessionView.id = '';
    $('session-view').hidden = true;
    if (location.hash.includes('session=')) history.replaceState(null, '', location.pathname + location.search);
  });
  $('open-sessions').addEventListener('click', openSessionsList);
  $('sign-in').addEventListener('click', () => requestSignIn().catch(() => {}));
  $('sign-out').addEventListener('click', () => { api.signOut(); announce('Signed out.'); });
  $('signin-form').addEventListener('submit', submitSignIn);
  $('signin-cancel').addEventListener('click', cancelSignIn);
  $('signin-dialog').addEventListener('cancel', () => cancelSignIn());
  api.onAuthChange(renderAccount);
  aiEdit.wire();
  window.addEventListener('hashchange', openSessionFromHash);
  window.addEventListener('beforeunload', (e) => { if (run?.active || cloud?.active) e.preventDefault(); });
}

// The AI part reaches the rest of the page through this object (the shape of the page's parts).
const aiEdit = createAiEdit({
  state: aiState, $, api,
  results: { renderCard: (img) => renderCard(img) },
  planView: { render: () => renderPlan() },
  cloud: { requestSignIn: () => requestSignIn() },
  ui: { notice: (text, tone) => notice(text, tone) },
});

applySettings(loadSettings());
if (jobOptions(readSettings()).error) { sizeErrorShown = true; $('output-panel').open = true; }
wire();
renderAccount();
renderOutputSettings();
renderPlan();
renderAll();
openSessionFromHash();

// For tests and the curious: the pool, the photos, the plan (setPlan replaces it, as a parsed
// command would), the current run and the cloud save.
window.retouch = {
  pool, images, plan, get run() { return run; }, get cloud() { return cloud; }, get painter() { return aiEdit.painter; },
  setPlan(calls) { plan.calls = calls.map(normalizeCall); plan.error = ''; planChanged(); },
};
