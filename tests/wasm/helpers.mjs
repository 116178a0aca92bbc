// Shared by the tests of the npm package: where things are, a PNG decoder for pixel comparisons,
// and a probe of whether the engine's pipeline is in this build yet.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { decodePng } from "../support/png.mjs";

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

/** Decodes an 8-bit PNG to RGBA pixels: the tests' one decoder, in tests/support/png.mjs. */
export { decodePng };

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
