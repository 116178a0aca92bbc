// One library on one workload, in a process of its own: inputs read first, then 1 warm-up and
// `runs` timed runs (or a single run with --once, for peak-memory measurement). Prints JSON:
// {"times": [ms…], "outBytes": N}. Usage: node one.mjs LIB WORKLOAD RUNS INPUTS.json [--once]

import fs from "node:fs";
import { performance } from "node:perf_hooks";

import { LIBRARIES } from "./libs.mjs";

const [libName, workload, runsArg, inputsFile] = process.argv.slice(2);
const once = process.argv.includes("--once");
const lib = LIBRARIES[libName];
const files = JSON.parse(fs.readFileSync(inputsFile, "utf8"))[workload === "W5" ? "mid" : "large"];
const input = files.map((f) => new Uint8Array(fs.readFileSync(f)));

const times = [];
let outBytes = 0;
try {
  await lib.setup();
  for (let i = 0; i < (once ? 1 : Number(runsArg) + 1); i++) {
    const start = performance.now();
    const out = await lib.run(workload, input, files);
    const ms = performance.now() - start;
    outBytes = out.reduce((n, b) => n + b.length, 0);
    if (once || i > 0) times.push(ms);
  }
} catch (e) {
  console.error(`one: ${e.kind ?? e.name}: ${e.message}`);
  process.exit(1);
}
console.log(JSON.stringify({ times, outBytes }));
