// The module worker that runs the engine (wasm) for the page's pool (pool.js).
//
// Messages in:  {type: 'init', module?}  first (a compiled WebAssembly.Module, optional), then jobs
//               {id, type: 'process', file: Blob, toolCalls, options, input: {name, id, tags}}
//               {id, type: 'inspect', file: Blob}
//               {id, type: 'preview', file: Blob, side}   (a card's small WebP, preview.js)
//               {id, type: 'parse', text}
//               {id, type: 'version'}
// Messages out: {id, type: 'progress', progress: {step, steps, fraction, message}}
//               {id, type: 'result', value}            (result bytes transferred, never copied)
//               {id, type: 'error', error: {kind, message, fatal}}
//
// Inputs arrive as Blobs (a handle, not bytes) and are read here, off the main thread.

import init, { process, inspect, isHeif, loadHeif, parseCommand, version } from './engine/index.js';
import { crc32 } from './zip.js';

const HEAD_BYTES = 512 * 1024;

let gotInit;
const ready = new Promise((resolve) => { gotInit = resolve; }).then((msg) =>
  init(msg.module ? { module_or_path: msg.module } : undefined));

/** The bytes of a Blob; for a HEIC/HEIF photo, once the HEIF module is loaded (the first such
 * photo fetches it; everyone else never downloads it). */
async function bytesOf(file) {
  let bytes;
  if (file instanceof Uint8Array) bytes = file;
  else if (file instanceof ArrayBuffer) bytes = new Uint8Array(file);
  else bytes = new Uint8Array(await file.arrayBuffer());
  if (isHeif(bytes)) await loadHeif();
  return bytes;
}

const jobs = {
  async process({ id, file, toolCalls, options, input: meta }) {
    const input = await bytesOf(file);
    const out = await process(input, toolCalls, options ?? {}, (p) => {
      self.postMessage({ id, type: 'progress', progress: plain(p) });
    }, meta ?? null);
    // Own the bytes outright so the buffer can be transferred (never a view of wasm memory).
    let bytes = out.bytes;
    if (!(bytes instanceof Uint8Array)) bytes = new Uint8Array(bytes);
    if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) bytes = bytes.slice();
    const value = {
      width: out.width, height: out.height, format: out.format, size: bytes.byteLength,
      name: out.name, fileName: out.fileName, mimeType: out.mimeType, tags: plain(out.tags),
      // What the options made the encoder do: the quality and scale a max file size chose, and
      // whether the original bytes were kept (never larger).
      quality: out.quality ?? null, scale: out.scale ?? 1, keptInput: Boolean(out.keptInput),
      crc: crc32(bytes), bytes,
    };
    return [value, [bytes.buffer]];
  },
  // A card's preview: the photo fitted in side × side, as WebP (alpha kept), no metadata.
  async preview({ id, file, side }) {
    const options = { maxWidth: side, maxHeight: side, outputFormat: 'webp', quality: 75 };
    const [value, transfer] = await jobs.process({ id, file, toolCalls: [], options, input: null });
    return [{ width: value.width, height: value.height, mimeType: value.mimeType, bytes: value.bytes }, transfer];
  },
  // Headers sit at the start of a file: read the first 512 KB, and the whole file only if that
  // was not enough (a JPEG with very large metadata blocks).
  async inspect({ file }) {
    if (file instanceof Blob && file.size > HEAD_BYTES) {
      try {
        return [plain(inspect(await bytesOf(file.slice(0, HEAD_BYTES))))];
      } catch { /* fall through to the whole file */ }
    }
    return [plain(inspect(await bytesOf(file)))];
  },
  async parse({ text }) {
    return [plain(parseCommand(text))];
  },
  async version() {
    return [version()];
  },
};

// wasm-bindgen may hand back Maps or class instances: send plain data.
function plain(v) {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

self.onmessage = async ({ data: msg }) => {
  if (msg?.type === 'init') {
    gotInit(msg);
    return;
  }
  const { id, type } = msg ?? {};
  try {
    await ready;
    const job = jobs[type];
    if (!job) throw Object.assign(new Error(`unknown job type ${type}`), { kind: 'internal' });
    const [value, transfer = []] = await job(msg);
    self.postMessage({ id, type: 'result', value }, transfer);
  } catch (e) {
    const kind = typeof e?.kind === 'string' ? e.kind : 'internal';
    self.postMessage({
      id,
      type: 'error',
      // Anything that is not an engine error (a trap, an out-of-memory) may leave the instance broken.
      error: { kind, message: String(e?.message ?? e), fatal: kind === 'internal' },
    });
  }
};
