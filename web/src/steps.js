// Tool calls in people's words, and the fields of each step's editor.
//
// The wire format is the engine's contract (engine/contract/src/tools.rs); this module only reads
// it. `describeStep` turns one tool call into a sentence ("Resize to 1200 px wide"); `stepFields`
// lists the parameters a person may edit, with the ranges of the engine's `toolSchema()`, so the
// plan panel can build a small form per step. Pure functions: tested under Node (web/test/steps.test.mjs).

/** Labels of the output formats, as people write them. */
export const FORMAT_LABELS = { jpg: 'JPEG', jpeg: 'JPEG', png: 'PNG', webp: 'WebP' };

const FILTER_WORDS = {
  grayscale: 'Black and white',
  sepia: 'Sepia tone',
  blur: 'Blur',
  sharpen: 'Sharpen',
  negate: 'Invert colours',
  normalize: 'Auto-levels',
};

// Gravity words, including the contract's aliases, as a place on the picture.
const GRAVITY_WORDS = {
  north: 'at the top', top: 'at the top',
  'north-east': 'top right', northeast: 'top right', 'top-right': 'top right',
  east: 'on the right', right: 'on the right',
  'south-east': 'bottom right', southeast: 'bottom right', 'bottom-right': 'bottom right',
  south: 'at the bottom', bottom: 'at the bottom',
  'south-west': 'bottom left', southwest: 'bottom left', 'bottom-left': 'bottom left',
  west: 'on the left', left: 'on the left',
  'north-west': 'top left', northwest: 'top left', 'top-left': 'top left',
  center: 'in the centre', centre: 'in the centre', middle: 'in the centre',
};

const ADJUST_WORDS = {
  brightness: ['brightness', '%'],
  contrast: ['contrast', '%'],
  saturation: ['saturation', '%'],
  hue: ['hue', '°'],
  gamma: ['gamma', ''],
  temperature: ['warmth', ''],
  warmth: ['warmth', ''],
  tint: ['tint', ''],
  exposure: ['exposure', ' EV'],
};

// Colours the parser writes as hex, said as words where there is a common one.
const COLOUR_WORDS = {
  '#ffffff': 'white', '#000000': 'black', '#808080': 'grey', '#ff0000': 'red', '#008000': 'green',
  '#0000ff': 'blue', '#ffff00': 'yellow', '#ffa500': 'orange', '#800080': 'purple', '#ffc0cb': 'pink',
  '#a52a2a': 'brown', '#c0c0c0': 'silver', '#ffd700': 'gold',
};

/** A colour as people say it: `#ffffff` → `white`, `#fff` → `white`, others as written. */
export function colourName(c) {
  let v = String(c ?? '').trim().toLowerCase();
  if (/^#[0-9a-f]{3}$/.test(v)) v = `#${[...v.slice(1)].map((x) => x + x).join('')}`;
  if (/^#[0-9a-f]{8}$/.test(v) && v.endsWith('ff')) v = v.slice(0, 7);
  return COLOUR_WORDS[v] ?? String(c);
}

/** A number as people read it: no trailing zeros, a real minus sign. */
export function num(n) {
  const s = String(Math.round(Number(n) * 100) / 100);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

function signed(n) {
  return Number(n) > 0 ? `+${num(n)}` : num(n);
}

function quoted(text, max = 40) {
  const t = String(text ?? '').replace(/\s+/g, ' ').trim();
  return `“${t.length > max ? `${t.slice(0, max - 1)}…` : t}”`;
}

/**
 * One tool call as a short sentence.
 *
 * @param {{tool: string, params?: object|string, applyToAll?: boolean, imageId?: string}} call
 * @param {(id: string) => string|undefined} [imageName] names an image id for targeted calls
 * @returns {string}
 * @example describeStep({tool: 'resize', params: {width: 1200}}) // "Resize to 1200 px wide"
 */
export function describeStep(call, imageName = () => undefined) {
  const p = paramsOf(call);
  let text;
  switch (call.tool) {
    case 'resize': text = describeResize(p); break;
    case 'rotate': text = describeRotate(p); break;
    case 'flip':
      text = p.direction === 'vertical' ? 'Flip vertically (upside down)' : 'Flip horizontally (mirror)';
      break;
    case 'crop': text = describeCrop(p); break;
    case 'convert_format':
      text = `Convert to ${FORMAT_LABELS[String(p.format).toLowerCase()] ?? p.format}`
        + (p.quality != null ? ` at quality ${p.quality}` : '');
      break;
    case 'adjust_quality': text = `Set quality to ${p.quality ?? 80}`; break;
    case 'apply_filter': text = describeFilter(p); break;
    case 'add_border':
      text = `Add a ${num(p.width ?? p.size ?? 10)} px ${colourName(p.color ?? p.colour ?? 'black')} border`;
      break;
    case 'add_text': {
      const where = GRAVITY_WORDS[p.position ?? p.gravity ?? 'south'] ?? 'at the bottom';
      text = `Add the text ${quoted(p.text)} ${where}`;
      break;
    }
    case 'adjust': text = describeAdjust(p); break;
    case 'generate_with_llm':
      text = `AI edit: ${quoted(p.prompt, 60)}`;
      break;
    default: text = `Unknown step “${call.tool}”`;
  }
  if (call.applyToAll === false && call.imageId) {
    text += ` (only ${imageName(call.imageId) ?? call.imageId})`;
  }
  return text;
}

/** The params object of a call (OpenAI-style calls send a JSON string). */
export function paramsOf(call) {
  const p = call?.params;
  if (typeof p === 'string') {
    try { return JSON.parse(p) ?? {}; } catch { return {}; }
  }
  return p && typeof p === 'object' ? p : {};
}

function describeResize(p) {
  const never = (p.withoutEnlargement ?? p.noEnlarge) ? ', never enlarging' : '';
  if (p.scale != null) return `Resize to ${num(p.scale * 100)} %${never}`;
  const { width: w, height: h } = p;
  if (w != null && h != null) {
    const fit = p.maintainAspect === false ? 'fill' : (p.fit ?? 'inside');
    const box = `${w} × ${h} px`;
    const words = {
      inside: `Resize to fit within ${box}`,
      contain: `Resize to fit ${box}, padding the rest`,
      cover: `Resize and crop to fill ${box}`,
      fill: `Stretch to exactly ${box}`,
      outside: `Resize to cover at least ${box}`,
    };
    return (words[fit] ?? words.inside) + never;
  }
  if (w != null) return `Resize to ${w} px wide${never}`;
  if (h != null) return `Resize to ${h} px tall${never}`;
  return 'Resize';
}

function describeRotate(p) {
  const d = Number(p.degrees ?? p.angle ?? 0);
  const corners = p.background && d % 90 !== 0 ? `, corners filled ${colourName(p.background)}` : '';
  if (Math.abs(d) === 180) return 'Rotate 180° (upside down)';
  if (d === 0 || Math.abs(d) === 360) return 'Rotate 0° (no change)';
  return `Rotate ${num(Math.abs(d))}° ${d > 0 ? 'clockwise' : 'counter-clockwise'}${corners}`;
}

function describeCrop(p) {
  if (p.aspectRatio) {
    const g = p.gravity && p.gravity !== 'center' ? `, keeping the ${GRAVITY_WORDS[p.gravity]?.replace(/^(at|on|in) the /, '') ?? p.gravity}` : '';
    return `Crop to ${p.aspectRatio}${p.aspectRatio === '1:1' ? ' (square)' : ''}${g}`;
  }
  if (p.trim != null) return `Trim ${num(p.trim)} px from every side`;
  const x = p.x ?? p.left ?? 0;
  const y = p.y ?? p.top ?? 0;
  const at = x || y ? ` from ${x}, ${y}` : ' from the top left';
  return `Crop to ${p.width ?? '?'} × ${p.height ?? '?'} px${at}`;
}

function describeFilter(p) {
  const name = String(p.filter ?? '').toLowerCase();
  const base = FILTER_WORDS[name] ?? `Filter “${p.filter}”`;
  if (name === 'blur') return `${base} (radius ${num(p.sigma ?? p.radius ?? 5)} px)`;
  if (name === 'sepia' && p.intensity != null) return `${base} at ${num(p.intensity * 100)} %`;
  if (name === 'sharpen' && (p.sigma != null || p.amount != null)) {
    return `${base} (radius ${num(p.sigma ?? 1)} px, amount ${num(p.amount ?? 1)})`;
  }
  return base;
}

function describeAdjust(p) {
  const parts = Object.entries(p)
    .filter(([k, v]) => ADJUST_WORDS[k] && v != null)
    .map(([k, v]) => {
      const [word, unit] = ADJUST_WORDS[k];
      return `${word} ${k === 'gamma' ? num(v) : signed(v)}${unit}`;
    });
  return parts.length ? `Adjust ${parts.join(', ')}` : 'Adjust (nothing set)';
}

// ---- editors --------------------------------------------------------------------------------

/**
 * The fields people edit, per tool and in order, in the page's words: a label, and for numbers
 * the step of the input (`percent` edits a factor in percent). Everything else about a field —
 * its type, range, choices, length, pattern, whether it is required — comes from the engine's
 * `toolSchema()`, so the editors cannot drift from what the engine accepts.
 */
const FIELD_WORDS = {
  resize: {
    width: 'Width (px)', height: 'Height (px)', scale: ['Scale (%)', { step: 1, percent: true }],
    fit: 'Fit', withoutEnlargement: 'Never enlarge',
  },
  rotate: { degrees: ['Degrees (clockwise)', { step: 1 }], background: 'Corner colour' },
  flip: { direction: 'Direction' },
  crop: {
    x: 'Left (px)', y: 'Top (px)', width: 'Width (px)', height: 'Height (px)',
    aspectRatio: 'Aspect ratio (W:H)', gravity: 'Keep', trim: 'Trim each side (px)',
  },
  convert_format: { format: 'Format', quality: 'Quality' },
  adjust_quality: { quality: 'Quality' },
  apply_filter: {
    filter: 'Filter', sigma: ['Radius (px, blur/sharpen)', { step: 0.1 }],
    amount: ['Amount (sharpen)', { step: 0.1 }], intensity: ['Intensity (sepia, 0–1)', { step: 0.05 }],
  },
  add_border: { width: 'Width (px)', color: 'Colour' },
  add_text: { text: 'Text', fontSize: 'Size (px)', color: 'Colour', position: 'Position', margin: 'Margin (px)' },
  adjust: {
    brightness: ['Brightness (%)', { step: 1 }], contrast: ['Contrast (%)', { step: 1 }],
    saturation: ['Saturation (%)', { step: 1 }], hue: ['Hue (°)', { step: 1 }],
    gamma: ['Gamma', { step: 0.1 }], temperature: ['Warmth', { step: 1 }],
    tint: ['Tint', { step: 1 }], exposure: ['Exposure (EV)', { step: 0.1 }],
  },
  generate_with_llm: { prompt: 'What to do' },
};

/** `fontSize` → `Font size`: the label of a field the page has no words for. */
function labelOf(name) {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One editor field from the schema's property (`prop`) and the page's words for it. */
function fieldOf(name, prop, required, words) {
  const [label, extra] = Array.isArray(words) ? words : [words ?? labelOf(name), {}];
  const field = { name, label, ...(required ? { required: true } : {}) };
  if (Array.isArray(prop.enum)) return { ...field, type: 'select', options: prop.enum.map(String) };
  if (prop.type === 'boolean') return { ...field, type: 'checkbox' };
  if (prop.type === 'integer' || prop.type === 'number') {
    const step = prop.type === 'integer' ? 1 : extra.step ?? 'any';
    const k = extra.percent ? 100 : 1;
    let min = prop.minimum != null ? prop.minimum * k : undefined;
    // An exclusive minimum (scale > 0) becomes the smallest step above it.
    if (min == null && prop.exclusiveMinimum != null) min = prop.exclusiveMinimum * k + (step === 'any' ? 0 : step);
    return {
      ...field, type: 'number', step,
      ...(min != null ? { min } : {}),
      ...(prop.maximum != null ? { max: prop.maximum * k } : {}),
      ...(extra.percent ? { percent: true } : {}),
    };
  }
  return {
    ...field, type: 'text',
    ...(prop.maxLength != null ? { maxLength: prop.maxLength } : {}),
    // An input's pattern is anchored already.
    ...(prop.pattern ? { pattern: String(prop.pattern).replace(/^\^|\$$/g, '') } : {}),
  };
}

/**
 * The editable fields of every tool, from the engine's `toolSchema()` (OpenAI function-calling
 * form). Tools the page has words for show those fields, in that order; a tool it does not know
 * yet shows all its parameters. A blank optional field is left out of the params (the engine
 * then uses its default).
 * @param {{function: {name: string, parameters: {properties: object, required?: string[]}}}[]} schema
 * @returns {Record<string, object[]>}
 * @example stepFields(toolSchema()).resize[0] // {name: 'width', label: 'Width (px)', type: 'number', step: 1, min: 1, max: 16384}
 */
export function stepFields(schema) {
  const out = {};
  for (const entry of Array.isArray(schema) ? schema : []) {
    const fn = entry?.function;
    const props = fn?.parameters?.properties;
    if (!fn?.name || !props) continue;
    const required = new Set(fn.parameters.required ?? []);
    const words = FIELD_WORDS[fn.name];
    const names = words ? Object.keys(words).filter((n) => n in props) : Object.keys(props);
    out[fn.name] = names.map((n) => fieldOf(n, props[n], required.has(n), words?.[n]));
  }
  return out;
}

/** The fields the page has words for that the schema lacks (empty unless the two drifted). */
export function unknownFields(schema) {
  const props = Object.fromEntries((schema ?? []).map((e) => [e.function?.name, e.function?.parameters?.properties ?? {}]));
  return Object.entries(FIELD_WORDS).flatMap(([tool, words]) => Object.keys(words)
    .filter((n) => !(props[tool] && n in props[tool])).map((n) => `${tool}.${n}`));
}

/**
 * The limits the page applies before asking the engine: the largest side in pixels (resize's
 * `width` maximum, as the engine's `maxWidth`/`maxHeight` options).
 */
export function schemaLimits(schema) {
  const resize = (schema ?? []).find((e) => e.function?.name === 'resize');
  return { maxSide: resize?.function?.parameters?.properties?.width?.maximum ?? null };
}

/** The value a field shows for `params` (scale in percent). */
export function fieldValue(field, params) {
  const v = params[field.name];
  if (v == null) return field.type === 'checkbox' ? false : '';
  return field.percent ? Math.round(v * 1000) / 10 : v;
}

/**
 * New params with one field set from its editor's raw value ('' removes an optional field).
 * Returns the params unchanged but for that field; never mutates.
 */
export function withField(params, field, raw) {
  const next = { ...params };
  if (field.name === 'withoutEnlargement') delete next.noEnlarge;
  if (field.type === 'checkbox') {
    if (raw) next[field.name] = true; else delete next[field.name];
    return next;
  }
  if (raw === '' || raw == null) {
    delete next[field.name];
    return next;
  }
  if (field.type === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n)) return params;
    next[field.name] = field.percent ? n / 100 : n;
  } else {
    next[field.name] = raw;
  }
  return next;
}

// ---- presets (the original plan's bulk operations) -------------------------------------------

/**
 * A bulk operation (`{type, params}` as in the original plan's `bulkOp`) as one tool call.
 * @example bulkToCall({type: 'resize', params: {scale: 0.5}})
 *   // {tool: 'resize', params: {scale: 0.5}, applyToAll: true}
 */
export function bulkToCall(op) {
  const p = op.params ?? {};
  const call = (tool, params) => ({ tool, params, applyToAll: true });
  switch (op.type) {
    case 'resize': return call('resize', { scale: p.scale });
    case 'rotate': return call('rotate', { degrees: p.degrees });
    case 'flip': return call('flip', { direction: p.direction });
    case 'format': return call('convert_format', { format: p.format });
    case 'filter': return call('apply_filter', { filter: p.filter });
    default: throw new Error(`unknown bulk operation ${op.type}`);
  }
}

/**
 * An engine error's path (`toolCalls[1].params.width: …`) in people's words ("Step 2 (…): width …").
 */
export function explainError(message, calls = []) {
  const m = /^toolCalls\[(\d+)\](?:\.params)?\.?([\w.]*):\s*(.*)$/s.exec(String(message));
  if (!m) return String(message).replace(/^options\.(\w+):/, (_, f) => `Output option ${f}:`);
  const i = Number(m[1]);
  const step = calls[i] ? ` (${describeStep(calls[i])})` : '';
  return `Step ${i + 1}${step}: ${m[2] ? `${m[2]} ` : ''}${m[3]}`;
}

/**
 * An engine error (`{kind, message}`) in plain words, for one photo's card.
 * @example plainError({kind: 'decode', message: 'bad header'}) // "Can't read this file: …"
 */
export function plainError(err, calls = []) {
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
