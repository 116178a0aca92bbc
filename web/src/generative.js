// AI steps in a plan. The engine cannot do `generate_with_llm` (it fails with kind
// `needs_generative`), so the page splits the plan around it: the parametric steps before it run
// locally, the AI step goes to the worker (POST /v1/images:edit, with the painted mask if there
// is one), and the steps after it run locally on the edited image — in the order of the plan.
//
//   splitPlan([resize, ai, grayscale]) → [{kind:'local', calls:[resize]}, {kind:'ai', call: ai}, {kind:'local', calls:[grayscale]}]
//
// With a mask, the AI's picture is pasted into the photo inside the painted area only, at the
// photo's full resolution, so every pixel outside it stays the photo's own.

import { maskPng } from './mask-painter.js';

export const AI_TOOL = 'generate_with_llm';

/** Whether the plan has an AI step. */
export function hasAiStep(calls) {
  return calls.some((c) => c.tool === AI_TOOL);
}

/** The plan without its AI steps (when no AI service is available). */
export function withoutAiSteps(calls) {
  return calls.filter((c) => c.tool !== AI_TOOL);
}

/** The plan as runs of local steps and single AI steps, in order (empty local runs dropped). */
export function splitPlan(calls) {
  const out = [];
  for (const call of calls) {
    if (call.tool === AI_TOOL) out.push({ kind: 'ai', call });
    else if (out.at(-1)?.kind === 'local') out.at(-1).calls.push(call);
    else out.push({ kind: 'local', calls: [call] });
  }
  return out;
}

/** How an AI step reads: `AI edit: remove the person (painted area)`. */
export function describeAiEdit(prompt, painted) {
  const p = String(prompt ?? '').trim();
  return `AI edit: ${p}${painted ? ' (painted area)' : ''}`;
}

async function bitmap(blob) {
  return createImageBitmap(blob, { imageOrientation: 'from-image' });
}

/**
 * `edited` pasted into `base` inside `mask` (a {canvas} whose alpha is the painted area), at
 * `base`'s size; a PNG.
 */
export async function pasteInside(base, edited, mask) {
  const [b, e] = await Promise.all([bitmap(base), bitmap(edited)]);
  const { width, height } = b;
  const layer = document.createElement('canvas');
  layer.width = width;
  layer.height = height;
  const lctx = layer.getContext('2d');
  lctx.drawImage(e, 0, 0, width, height);
  lctx.globalCompositeOperation = 'destination-in';
  lctx.imageSmoothingEnabled = false;
  lctx.drawImage(await hardMask(mask, width, height), 0, 0);
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d');
  ctx.drawImage(b, 0, 0);
  ctx.drawImage(layer, 0, 0);
  b.close();
  e.close();
  return new Promise((resolve, reject) => out.toBlob((x) => (x ? resolve(x) : reject(new Error('the edited photo could not be encoded'))), 'image/png'));
}

/** The mask scaled to `width` × `height` with alpha 0 or 255 only (no half-painted edge pixels). */
async function hardMask(mask, width, height) {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(mask.canvas, 0, 0, width, height);
  const img = ctx.getImageData(0, 0, width, height);
  for (let i = 3; i < img.data.length; i += 4) img.data[i] = img.data[i] >= 128 ? 255 : 0;
  ctx.putImageData(img, 0, 0);
  return c;
}

/**
 * Runs one photo through a plan with AI steps.
 * - `runLocal(blob, calls, options)` → {bytes, format, mimeType, …} (the engine in the pool);
 * - `editRemote(blob, maskBlob|null, prompt)` → the worker's answer ({url, width, height, …});
 * - `fetchBytes(url)` → Blob;
 * - `onStep(text, fraction)` reports progress.
 * Intermediate images are PNG (lossless); `options` (format, quality, size) apply at the end.
 * Returns the last local run's result and the AI answers.
 */
export async function runWithAi({ file, calls, options, mask, maxSide, runLocal, editRemote, fetchBytes, onStep }) {
  const parts = splitPlan(calls);
  let current = file;
  const answers = [];
  const lossless = { outputFormat: 'png' };
  let result = null;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const last = i === parts.length - 1;
    if (part.kind === 'local') {
      onStep?.(`Local steps ${i + 1} of ${parts.length}…`, i / parts.length);
      result = await runLocal(current, part.calls, last ? options : lossless);
      current = new Blob([result.bytes], { type: result.mimeType || 'image/png' });
      continue;
    }
    const prompt = part.call.params?.prompt ?? '';
    const painted = Boolean(mask);
    onStep?.(`${describeAiEdit(prompt, painted)}: generating…`, i / parts.length);
    // The provider takes at most maxSide px: send a scaled PNG, keep the full-size one to paste into.
    const base = (await runLocal(current, [], lossless));
    const baseBlob = new Blob([base.bytes], { type: 'image/png' });
    const big = Math.max(base.width ?? 0, base.height ?? 0) > maxSide;
    const sent = big ? await runLocal(baseBlob, [], { ...lossless, maxWidth: maxSide, maxHeight: maxSide }) : base;
    const sentBlob = big ? new Blob([sent.bytes], { type: 'image/png' }) : baseBlob;
    const maskBlob = painted ? await maskPng(mask, sent.width, sent.height) : null;
    const answer = await editRemote(sentBlob, maskBlob, prompt);
    answers.push(answer);
    const edited = await fetchBytes(answer.url);
    current = painted ? await pasteInside(baseBlob, edited, mask) : edited;
    result = null;
  }
  if (!result) result = await runLocal(current, [], options);
  return { result, answers };
}
