/**
 * An encoded image file: a `Uint8Array` (a Node `Buffer` is one), any other typed array or
 * `DataView` (its bytes), or an `ArrayBuffer`. The bytes are copied; the caller keeps them.
 */
export type ImageBytes = Uint8Array | ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** An output format: the file extension, which is also the wire name. */
export type OutputFormat = "jpg" | "png" | "webp";

/** The stable cause of a `RetouchError` (the engine's `ErrorKind`). */
export type ErrorKind =
  | "decode"
  | "limits"
  | "invalid_params"
  | "unsupported"
  | "encode"
  | "cancelled"
  | "needs_generative"
  | "target_unreachable";

/**
 * What every function of this package throws: a real `Error` (`name` is `"RetouchError"`) with a
 * stable `kind` and, when one field is at fault, its `path` (e.g. `toolCalls[2].params.width`).
 */
export interface RetouchError extends Error {
  name: "RetouchError";
  kind: ErrorKind;
  path?: string;
}

// `ToolName`, `ToolCall` and each tool's `…Params` are generated from `toolSchema()` by
// scripts/wasm/tool-types.mjs and appended to this file by the build.

/** Options for the whole job (all optional). */
export interface JobOptions {
  /** Default: a `convert_format` step's format, else the input's (GIF and BMP become PNG). */
  outputFormat?: OutputFormat | "jpeg";
  /** 1–100 for JPEG and WebP. Default: an `adjust_quality`/`convert_format` step's, else 90. */
  quality?: number;
  /** Scale the output down (never up) to fit this width, after every tool call. */
  maxWidth?: number;
  /** Scale the output down (never up) to fit this height, after every tool call. */
  maxHeight?: number;
  /** File-size budget in bytes (≥ 1024): quality is searched down to `minQuality`, then the size
   * is stepped down. A PNG that cannot fit throws kind `target_unreachable`. */
  maxBytes?: number;
  /** Lowest quality the `maxBytes` search may use before it scales down. Default 40. */
  minQuality?: number;
  /** Keep the input's bytes when re-encoding would make a larger file of the same format and
   * size. Default: on when no tool call changes pixels. */
  neverLarger?: boolean;
  /** `strip` (default: pixels only, plus the colour profile where needed), `keep` (EXIF/XMP/IPTC
   * and ICC; Orientation reset to 1; GPS removed unless `keepGps`), `copyright` (creator and
   * copyright only). */
  metadata?: "strip" | "keep" | "copyright";
  /** With `metadata: "keep"`, keep the GPS position too. Default false. */
  keepGps?: boolean;
  /** How hard JPEG and WebP encoders work: `fast` (default), or `max` for files 6–8 % smaller at
   * equal visual quality in 3–5× the encode time. */
  effort?: "fast" | "max";
  /** How damaged an input may be and still be edited, as sharp's `failOn`: `warning` (default:
   * any damage fails the image with kind `decode`), `error`, `truncated`, or `none` (edit
   * whatever the decoder reads; the result's `warnings` say what was wrong). */
  failOn?: "none" | "truncated" | "error" | "warning";
  /** JPEG: progressive scans (shows coarse to fine while loading; about the same size, slower to
   * encode) instead of one baseline scan. Default false. */
  progressive?: boolean;
  /** JPEG colour resolution: `"420"` half (smaller), `"444"` full (sharper coloured edges).
   * Default `"420"` below quality 97, `"444"` from 97. */
  chromaSubsampling?: "420" | "444";
}

/** A progress report, given before each step (decode and encode count as steps). */
export interface Progress {
  /** Zero-based index of the current step. */
  step: number;
  steps: number;
  /** Overall fraction done, 0 to 1. */
  fraction: number;
  /** What is happening, for people: "Resizing to 1200 × 800". */
  message: string;
}

/** What a caller may tell about an image besides its bytes. */
export interface ImageMeta {
  /** The file name, used to name the output. Default `"image"`. */
  name?: string;
  /** The id that `applyToAll: false` tool calls refer to. */
  id?: string;
  /** The output gets these plus `"edited"`. */
  tags?: string[];
}

/** The result of `process`. */
export interface ProcessResult {
  /** The encoded file. */
  bytes: Uint8Array;
  width: number;
  height: number;
  format: OutputFormat;
  /** `bytes.length`. */
  size: number;
  /** The output name without extension, e.g. `"Garden-1600w-grayscale"`. */
  name: string;
  /** `name` plus the format's extension. */
  fileName: string;
  /** e.g. `"image/webp"`. */
  mimeType: string;
  /** The input's tags plus `"edited"`. */
  tags: string[];
  /** The JPEG/WebP quality used (after any `maxBytes` search); absent for PNG or a kept input. */
  quality?: number;
  /** The scale applied to meet `maxBytes`: 1 when the size was kept. */
  scale: number;
  /** Whether the input's own bytes were kept (`neverLarger`): re-encoding would have grown them. */
  keptInput: boolean;
  /** What to know about this result, e.g. that the input was damaged and accepted (`failOn`). */
  warnings: string[];
}

/** What `inspect` reads from the header. */
export interface ImageInfo {
  format: "jpg" | "png" | "webp" | "gif" | "bmp" | "heic";
  mimeType: string;
  /** What an edit comes out as when nothing asks for a format: the same, or `"jpg"` for a HEIC
   * photo and `"png"` for GIF and BMP (which the engine reads but does not write). */
  outputFormat: "jpg" | "png" | "webp";
  /** Width as displayed (after EXIF orientation). */
  width: number;
  /** Height as displayed (after EXIF orientation). */
  height: number;
  /** EXIF orientation 1–8 (1 when absent). */
  orientation: number;
  hasAlpha: boolean;
}

/** What the command parser made of a command. */
export interface ParsedCommand {
  toolCalls: ToolCall[];
  /** Fragments that the parser could not place. */
  unparsed: string[];
  /** Remarks for people, e.g. how an intensity word was read. */
  notes: string[];
}

/** One tool in OpenAI function-calling form. */
export interface ToolSchemaEntry {
  type: "function";
  function: { name: ToolName; description: string; parameters: { [key: string]: unknown } };
}

/** Every tool, in OpenAI function-calling form. */
export type ToolSchema = ToolSchemaEntry[];
