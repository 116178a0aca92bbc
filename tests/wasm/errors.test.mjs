// Malformed input from JS gets a clean `RetouchError` with a stable kind and the path of the bad
// value — never a wasm trap — and the module keeps working afterwards.

import assert from "node:assert/strict";
import { test } from "node:test";

import { engine, image, needsPipeline, opsReady } from "./helpers.mjs";

const photo = image("GreenMeadow.jpg");
const resize = [{ tool: "resize", params: { width: 64 } }];

/** Asserts that `fn` throws a RetouchError of `kind` (and `path`, message when given). */
function throwsKind(fn, kind, path, message) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, `not an Error: ${e}`);
    assert.equal(e.name, "RetouchError", String(e));
    assert.equal(e.kind, kind, e.message);
    if (path !== undefined) assert.equal(e.path, path, e.message);
    if (message instanceof RegExp) assert.match(e.message, message);
    else if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

test("a bad parameter names its exact path, as in the engine's contract", () => {
  const calls = [
    { tool: "resize", params: { width: 800 } },
    { tool: "flip", params: { direction: "vertical" } },
    { tool: "resize", params: { width: -5 } },
  ];
  const message = "toolCalls[2].params.width: expected an integer from 1 to 16384, got -5";
  throwsKind(() => engine.process(photo, calls), "invalid_params", "toolCalls[2].params.width", message);
  // The same contract as JSON text.
  throwsKind(() => engine.process(photo, JSON.stringify(calls)), "invalid_params", "toolCalls[2].params.width", message);
});

test("toolCalls of the wrong type", () => {
  for (const [value, got] of [
    [{ tool: "resize" }, "an object"],
    [42, "a number"],
    [null, "null"],
    [undefined, "null"],
    [true, "a boolean"],
  ]) {
    throwsKind(() => engine.process(photo, value), "invalid_params", "toolCalls", `toolCalls: expected an array of tool calls, got ${got}`);
  }
  throwsKind(() => engine.process(photo, "[{"), "invalid_params", "toolCalls", /^toolCalls: expected a JSON array of tool calls, got invalid JSON/);
  throwsKind(() => engine.process(photo, [{ params: {} }]), "invalid_params", "toolCalls[0].tool", "toolCalls[0].tool: missing; expected a tool name");
  throwsKind(() => engine.process(photo, [{ tool: "sparkle" }]), "invalid_params", "toolCalls[0].tool", /unknown tool "sparkle"/);
  throwsKind(() => engine.process(photo, [{ tool: "rotate" }]), "invalid_params", "toolCalls[0].params", "toolCalls[0].params: missing field `degrees`");
  throwsKind(() => engine.process(photo, [{ tool: "resize", params: { width: "wide" } }]), "invalid_params", "toolCalls[0].params.width");
  throwsKind(() => engine.process(photo, Array(33).fill(resize[0])), "invalid_params", "toolCalls", "toolCalls: expected at most 32 tool calls, got 33");
});

test("values JSON cannot hold are refused with their path", () => {
  const cases = [
    [NaN, "expected a finite number, got NaN"],
    [Infinity, "expected a finite number, got Infinity"],
    [10n, "expected JSON data, got a BigInt"],
    [() => 1, "expected JSON data, got a function"],
    [Symbol("w"), "expected JSON data, got a symbol"],
    [new Date(0), "expected JSON data, got a Date"],
    [new Map(), "expected JSON data, got a Map"],
  ];
  for (const [value, message] of cases) {
    throwsKind(
      () => engine.process(photo, [{ tool: "resize", params: { width: value } }]),
      "invalid_params",
      "toolCalls[0].params.width",
      `toolCalls[0].params.width: ${message}`,
    );
  }
});

test("huge and fractional numbers are range errors, not wraparounds", () => {
  for (const [width, shown] of [[1e308, "1000"], [2 ** 53 + 2, "9007199254740994"], [16385, "16385"], [12.5, "12.5"], [-Number.MAX_VALUE, "-1"]]) {
    throwsKind(
      () => engine.process(photo, [{ tool: "resize", params: { width } }]),
      "invalid_params",
      "toolCalls[0].params.width",
      new RegExp(`^toolCalls\\[0\\]\\.params\\.width: expected an integer from 1 to 16384, got ${shown}`),
    );
  }
});

test("cyclic and deeply nested objects are errors, not stack overflows", () => {
  const cyclic = { tool: "resize", params: {} };
  cyclic.params.self = cyclic;
  throwsKind(() => engine.process(photo, [cyclic]), "invalid_params", undefined, /nested too deeply/);
  let deep = {};
  for (let i = 0; i < 10_000; i++) deep = { deep };
  throwsKind(() => engine.process(photo, [{ tool: "resize", params: deep }]), "invalid_params", undefined, /nested too deeply/);
  throwsKind(() => engine.process(photo, new Array(200_000).fill(0)), "invalid_params", undefined, /too large/);
});

test("options are checked like the engine's job options", () => {
  throwsKind(() => engine.process(photo, resize, { quality: 0 }), "invalid_params", "options.quality", /expected an integer from 1 to 100, got 0/);
  throwsKind(() => engine.process(photo, resize, { outputFormat: "tiff" }), "invalid_params", "options.outputFormat");
  throwsKind(() => engine.process(photo, resize, { colour: "red" }), "invalid_params", "options.colour");
  throwsKind(() => engine.process(photo, resize, '{"quality": 101}'), "invalid_params", "options.quality");
  throwsKind(() => engine.process(photo, resize, "{"), "invalid_params", "options", /invalid JSON/);
  throwsKind(() => engine.process(photo, resize, [1]), "invalid_params", "options", "options: expected an object, got an array");
  throwsKind(() => engine.process(photo, resize, 7), "invalid_params", "options", "options: expected an object, got a number");
});

test("bytes that are not bytes", () => {
  for (const [value, got] of [
    ["GreenMeadow.jpg", "a string"],
    [42, "the number 42"],
    [null, "null"],
    [undefined, "undefined"],
    [[255, 216, 255], "an array"],
    [{ length: 3 }, "an object"],
  ]) {
    throwsKind(
      () => engine.process(value, resize),
      "invalid_params",
      "bytes",
      `bytes: expected the image file as a Uint8Array, ArrayBuffer or Buffer, got ${got}`,
    );
    throwsKind(() => engine.inspect(value), "invalid_params", "bytes");
  }
});

test("the callback and the image metadata are checked", () => {
  throwsKind(() => engine.process(photo, resize, null, "progress"), "invalid_params", "onProgress", "onProgress: expected a function, got a string");
  throwsKind(() => engine.process(photo, resize, null, null, { name: 5 }), "invalid_params", "input.name");
  throwsKind(() => engine.process(photo, resize, null, null, { tags: "a" }), "invalid_params", "input.tags");
  throwsKind(() => engine.process(photo, resize, null, null, { tags: ["ok", 3] }), "invalid_params", "input.tags[1]");
  throwsKind(() => engine.process(photo, resize, null, null, { colour: 1 }), "invalid_params", "input.colour");
  throwsKind(() => engine.process(photo, resize, null, null, "name"), "invalid_params", "input");
  throwsKind(() => engine.parseCommand(5), "invalid_params", "text", "text: expected a string, got the number 5");
});

test("bytes that are not an image are a decode error", needsPipeline, () => {
  const text = new TextEncoder().encode("this is not an image, just some text");
  throwsKind(() => engine.process(text, []), "decode");
  throwsKind(() => engine.inspect(text), "decode");
  throwsKind(() => engine.process(new Uint8Array(0), []), "decode");
  // A truncated JPEG decodes leniently (the missing part grey, as browsers show it) or is a
  // decode error; either way a clean answer.
  for (const end of [2000, 20_000, photo.length - 100]) {
    try {
      engine.process(photo.subarray(0, end), [], { outputFormat: "png" });
    } catch (e) {
      assert.equal(e.kind, "decode", e.message);
    }
  }
  throwsKind(() => engine.inspect(photo.subarray(0, 4)), "decode");
  // A PNG signature followed by garbage.
  const png = new Uint8Array(64).fill(7);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  throwsKind(() => engine.process(png, []), "decode");
});

test("after all of that the module still works", () => {
  assert.equal(engine.toolSchema().length, 11);
  assert.equal(typeof engine.version(), "string");
  if (opsReady) {
    const out = engine.process(photo, resize, { outputFormat: "png" });
    assert.equal(out.width, 64);
  }
});
