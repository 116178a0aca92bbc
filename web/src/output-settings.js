// The Output panel's settings as plain data: parsing the "Max file size" field, turning the
// settings into the engine's job options, keeping them in localStorage, and describing what the
// engine did with them ("q62, 80 % scale", "kept original (smaller)").
//
// Sizes use the CLI's units (`retouch edit --max-bytes`): k = 1000 bytes, M = 1,000,000 bytes.

/** The engine's `maxBytes` range (contract `MaxBytes`). */
export const MIN_BYTES = 1024;
export const MAX_BYTES = 1_073_741_824;

const UNITS = {
  '': 1, b: 1, byte: 1, bytes: 1,
  k: 1000, kb: 1000,
  m: 1_000_000, mb: 1_000_000,
  // Unambiguous binary units, for those who think in them.
  kib: 1024, mib: 1024 * 1024,
};

const EXAMPLE = 'Type a size such as 500k, 1.5 MB or 200 KB';

/**
 * The "Max file size" field: `"500k"`, `"1.5 MB"`, `"200 KB"`, `"200000"` → bytes, as the CLI's
 * `--max-bytes` reads them (k = 1000, M = 1,000,000). Empty means no limit.
 *
 * ```js
 * parseByteSize('1.5 MB') // { bytes: 1500000 }
 * parseByteSize('')       // { bytes: null }
 * parseByteSize('lots')   // { error: 'Type a size such as 500k, 1.5 MB or 200 KB.' }
 * ```
 * @param {string} text
 * @returns {{bytes: number|null, error?: undefined} | {error: string, bytes?: undefined}}
 */
export function parseByteSize(text) {
  const t = String(text ?? '').trim();
  if (!t) return { bytes: null };
  const m = /^(\d+(?:[.,]\d*)?|[.,]\d+)\s*([a-z]*)\.?$/i.exec(t);
  if (!m) return { error: `${EXAMPLE}.` };
  if (m[1].includes(',')) return { error: `Use a point for decimals, e.g. ${m[1].replace(',', '.')} ${m[2] || 'MB'}.` };
  const unit = UNITS[m[2].toLowerCase()];
  if (unit == null) return { error: `“${m[2]}” is not a size unit: use KB (1000 bytes) or MB (1,000,000 bytes).` };
  const bytes = Math.round(Number(m[1]) * unit);
  if (!Number.isFinite(bytes)) return { error: `${EXAMPLE}.` };
  if (bytes < MIN_BYTES) return { error: `Too small: the smallest max file size is ${MIN_BYTES} bytes (about 1 KB).` };
  if (bytes > MAX_BYTES) return { error: 'Too large: the largest max file size is 1 GB (1073.7 MB).' };
  return { bytes };
}

/** A byte budget in the field's units, 3 significant digits: `150000` → `"150 KB"`. */
export function formatByteSize(bytes) {
  const [v, unit] = bytes >= 1_000_000 ? [bytes / 1_000_000, 'MB'] : bytes >= 1000 ? [bytes / 1000, 'KB'] : [bytes, 'bytes'];
  return `${Number(v.toPrecision(3))} ${unit}`;
}

export const METADATA = ['strip', 'keep', 'copyright'];
export const NEVER_LARGER = ['auto', 'on', 'off'];
export const FORMATS = ['', 'jpg', 'png', 'webp'];

/** The panel's settings when nothing was chosen: the engine's defaults. */
export const DEFAULT_SETTINGS = Object.freeze({
  format: '', qualityOn: false, quality: 85, maxWidth: '', maxHeight: '',
  maxSize: '', minQuality: 40, neverLarger: 'auto', metadata: 'strip', keepGps: false, smallest: false,
});

const intIn = (v, lo, hi) => Number.isInteger(v) && v >= lo && v <= hi;
// The largest side is the engine's (toolSchema()); the panel clamps to it when it reads a side.
const sideOk = (v) => v === '' || (Number.isInteger(v) && v >= 1);

/** Settings from untrusted data (localStorage, an older version): valid fields kept, others default. */
export function sanitizeSettings(raw) {
  const s = { ...DEFAULT_SETTINGS };
  if (!raw || typeof raw !== 'object') return s;
  const take = (key, ok) => { if (key in raw && ok(raw[key])) s[key] = raw[key]; };
  take('format', (v) => FORMATS.includes(v));
  take('qualityOn', (v) => typeof v === 'boolean');
  take('quality', (v) => intIn(v, 1, 100));
  take('maxWidth', sideOk);
  take('maxHeight', sideOk);
  take('maxSize', (v) => typeof v === 'string' && v.length <= 40);
  take('minQuality', (v) => intIn(v, 1, 100));
  take('neverLarger', (v) => NEVER_LARGER.includes(v));
  take('metadata', (v) => METADATA.includes(v));
  take('keepGps', (v) => typeof v === 'boolean');
  take('smallest', (v) => typeof v === 'boolean');
  return s;
}

export const STORAGE_KEY = 'retouch.output';

/** The saved settings (defaults when there are none or storage is unavailable). */
export function loadSettings(storage = globalThis.localStorage) {
  try {
    return sanitizeSettings(JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null'));
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

/** Keeps the settings for the next visit; a full or blocked storage is not an error. */
export function saveSettings(settings, storage = globalThis.localStorage) {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(sanitizeSettings(settings)));
  } catch { /* private mode or quota: the settings just don't persist */ }
}

/**
 * The engine's job options (`engine/contract/src/options.rs`) for these settings. Only what
 * differs from the engine's defaults is sent; `error` is the max file size field's, if invalid.
 *
 * ```js
 * jobOptions({ ...DEFAULT_SETTINGS, maxSize: '150 KB', metadata: 'keep' })
 * // { options: { maxBytes: 150000, minQuality: 40, metadata: 'keep' }, error: '' }
 * ```
 */
export function jobOptions(settings) {
  const s = sanitizeSettings(settings);
  const o = {};
  if (s.format) o.outputFormat = s.format;
  if (s.qualityOn) o.quality = s.quality;
  if (s.maxWidth) o.maxWidth = s.maxWidth;
  if (s.maxHeight) o.maxHeight = s.maxHeight;
  const size = parseByteSize(s.maxSize);
  if (size.bytes) {
    o.maxBytes = size.bytes;
    o.minQuality = s.minQuality;
  }
  if (s.neverLarger !== 'auto') o.neverLarger = s.neverLarger === 'on';
  if (s.metadata !== 'strip') o.metadata = s.metadata;
  if (s.metadata === 'keep' && s.keepGps) o.keepGps = true;
  if (s.smallest) o.effort = 'max';
  return { options: o, error: size.error ?? '' };
}

const METADATA_WORDS = { strip: 'no metadata', keep: 'metadata kept', copyright: 'copyright only' };

/** The closed panel's one-line summary of the options. */
export function summarize(options) {
  const o = options ?? {};
  const fmt = { jpg: 'JPEG', png: 'PNG', webp: 'WebP' }[o.outputFormat] ?? 'format as planned';
  const size = o.maxWidth || o.maxHeight ? `fit ${o.maxWidth ?? 'any'} × ${o.maxHeight ?? 'any'} px` : 'any size';
  const parts = [fmt, o.quality ? `quality ${o.quality}` : 'auto quality', size];
  if (o.maxBytes) parts.push(`≤ ${formatByteSize(o.maxBytes)}`);
  if (o.effort === 'max') parts.push('smallest files');
  parts.push(METADATA_WORDS[o.metadata ?? 'strip'] + (o.keepGps ? ' with GPS' : ''));
  return parts.join(' · ');
}

/**
 * What the engine did to meet the options, for a result (`{quality, scale, keptInput}` from the
 * engine) made with `options`: `"q62, 80 % scale"` when a max file size was searched, `"kept
 * original (smaller)"` when `neverLarger` kept the input, else `""`.
 */
export function resultNote(result, options) {
  if (result?.keptInput) return 'kept original (smaller)';
  if (!options?.maxBytes) return '';
  const scale = Number(result?.scale);
  const parts = [];
  if (result?.quality != null) parts.push(`q${result.quality}`);
  parts.push(Number.isFinite(scale) && scale < 1 ? `${Math.round(scale * 100)} % scale` : 'full size');
  return parts.join(', ');
}

/**
 * A `target_unreachable` error in people's words, for one photo whose output is `format`.
 * `message` is the engine's (kept as the detail).
 */
export function explainUnreachable(message, options, format) {
  const budget = options?.maxBytes ? formatByteSize(options.maxBytes) : 'the max file size';
  const name = { jpg: 'JPEG', png: 'PNG', webp: 'WebP' }[format] ?? String(format ?? '').toUpperCase();
  const msg = String(message ?? '');
  if (/lossless/i.test(msg) || format === 'png') {
    return `Can't fit in ${budget} as ${name || 'a lossless file'}: lossless files can't trade quality for size. Choose JPEG or WebP, or a larger max file size.`;
  }
  if (/metadata/i.test(msg)) {
    return `Can't fit in ${budget}: the kept metadata alone is about that large. Choose “Strip” metadata or a larger max file size.`;
  }
  return `Can't fit in ${budget}, even at quality ${options?.minQuality ?? 40} and a much smaller size. Lower the minimum quality or raise the max file size.`;
}
