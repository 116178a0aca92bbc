// Running the plan: every runnable photo through the worker pool, progress painted at most once
// per frame, cancelling, and the batch bar (overall progress, time left, totals).

import { explainError, paramsOf, plainError } from './steps.js';
import { explainUnreachable } from './output-settings.js';
import { defaultFormatOf, imagePlan, stepLabel } from './image-plan.js';
import { runnable, busy } from './state.js';
import * as fmt from './format.js';
import { hasAiStep } from './generative.js';

const FINISHED = ['done', 'error', 'cancelled'];

/** The run part of the page. */
export function createRun(page) {
  const { state, $ } = page;
  const imageName = (id) => state.images.get(id)?.file.name;

  // Progress events come many times per second: paint at most once per frame. A hidden tab gets no
  // animation frames, so there a timer keeps the page's state current (the title shows progress).
  const dirty = new Set();
  let frame = null; // {raf} or {timer}: ids of the two kinds must not be mixed up
  function flushRenders() {
    if (frame?.raf) page.win.cancelAnimationFrame(frame.raf);
    if (frame?.timer) page.win.clearTimeout(frame.timer);
    frame = null;
    for (const i of dirty) if (state.images.has(i.id)) page.results.renderCard(i);
    dirty.clear();
    run.renderOverall();
  }
  function scheduleRender(img) {
    dirty.add(img);
    if (!frame) frame = page.doc.hidden ? { timer: page.win.setTimeout(flushRenders, 250) } : { raf: page.win.requestAnimationFrame(flushRenders) };
  }

  async function processOne(img, toolCalls, options, prepared = {}) {
    const signal = img.controller.signal;
    const plan = imagePlan(toolCalls, options, { id: img.id, format: defaultFormatOf(img.info) }, imageName);
    const { calls } = plan;
    try {
      if (prepared.skipped && calls.length === 0 && Object.keys(options).length === 0) {
        throw Object.assign(new Error(prepared.skipped), { kind: 'needs_generative' });
      }
      const input = { name: img.file.name, id: img.id };
      // A plan with an AI step: local steps, the worker's AI edit, local steps (ai-edit.js).
      const res = prepared.session && hasAiStep(calls) ? await page.ai.process(img, calls, { ...options, outputFormat: plan.format }, prepared, {
        signal,
        local: (file, c, o) => page.pool.run('process', { file, toolCalls: c, options: o, input }, { signal }),
        onStep: (text, fraction) => {
          img.status = 'processing';
          img.progress = Math.max(img.progress, Math.min(0.99, fraction));
          img.stepText = text;
          scheduleRender(img);
        },
      }) : await page.pool.run('process', { file: img.file, toolCalls: calls, options, input }, {
        signal,
        onProgress: (p) => {
          img.status = 'processing';
          img.progress = Math.max(img.progress, Math.min(0.99, Number(p?.fraction) || 0));
          img.stepText = stepLabel(p, plan);
          scheduleRender(img);
        },
      });
      if (!state.images.has(img.id)) return;
      const format = String(res.format || plan.format).toLowerCase();
      // The engine names the result (its naming rule) and gives its type.
      const mimeType = res.mimeType || plan.mimeType;
      const blob = new Blob([res.bytes], { type: mimeType });
      img.result = {
        ...res, bytes: undefined, blob, url: URL.createObjectURL(blob), format, mimeType, size: blob.size,
      };
      img.status = 'done';
      img.progress = 1;
    } catch (err) {
      if (!state.images.has(img.id)) return;
      if (err.name === 'AbortError' || err.kind === 'cancelled') {
        img.status = 'cancelled';
        img.stepText = '';
      } else {
        img.status = 'error';
        img.error = err.kind === 'target_unreachable'
          ? explainUnreachable(err.message, options, plan.format)
          : plainError(err, calls);
        img.errorDetail = String(err.message);
        page.ui.announce(`${img.file.name}: ${img.error}`);
        // A bad plan fails every photo the same way: stop and say so once, at the plan.
        if (err.kind === 'invalid_params' && state.run?.active) {
          state.plan.error = explainError(err.message, calls);
          page.planView.render();
          run.cancelAll();
        }
      }
    } finally {
      img.controller = undefined;
      scheduleRender(img);
    }
  }

  const run = {
    /** Runs the plan on every runnable photo; resolves when all have finished. */
    async start() {
      const targets = runnable(state);
      if (!targets.length || busy(state)) return;
      const toolCalls = state.plan.calls.map((c) => ({ ...c, params: paramsOf(c) }));
      const { options } = page.output.jobOptions();
      run.resetResults();
      const job = {
        active: true, startedAt: performance.now(), toolCalls, options, ids: targets.map((i) => i.id),
        command: state.plan.fromCommand ? state.plan.command : '',
      };
      state.run = job;
      for (const img of targets) {
        img.status = 'queued';
        img.progress = 0;
        img.stepText = '';
        img.error = undefined;
        img.controller = new AbortController();
        page.results.renderCard(img);
      }
      run.renderRunButton();
      run.renderOverall();
      page.ui.announce(`Processing ${targets.length} photos.`);
      let prepared = { toolCalls };
      try {
        if (hasAiStep(toolCalls)) prepared = await page.ai.prepare(targets, toolCalls, options);
      } catch (err) {
        // Sign-in cancelled, or the AI session could not start: nothing runs, each photo says why.
        for (const img of targets) {
          img.status = err.name === 'AbortError' ? 'cancelled' : 'error';
          img.error = err.name === 'AbortError' ? undefined : `The AI edit could not start: ${err.message}`;
          img.controller = undefined;
          page.results.renderCard(img);
        }
        targets.length = 0;
      }
      await Promise.all(targets.map((img) => processOne(img, prepared.toolCalls, options, prepared)));
      // The AI edits went through a cloud session: it keeps the results and ends.
      if (prepared.session) await page.cloud.finishSession(prepared.session, targets);
      job.active = false;
      job.endedAt = performance.now();
      flushRenders();
      run.renderRunButton();
      const done = targets.filter((i) => i.status === 'done').length;
      const failed = targets.filter((i) => i.status === 'error').length;
      page.ui.announce(`Finished: ${done} done${failed ? `, ${failed} failed` : ''}.`);
    },

    cancelAll() {
      for (const img of state.images.values()) img.controller?.abort();
    },

    /** Forgets the last run's results (and its cloud save). */
    resetResults() {
      for (const img of state.images.values()) {
        if (img.result?.url) URL.revokeObjectURL(img.result.url);
        img.result = undefined;
        if (!['unreadable', 'reading'].includes(img.status)) img.status = 'ready';
        img.progress = 0;
        img.stepText = '';
        img.error = img.status === 'unreadable' ? img.error : undefined;
        page.results.renderCard(img);
      }
      state.run = null;
      state.cloud = null;
      run.renderOverall();
      page.cloud.render();
    },

    /** Photos, plan or options changed after a run: results stay, but say they're from before. */
    markStale() {
      const job = state.run;
      if (!job || job.active || job.stale) return;
      job.stale = true;
      run.renderOverall();
    },

    renderRunButton() {
      const btn = $('run');
      const n = runnable(state).length;
      // A run replaces the results, so none starts while they are being saved.
      const { options, error } = page.output.jobOptions();
      const hasOutput = state.plan.calls.length > 0 || Object.keys(options).length > 0;
      btn.disabled = busy(state) || n === 0 || !hasOutput || Boolean(error);
      btn.textContent = state.cloud?.active ? 'Saving to cloud…' : busy(state) ? 'Working…'
        : n === 0 ? 'Add photos to start'
          : error ? 'Fix the max file size to start'
            : !hasOutput ? 'Add a step to start'
              : `Process ${n} ${n === 1 ? 'photo' : 'photos'}`;
    },

    /** The page title and the batch bar: progress, time left, totals, zip and cloud buttons. */
    renderOverall() {
      const { images, cloud } = state;
      const job = state.run;
      page.doc.title = job?.active ? `(${job.ids.filter((id) => FINISHED.includes(images.get(id)?.status)).length}/${job.ids.length}) Retouch` : page.baseTitle;
      $('batchbar').hidden = !job && !cloud;
      if (!job) return;
      const list = job.ids.map((id) => images.get(id)).filter(Boolean);
      const total = list.length;
      const isFinished = (i) => FINISHED.includes(i.status);
      const count = (status) => list.filter((i) => i.status === status).length;
      const done = list.filter((i) => i.status === 'done');
      const fraction = total ? list.reduce((s, i) => s + (isFinished(i) ? 1 : i.progress), 0) / total : 1;
      $('overall-bar').value = fraction;
      $('cancel-all').hidden = !job.active;
      $('download-zip').hidden = job.active || done.length === 0;
      $('save-cloud').hidden = job.active || done.length === 0;
      const saved = cloud && !cloud.active && !cloud.error;
      const offline = Boolean(state.offline) && !cloud?.active && !saved;
      $('save-cloud').disabled = Boolean(cloud?.active || saved || offline);
      $('save-cloud').textContent = cloud?.active ? 'Saving…' : saved ? 'Saved ✓' : offline ? 'Save to cloud (needs a connection)' : 'Save to cloud';
      if (job.active) {
        $('overall-text').textContent = `Processing · ${list.filter(isFinished).length} of ${total} finished`;
        const elapsed = (performance.now() - job.startedAt) / 1000;
        $('overall-eta').textContent = fraction > 0.04 && elapsed > 0.5 ? fmt.timeLeft((elapsed / fraction) * (1 - fraction)) : 'estimating time…';
      } else {
        const parts = [`${done.length} done`];
        if (count('error')) parts.push(`${count('error')} failed`);
        if (count('cancelled')) parts.push(`${count('cancelled')} cancelled`);
        $('overall-text').textContent = parts.join(' · ');
        $('overall-eta').textContent = `in ${((job.endedAt - job.startedAt) / 1000).toFixed(1)} s`;
      }
      const before = done.reduce((s, i) => s + i.file.size, 0);
      const after = done.reduce((s, i) => s + i.result.size, 0);
      $('results-summary').textContent = job.stale
        ? 'The photos or the plan changed since this run — process again to update the results.'
        : done.length ? `${fmt.bytes(before)} → ${fmt.bytes(after)} (${fmt.saved(before, after)}) · all processed on this device` : '';
    },

    wire() {
      $('run').addEventListener('click', run.start);
      $('cancel-all').addEventListener('click', () => { run.cancelAll(); page.ui.announce('Cancelling all.'); });
    },
  };
  return run;
}
