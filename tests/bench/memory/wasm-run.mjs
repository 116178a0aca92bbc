// One memory-benchmark workload in the wasm build, in a process of its own: loads the Node build
// of @retouch/engine (engine/wasm/pkg/nodejs), reads the input, runs `process` RUNS times and prints
// JSON {"times": [ms…], "cpu": [ms…], "wasmBytes": N, "outBytes": N, "width": N, "height": N}:
// wall and CPU (user + system, this process) milliseconds of each `process` call.
//
// wasmBytes is the instance's `memory.buffer.byteLength` after the runs: wasm memory only grows,
// so that is the peak the runs needed. The glue does not export its memory; the instance is
// caught as the glue creates it (works with any build, before or after a change).
// Usage: node wasm-run.mjs PKG_DIR INPUT CALLS_JSON OPTIONS_JSON [RUNS]

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { performance } from "node:perf_hooks";

const [pkgDir, input, callsJson, optionsJson, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 1);

let instance = null;
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  instance = new Instance(module, imports);
  return instance;
};
const engine = createRequire(import.meta.url)(path.resolve(pkgDir, "retouch_engine.js"));
WebAssembly.Instance = Instance;
const memory = () => instance?.exports.memory?.buffer.byteLength ?? NaN;

const bytes = new Uint8Array(fs.readFileSync(input));
const calls = JSON.parse(callsJson);
const options = JSON.parse(optionsJson);
const times = [];
const cpu = [];
let out = null;
try {
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    out = engine.process(bytes, calls, options);
    const used = process.cpuUsage(cpuStart);
    times.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
} catch (e) {
  console.log(JSON.stringify({ error: `${e.kind ?? e.name}: ${e.message}`, wasmBytes: memory() }));
  process.exit(0);
}
console.log(
  JSON.stringify({ times, cpu, wasmBytes: memory(), outBytes: out.bytes.length, width: out.width, height: out.height }),
);
