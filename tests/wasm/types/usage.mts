// Compiled (never run) by pack.test.mjs against the installed tarball: the package's types must
// describe the API a user writes, and refuse obvious mistakes.
import init, {
  inspect,
  isHeif,
  loadHeif,
  parseCommand,
  process,
  toolSchema,
  version,
  type ErrorKind,
  type ImageInfo,
  type JobOptions,
  type ParsedCommand,
  type ProcessResult,
  type Progress,
  type ResizeParams,
  type RetouchError,
  type ToolCall,
} from "@retouch/engine";

await init();

declare const bytes: Uint8Array;
const calls: ToolCall[] = [
  { tool: "resize", params: { width: 1600, kernel: "lanczos3" } },
  { tool: "rotate", params: '{"degrees": 90}', applyToAll: false, imageId: "img_2" },
];
const options: JobOptions = { outputFormat: "webp", quality: 80, maxWidth: 4000 };
const jpegOptions: JobOptions = { outputFormat: "jpg", effort: "max", progressive: true, chromaSubsampling: "444" };
const onProgress = (p: Progress): boolean => p.fraction < 1 && p.step < p.steps && p.message !== "";

const result: ProcessResult = process(bytes, calls, options, onProgress, { name: "photo.jpg", id: "img_2", tags: ["trip"] });
const encoded: Uint8Array = result.bytes;
const dims: [number, number, number] = [result.width, result.height, result.size];
const format: "jpg" | "png" | "webp" = result.format;
const naming: string[] = [result.name, result.fileName, result.mimeType, ...result.tags];
process(bytes.buffer, JSON.stringify(calls));
process(bytes, calls, null, null, null);

const info: ImageInfo = inspect(bytes);
// HEIC/HEIF: the decoder is a separate module, loaded first (in Node it loads by itself).
if (isHeif(bytes)) await loadHeif();
const defaultOutput: "jpg" | "png" | "webp" = info.outputFormat;
const facts: [string, number, number, number, boolean] = [info.format, info.width, info.height, info.orientation, info.hasAlpha];
const parsed: ParsedCommand = parseCommand("make it black and white");
const more: ToolCall[] = parsed.toolCalls;
const names: string[] = toolSchema().map((t) => t.function.name);
const v: string = version();

try {
  process(bytes, calls);
} catch (e) {
  const err = e as RetouchError;
  const kind: ErrorKind = err.kind;
  const where: string | undefined = err.path;
  console.log(kind, where, err.message);
}

// @ts-expect-error: not a tool
const wrongTool: ToolCall = { tool: "sparkle" };
const half: ResizeParams = { scale: 0.5, fit: "inside" };
calls.push({ tool: "resize", params: half }, { tool: "apply_filter", params: { filter: "blur", sigma: 3 } });
// @ts-expect-error: a width is a number
calls.push({ tool: "resize", params: { width: "wide" } });
// @ts-expect-error: flip needs a direction
calls.push({ tool: "flip", params: {} });
// @ts-expect-error: not a kernel
calls.push({ tool: "resize", params: { width: 10, kernel: "cubic" } });
// @ts-expect-error: the tool calls are required
process(bytes);
// @ts-expect-error: not an output format
const wrongFormat: JobOptions = { outputFormat: "tiff" };
// @ts-expect-error: chroma subsampling is "420" or "444"
const wrongChroma: JobOptions = { chromaSubsampling: "422" };
// @ts-expect-error: bytes, not a path
inspect("photo.jpg");
// @ts-expect-error: bytes, not a file name
isHeif("IMG_0001.HEIC");

export { encoded, dims, format, naming, facts, defaultOutput, more, names, v, wrongTool, wrongFormat, wrongChroma, jpegOptions };
