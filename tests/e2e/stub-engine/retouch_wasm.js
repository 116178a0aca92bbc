// A stand-in for the engine's wasm web build with the same API, built on OffscreenCanvas.
// ONLY for developing the page before the real build exists (RETOUCH_ENGINE_DIR=tests/e2e/stub-engine
// scripts/build-web.sh). The e2e tests run against the real engine.
export default async function init() {}
export function version() { return 'stub'; }

function fail(kind, message) { return Object.assign(new Error(message), { kind }); }

async function decode(bytes) {
  try { return await createImageBitmap(new Blob([bytes])); } catch { throw fail('decode', 'cannot decode image: unknown or damaged format'); }
}
function sniff(b) {
  if (b[0] === 0xff && b[1] === 0xd8) return 'jpg';
  if (b[0] === 0x89 && b[1] === 0x50) return 'png';
  if (b[8] === 0x57 && b[9] === 0x45) return 'webp';
  return null;
}
export function inspect(bytes) {
  const format = sniff(bytes);
  if (!format) throw fail('decode', 'cannot decode image: unknown format');
  return { format, width: 0, height: 0, orientation: 1, hasAlpha: false };
}
export function parseCommand(text) {
  const calls = [];
  const t = text.toLowerCase();
  if (/black and white|grayscale|greyscale/.test(t)) calls.push({ tool: 'apply_filter', params: { filter: 'grayscale' }, applyToAll: true });
  const w = /(\d+)\s*px wide/.exec(t); if (w) calls.push({ tool: 'resize', params: { width: Number(w[1]) }, applyToAll: true });
  const f = /(webp|png|jpe?g)(?: (?:at )?quality (\d+))?/.exec(t);
  if (f) calls.push({ tool: 'convert_format', params: { format: f[1].replace('jpeg', 'jpg'), ...(f[2] ? { quality: Number(f[2]) } : {}) }, applyToAll: true });
  if (/remove/.test(t)) calls.push({ tool: 'generate_with_llm', params: { prompt: text }, applyToAll: true });
  return { toolCalls: calls, unparsed: [], notes: [] };
}
// Synchronous like the real engine: busy-waits are not possible with canvas, so this one is async.
export async function process(bytes, toolCalls, options = {}, onProgress) {
  const calls = typeof toolCalls === 'string' ? JSON.parse(toolCalls) : toolCalls;
  let bmp = await decode(bytes);
  let w = bmp.width, h = bmp.height, gray = false, format = sniff(bytes) ?? 'png', quality = options.quality ?? 90;
  for (const [i, c] of calls.entries()) {
    if (onProgress?.({ step: i, steps: calls.length, fraction: i / calls.length, message: c.tool }) === false) throw fail('cancelled', 'cancelled');
    await new Promise((r) => setTimeout(r, 150));
    const p = c.params ?? {};
    if (c.tool === 'generate_with_llm') throw fail('needs_generative', 'needs the generative provider');
    if (c.tool === 'resize') { if (p.width) { h = Math.round(h * p.width / w); w = p.width; } else if (p.scale) { w = Math.round(w * p.scale); h = Math.round(h * p.scale); } }
    if (c.tool === 'apply_filter' && p.filter === 'grayscale') gray = true;
    if (c.tool === 'convert_format') { format = p.format; if (p.quality) quality = p.quality; }
  }
  if (options.outputFormat) format = options.outputFormat;
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d');
  if (gray) ctx.filter = 'grayscale(1)';
  ctx.drawImage(bmp, 0, 0, w, h);
  const type = format === 'jpg' ? 'image/jpeg' : `image/${format}`;
  const blob = await canvas.convertToBlob({ type, quality: quality / 100 });
  const out = new Uint8Array(await blob.arrayBuffer());
  onProgress?.({ step: calls.length, steps: calls.length, fraction: 1, message: 'done' });
  return { bytes: out, width: w, height: h, format, size: out.length, mimeType: type, tags: ['edited'] };
}
