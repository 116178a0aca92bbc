// The JS API of the package on real photos: what each function returns, progress and cancelling.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";

import { decodePng, engine, image, needsOps, needsPipeline, npmDir } from "./helpers.mjs";

const manifest = JSON.parse(fs.readFileSync(path.join(npmDir, "package.json"), "utf8"));

test("version() is the package's version", () => {
  assert.equal(engine.version(), manifest.version);
});

test("toolSchema() is the engine's tool schema", () => {
  const tools = engine.toolSchema();
  assert.deepEqual(
    tools.map((t) => t.function.name),
    ["resize", "rotate", "flip", "crop", "convert_format", "adjust_quality", "apply_filter", "add_border", "add_text", "adjust", "generate_with_llm"],
  );
  for (const t of tools) {
    assert.equal(t.type, "function");
    assert.equal(t.function.parameters.additionalProperties, false, t.function.name);
    assert.ok(t.function.description.length > 10);
  }
  const width = tools[0].function.parameters.properties.width;
  assert.deepEqual([width.minimum, width.maximum], [1, 16384]);
  assert.notEqual(engine.toolSchema(), tools, "each call returns a fresh object");
});

test("parseCommand() returns tool calls in the contract's wire form", () => {
  const parsed = engine.parseCommand("make it black and white");
  assert.deepEqual(Object.keys(parsed).sort(), ["notes", "toolCalls", "unparsed"]);
  assert.ok(Array.isArray(parsed.toolCalls));
  for (const call of parsed.toolCalls) {
    assert.equal(typeof call.tool, "string");
    assert.equal(typeof call.applyToAll, "boolean");
  }
  assert.deepEqual(engine.parseCommand("   "), { toolCalls: [], unparsed: [], notes: [] });
});

test("parseCommand() runs the intent model with the rules", () => {
  // The rules read only auto-levels here; the model adds a strong brightness step with a note.
  const parsed = engine.parseCommand("Significantly increase the lighting");
  const adjust = parsed.toolCalls.find((c) => c.tool === "adjust");
  assert.equal(adjust?.params.brightness, 20, JSON.stringify(parsed));
  assert.ok(parsed.notes.some((n) => n.startsWith("brightness +20 added")), JSON.stringify(parsed));
  // Well under the 100 µs budget per request (measured over many calls, after the first,
  // which reads the model).
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) engine.parseCommand("Enhance the colors and make them more vivid, a bit brighter");
  const perCall = ((performance.now() - t0) / 200) * 1000;
  console.log(`parseCommand: ${perCall.toFixed(1)} µs per request`);
  assert.ok(perCall < 1000, `${perCall} µs`);
});

test("inspect() reads the header", needsPipeline, () => {
  assert.deepEqual(engine.inspect(image("Garden.jpg")), {
    format: "jpg",
    mimeType: "image/jpeg",
    outputFormat: "jpg",
    width: 2560,
    height: 1600,
    orientation: 1,
    hasAlpha: false,
  });
  const turned = engine.inspect(image("Storm-exif-orientation-6.jpg"));
  assert.deepEqual([turned.width, turned.height, turned.orientation], [1920, 1280, 6]);
  const png = engine.inspect(image("transparent.png"));
  assert.deepEqual([png.format, png.width, png.height, png.hasAlpha], ["png", 2140, 1200, true]);
  const webp = engine.inspect(image("wood-4096.webp").buffer); // an ArrayBuffer works too
  assert.deepEqual([webp.format, webp.width, webp.height], ["webp", 4096, 4096]);
});

test("process() resizes a photo and describes the result", needsOps, () => {
  const out = engine.process(
    image("Garden.jpg"),
    [{ tool: "resize", params: { width: 800 } }, { tool: "apply_filter", params: { filter: "grayscale" } }],
    { outputFormat: "webp", quality: 75 },
    null,
    { name: "Garden.jpg", tags: ["flowers"] },
  );
  assert.ok(out.bytes instanceof Uint8Array);
  assert.equal(out.width, 800);
  assert.equal(out.height, 500);
  assert.equal(out.format, "webp");
  assert.equal(out.mimeType, "image/webp");
  assert.equal(out.size, out.bytes.length);
  assert.equal(out.name, "Garden-800w-grayscale");
  assert.equal(out.fileName, "Garden-800w-grayscale.webp");
  assert.deepEqual(out.tags, ["flowers", "edited"]);
  assert.equal(new TextDecoder().decode(out.bytes.subarray(8, 12)), "WEBP");
  assert.deepEqual(engine.inspect(out.bytes).width, 800);
});

test("process() takes the contract as JSON text and bytes as a Buffer or ArrayBuffer", needsOps, () => {
  const calls = '[{"tool":"rotate","params":"{\\"degrees\\": 90}"}]'; // OpenAI-style string params
  const a = engine.process(image("Dune.jpg"), calls, '{"outputFormat":"png"}');
  assert.deepEqual([a.width, a.height, a.format], [1050, 1680, "png"]);
  const b = engine.process(Buffer.from(image("Dune.jpg")), calls, { outputFormat: "png" });
  assert.deepEqual(b.bytes, a.bytes);
  const c = engine.process(image("Dune.jpg").buffer, calls, { outputFormat: "png" });
  assert.deepEqual(c.bytes, a.bytes);
});

test("process() turns an EXIF-rotated photo upright", needsOps, () => {
  const out = engine.process(image("Storm-exif-orientation-6.jpg"), [], { outputFormat: "png", maxWidth: 480 });
  assert.deepEqual([out.width, out.height], [480, 320]);
  const { rgba } = decodePng(out.bytes);
  assert.equal(rgba.length, 480 * 320 * 4);
});

test("onProgress sees every step, in order", needsOps, () => {
  const seen = [];
  engine.process(
    image("GreenMeadow.jpg"),
    [{ tool: "resize", params: { width: 300 } }, { tool: "flip", params: { direction: "horizontal" } }],
    { outputFormat: "jpg" },
    (p) => {
      seen.push(p);
    },
  );
  assert.ok(seen.length >= 3, `only ${seen.length} reports`);
  for (const [i, p] of seen.entries()) {
    assert.deepEqual(Object.keys(p).sort(), ["fraction", "message", "step", "steps"]);
    assert.ok(p.step < p.steps, JSON.stringify(p));
    assert.ok(p.fraction >= 0 && p.fraction <= 1, JSON.stringify(p));
    assert.equal(typeof p.message, "string");
    if (i > 0) assert.ok(p.fraction >= seen[i - 1].fraction, "fractions never go back");
  }
});

test("onProgress returning false cancels; throwing cancels and rethrows", needsOps, () => {
  let calls = 0;
  assert.throws(
    () =>
      engine.process(image("GreenMeadow.jpg"), [{ tool: "resize", params: { width: 300 } }], null, () => {
        calls++;
        return false;
      }),
    (e) => e instanceof Error && e.kind === "cancelled" && e.name === "RetouchError",
  );
  assert.equal(calls, 1, "no progress after cancelling");
  const mine = new Error("stop here");
  assert.throws(
    () =>
      engine.process(image("GreenMeadow.jpg"), [{ tool: "resize", params: { width: 300 } }], null, () => {
        throw mine;
      }),
    (e) => e === mine,
  );
  // Returning anything else (undefined, true, 0) goes on.
  const out = engine.process(image("GreenMeadow.jpg"), [{ tool: "resize", params: { width: 30 } }], null, () => 0);
  assert.equal(out.width, 30);
});

test("a generate_with_llm step says it needs the backend", needsPipeline, () => {
  assert.throws(
    () => engine.process(image("GreenMeadow.jpg"), [{ tool: "generate_with_llm", params: { prompt: "remove the tree" } }]),
    (e) => e.kind === "needs_generative",
  );
});
