// Shared by the tests of the npm package: where things are, a PNG decoder for pixel comparisons,
// and a probe of whether the engine's pipeline is in this build yet.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const npmDir = path.join(repo, "engine/wasm/pkg/npm");
/**
 * The real photos (see their README): `$RETOUCH_IMAGES`, else `../shared/images` next to the
 * repository — or next to its main checkout when this is a git worktree.
 */
export const imagesDir = (() => {
  const candidates = [process.env.RETOUCH_IMAGES, path.resolve(repo, "../shared/images")];
  try {
    const common = execFileSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], { cwd: repo });
    candidates.push(path.resolve(path.dirname(common.toString().trim()), "../shared/images"));
  } catch {
    // not a git checkout
  }
  const found = candidates.find((dir) => dir && fs.existsSync(path.join(dir, "Garden.jpg")));
  if (!found) throw new Error(`test photos not found in ${candidates.filter(Boolean).join(", ")}; set RETOUCH_IMAGES`);
  return found;
})();

export const image = (name) => new Uint8Array(fs.readFileSync(path.join(imagesDir, name)));

/** The package as Node users get it (ESM entry point of the assembled package folder). */
export const engine = await import(path.join(npmDir, "node/index.mjs"));

/**
 * Whether the engine's parts are in this build. Until they land, the engine throws kind
 * `unsupported` ("… being written"); tests that need them skip, and run for real once they do.
 * `pipelineReady`: decode → encode works; `opsReady`: the pixel operations work too.
 */
function works(toolCalls) {
  try {
    engine.process(image("GreenMeadow.jpg"), toolCalls, { outputFormat: "png" });
    return true;
  } catch (e) {
    return !(e.kind === "unsupported" && /being written/.test(e.message));
  }
}
export const pipelineReady = works([]);
export const opsReady = pipelineReady && works([{ tool: "resize", params: { width: 16 } }]);
export const needsPipeline = pipelineReady ? {} : { skip: "the engine's codecs and pipeline are not merged yet" };
export const needsOps = opsReady ? {} : { skip: "the engine's pixel operations are not merged yet" };

/** Decodes an 8-bit, non-interlaced PNG (grey, grey+alpha, RGB, RGBA) to RGBA pixels. */
export function decodePng(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG");
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  let depth = 0;
  let interlace = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString("latin1", pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8];
      colorType = data[9];
      interlace = data[12];
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    pos += 12 + len;
  }
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType];
  if (depth !== 8 || !channels || interlace) {
    throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${interlace}`);
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = px.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? px.subarray((y - 1) * stride, y * stride) : null;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels] : 0;
      const b = prev ? prev[x] : 0;
      const c = prev && x >= channels ? prev[x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[x] = v & 255;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += channels) {
    const grey = channels <= 2;
    rgba[i * 4] = px[j];
    rgba[i * 4 + 1] = grey ? px[j] : px[j + 1];
    rgba[i * 4 + 2] = grey ? px[j] : px[j + 2];
    rgba[i * 4 + 3] = channels === 2 ? px[j + 1] : channels === 4 ? px[j + 3] : 255;
  }
  return { width, height, rgba };
}

/** Any encoded image as RGBA pixels, decoded by the package itself (via a lossless PNG). */
export function pixels(bytes) {
  const png = engine.process(bytes, [], { outputFormat: "png" }).bytes;
  return decodePng(png);
}

/**
 * How far apart two RGBA images are: the mean absolute difference per channel (0–255) and the
 * share of channel values that differ by more than 2.
 */
export function difference(a, b) {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`sizes differ: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  }
  let sum = 0;
  let far = 0;
  for (let i = 0; i < a.rgba.length; i++) {
    const d = Math.abs(a.rgba[i] - b.rgba[i]);
    sum += d;
    if (d > 2) far++;
  }
  return { mean: sum / a.rgba.length, farShare: far / a.rgba.length };
}
