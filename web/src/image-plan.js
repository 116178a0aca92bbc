// What a run will do to one photo, decided before it starts: the calls that apply to it, its
// output format and MIME type, and the label of every step the engine reports (the engine names
// the result). One place for these rules on the page, in the shape of the engine's per-image
// plan, so the page can take that plan from the engine once the wasm package offers it.

import { describeStep, FORMAT_LABELS, paramsOf } from './steps.js';
import { formatByteSize } from './output-settings.js';

/** The tool calls that apply to the image `id`: those for all, and those for it alone. */
export function callsFor(toolCalls, id) {
  return toolCalls.filter((c) => c.applyToAll !== false || c.imageId === id);
}

/** The format an edit of a photo gets when nothing asks for one, as the engine's `inspect` said
 * it (`outputFormat`: JPEG for a HEIC photo, PNG for GIF and BMP), else its input format. */
export function defaultFormatOf(info) {
  return info?.outputFormat ?? info?.format;
}

/** The output format a plan and options lead to for an input format (the engine's rule). */
export function outputFormat(calls, options, inputFormat) {
  if (options?.outputFormat) return options.outputFormat;
  let f = null;
  for (const c of calls) if (c.tool === 'convert_format') f = paramsOf(c).format ?? f;
  if (f) return String(f).toLowerCase().replace('jpeg', 'jpg');
  const i = String(inputFormat ?? '').toLowerCase().replace('jpeg', 'jpg');
  return ['jpg', 'png', 'webp'].includes(i) ? i : 'png';
}

/** The Output panel's max width and height as the engine's fit step says them. */
function fitWords({ maxWidth: w, maxHeight: h }) {
  if (w && h) return `Fitting inside ${w} × ${h} px…`;
  return w ? `Fitting inside ${w} px wide…` : `Fitting inside ${h} px high…`;
}

/**
 * The plan for one photo. The engine's steps are: decode, each tool call that applies, the fit
 * to a max width or height when one is set, encode — so N calls make N + 2 (+ 1) steps.
 *
 * ```js
 * imagePlan([{tool: 'apply_filter', params: {filter: 'grayscale'}}], {maxWidth: 800}, {id: 'img_1', name: 'Dune.jpg', format: 'jpeg'})
 * // {calls: [...], format: 'jpg', mimeType: 'image/jpeg',
 * //  steps: ['Reading the photo…', 'Black and white', 'Fitting inside 800 px wide…', 'Saving as JPEG…']}
 * ```
 * @param {object[]} toolCalls the plan's calls (targeted ones apply to their image only)
 * @param {object} options the job options
 * @param {{id: string, format?: string}} image its id and input format
 * @param {(id: string) => string|undefined} [imageName] names image ids in the labels
 */
export function imagePlan(toolCalls, options, image, imageName) {
  const calls = callsFor(toolCalls, image.id);
  const format = outputFormat(calls, options, image.format);
  const n = calls.length;
  const budget = options?.maxBytes ? `, fitting in ${formatByteSize(options.maxBytes)}` : '';
  const steps = [
    'Reading the photo…',
    ...calls.map((c, i) => (n > 1 ? `Step ${i + 1} of ${n}: ${describeStep(c, imageName)}` : describeStep(c, imageName))),
    ...(options?.maxWidth || options?.maxHeight ? [fitWords(options)] : []),
    `Saving as ${FORMAT_LABELS[format] ?? format}${budget}…`,
  ];
  return {
    calls, format, steps,
    mimeType: `image/${format === 'jpg' ? 'jpeg' : format}`,
  };
}

/**
 * The current step in words, from the engine's progress (`step` is the zero-based current one;
 * its last report, "Done", repeats the last step). Should the engine count other steps than the
 * plan, its own message is shown rather than a wrong label.
 * @param {{step?: number, steps?: number, message?: string}} p
 * @param {{steps: string[]}} plan from `imagePlan`
 */
export function stepLabel(p, plan) {
  const steps = Number(p?.steps) || 0;
  const step = Number(p?.step) || 0;
  if (steps === plan.steps.length && step >= 0 && step < steps) return plan.steps[step];
  return p?.message ? String(p.message) : 'Working…';
}
