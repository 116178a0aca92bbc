// The page's AI edits: the "Paint what to change" dialog, asking the worker whether an AI image
// service is configured, and running a photo whose plan has an AI step (local steps → the
// worker's POST /v1/images:edit with the painted mask → local steps, in plan order).
//
// With no AI service (or no server at all), the page says so once, plainly, and runs the plan's
// other steps; a plan with nothing else leaves the photos unchanged and says why on each card.

import { MaskPainter } from './mask-painter.js';
import { callsFor, defaultFormatOf, outputFormat } from './image-plan.js';
import { describeAiEdit, hasAiStep, runWithAi, withoutAiSteps, AI_TOOL } from './generative.js';

const UNREACHABLE = 'AI edits need the Retouch server, which this page cannot reach. The other steps ran on this device.';

/** The AI part of the page. */
export function createAiEdit(page) {
  const { state, $ } = page;
  let painter = null;
  let painting = null; // the photo in the painter
  let caps = null;

  const ai = {
    get painter() { return painter; },

    /** `{available, provider?, maxSide?, message?}` from the worker, asked once. */
    capabilities() {
      caps ??= Promise.resolve().then(() => page.api.capabilities())
        .then((c) => c?.edit ?? { available: false, message: UNREACHABLE })
        .catch(() => ({ available: false, message: UNREACHABLE }));
      return caps;
    },

    /** Whether any photo has a painted area (the plan then reads "(painted area)"). */
    anyPainted() {
      return [...state.images.values()].some((i) => i.mask);
    },

    /** How an AI step reads in the plan, with whether it can run here. */
    stepText(call) {
      const text = describeAiEdit(call.params?.prompt, ai.anyPainted());
      return state.aiAvailable === false ? `${text} — skipped: no AI image service here` : text;
    },

    async openPainter(img) {
      painting = img;
      const dialog = $('painter');
      $('painter-title').textContent = `Paint what to change: ${img.file.name}`;
      dialog.showModal();
      await painter.open(img.url, img.mask);
    },

    closePainter() {
      if (!painting) return;
      painting.mask = painter.mask();
      page.results.renderCard(painting);
      page.planView.render();
      painting = null;
      $('painter').close();
    },

    /**
     * Before a run whose plan has AI steps: sign-in and a session (for the quota, the results'
     * keys and the live "generating…"), or, with no AI service, the plan without them and one
     * notice. Returns `{toolCalls, session?, skipped?}`.
     */
    async prepare(targets, toolCalls, options) {
      if (!hasAiStep(toolCalls)) return { toolCalls };
      const c = await ai.capabilities();
      if (!c.available) {
        if (!state.aiNoticeShown) {
          state.aiNoticeShown = true;
          page.ui.notice(c.message ?? UNREACHABLE, 'warn');
        }
        return { toolCalls: withoutAiSteps(toolCalls), skipped: c.message ?? UNREACHABLE };
      }
      if (!page.api.signedIn) await page.cloud.requestSignIn();
      const prompt = toolCalls.find((t) => t.tool === AI_TOOL)?.params?.prompt ?? '';
      // The results are stored in this session when the run ends (cloud.finishSession): pin the
      // format they will have, as a save does, so each upload URL takes it.
      const formats = new Set(targets.map((i) => outputFormat(callsFor(toolCalls, i.id), options, defaultFormatOf(i.info))));
      const session = await page.api.createSession({
        images: targets.map((i) => ({ id: i.id, name: i.file.name, size: i.file.size, ...(i.file.type ? { type: i.file.type } : {}) })),
        operation: { type: 'toolCalls', toolCalls, command: describeAiEdit(prompt, ai.anyPainted()).slice(0, 1000) },
        options: { ...options, ...(formats.size === 1 ? { outputFormat: [...formats][0] } : {}) },
      });
      return { toolCalls, session, maxSide: c.maxSide ?? 2048 };
    },

    /**
     * Runs one photo through a plan with AI steps; resolves to the engine's last result (as
     * `pool.run('process')` does). `local(blob, calls, options)` runs engine steps.
     */
    async process(img, calls, options, prepared, { signal, local, onStep }) {
      const answers = [];
      const { result } = await runWithAi({
        file: img.file,
        calls,
        options,
        mask: img.mask ?? null,
        maxSide: prepared.maxSide,
        runLocal: local,
        editRemote: async (blob, mask, prompt) => {
          const a = await page.api.editImage(prepared.session.sessionId, img.id, blob, mask, prompt, { signal });
          answers.push(a);
          return a;
        },
        fetchBytes: async (url) => {
          const res = await fetch(url, { signal });
          if (!res.ok) throw new Error(`the edited image could not be read (${res.status})`);
          return res.blob();
        },
        onStep,
      });
      img.aiEdits = answers;
      return result;
    },

    wire() {
      painter = new MaskPainter($('painter'));
      $('painter-done').addEventListener('click', () => ai.closePainter());
      $('painter').addEventListener('close', () => ai.closePainter());
      // Ask early, so the plan can say whether AI steps will run.
      ai.capabilities().then((c) => {
        state.aiAvailable = c.available;
        if (hasAiStep(state.plan.calls)) page.planView.render();
      }).catch(() => {});
    },
  };
  return ai;
}
