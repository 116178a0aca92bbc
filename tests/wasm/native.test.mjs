// The wasm package against the native engine on the same photos and tool calls.
//
// The native side is `engine/wasm/examples/native_reference.rs`: the same `Job::run` compiled for
// the host (x86-64 kernels) instead of wasm32 + SIMD128. Tolerance, per case:
// - same width, height, format and output name;
// - pixels (both outputs decoded by the same decoder) within a mean absolute difference of
//   0.5 per channel (0–255), with at most 1 % of channel values more than 2 apart — SIMD kernels
//   may round differently, nothing else may differ;
// - lossy outputs (JPEG, WebP) within 2 % of the native size.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { difference, engine, image, imagesDir, needsPipeline, pipelineReady, pixels, repo } from "./helpers.mjs";

const TOLERANCE = { mean: 0.5, farShare: 0.01, sizeRatio: 0.02 };

const small = { tool: "resize", params: { width: 640 } };
/** The cases: every tool family, every input format, alpha, grey, EXIF orientation, ICC. */
export const CASES = [
  { input: "Garden.jpg", toolCalls: [{ tool: "resize", params: { width: 1600, kernel: "lanczos3" } }], options: { outputFormat: "png" } },
  { input: "Storm-exif-orientation-6.jpg", toolCalls: [], options: { outputFormat: "png", maxWidth: 640 } },
  { input: "transparent.png", toolCalls: [small, { tool: "rotate", params: { degrees: 90 } }], options: null },
  { input: "gray-alpha.png", toolCalls: [small, { tool: "flip", params: { direction: "horizontal" } }], options: null },
  { input: "wood-4096.webp", toolCalls: [{ tool: "crop", params: { aspectRatio: "16:9" } }, small], options: { outputFormat: "png" } },
  { input: "Dune.jpg", toolCalls: [small, { tool: "apply_filter", params: { filter: "blur", sigma: 5 } }], options: { outputFormat: "png" } },
  { input: "YellowFlower.jpg", toolCalls: [small, { tool: "adjust", params: { brightness: 20, contrast: 10, saturation: 30, hue: 15 } }], options: { outputFormat: "png" } },
  { input: "Aqua.jpg", toolCalls: [small, { tool: "apply_filter", params: { filter: "sharpen" } }, { tool: "add_border", params: { width: 12, color: "#336699" } }], options: { outputFormat: "jpg", quality: 80 } },
  { input: "LadyBird.jpg", toolCalls: [small, { tool: "apply_filter", params: { filter: "grayscale" } }], options: { outputFormat: "webp", quality: 75 } },
  { input: "FreshFlower.jpg", toolCalls: [small, { tool: "add_text", params: { text: "© Retouch — 東京", fontSize: 32 } }], options: { outputFormat: "png" } },
  { input: "icc-profile.png", toolCalls: [small], options: { outputFormat: "jpg", quality: 90 } },
  { input: "Blinds.jpg", toolCalls: [small, { tool: "apply_filter", params: { filter: "sepia" } }, { tool: "apply_filter", params: { filter: "normalize" } }], options: { outputFormat: "png" } },
  { input: "RainDrops.jpg", toolCalls: [small, { tool: "rotate", params: { degrees: 30, background: "white" } }], options: { outputFormat: "png" } },
];

let dir;
let native;

before(() => {
  if (!pipelineReady) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "retouch-native-"));
  const cases = CASES.map((c, i) => ({ ...c, input: path.join(imagesDir, c.input), output: path.join(dir, `case-${i}`) }));
  const lines = execFileSync(
    "cargo",
    ["run", "--quiet", "--release", "-p", "retouch-wasm", "--example", "native_reference"],
    { cwd: repo, input: JSON.stringify(cases), stdio: ["pipe", "pipe", "inherit"], maxBuffer: 1 << 24 },
  );
  native = lines.toString().trim().split("\n").map((l) => JSON.parse(l));
});

after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

for (const [i, c] of CASES.entries()) {
  const label = `${c.input}: ${c.toolCalls.map((t) => t.tool).join(" → ") || "no tools"} → ${c.options?.outputFormat ?? "same format"}`;
  test(label, needsPipeline, (t) => {
    const ref = native[i];
    let out;
    try {
      out = engine.process(image(c.input), c.toolCalls, c.options, null, { name: c.input });
    } catch (e) {
      // Both sides must fail the same way.
      assert.deepEqual({ kind: e.kind, message: e.message }, ref);
      return;
    }
    assert.equal(ref.kind, undefined, `native failed: ${ref.message}`);
    assert.deepEqual(
      { width: out.width, height: out.height, format: out.format, name: out.name },
      { width: ref.width, height: ref.height, format: ref.format, name: ref.name },
    );
    const nativeBytes = new Uint8Array(fs.readFileSync(path.join(dir, `case-${i}`)));
    if (Buffer.compare(nativeBytes, out.bytes) === 0) {
      t.diagnostic("byte-identical to native");
      return;
    }
    const d = difference(pixels(out.bytes), pixels(nativeBytes));
    t.diagnostic(`mean difference ${d.mean.toFixed(4)}, ${(d.farShare * 100).toFixed(3)} % of values > 2 apart, ${out.size} vs ${ref.size} bytes`);
    assert.ok(d.mean <= TOLERANCE.mean, `mean difference ${d.mean.toFixed(3)} > ${TOLERANCE.mean}`);
    assert.ok(d.farShare <= TOLERANCE.farShare, `${(d.farShare * 100).toFixed(2)} % of values differ by more than 2`);
    if (out.format !== "png") {
      const ratio = Math.abs(out.size - ref.size) / ref.size;
      assert.ok(ratio <= TOLERANCE.sizeRatio, `size ${out.size} vs native ${ref.size}`);
    }
  });
}
