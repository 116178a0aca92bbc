// The side-by-side benchmark: every library on every workload, each in a process of its own,
// single-threaded, inputs read before timing; 1 warm-up then the median of 5 runs (W5: 3); peak
// RSS from `/usr/bin/time -v` around a separate single run. Prints a Markdown table per workload
// and a summary of ratios; writes the raw numbers to bench-images/bench-results.json.
// A benchmark, not a test: its numbers are for reading, nothing asserts them.
//
// Usage: node tests/bench/run.mjs [--libs a,b] [--workloads W1,W2] [--runs N] [--images DIR]

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

import { LIBRARIES, WORKLOADS } from "./libs.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const { values: opts } = parseArgs({
  options: {
    libs: { type: "string", default: Object.keys(LIBRARIES).join(",") },
    workloads: { type: "string", default: Object.keys(WORKLOADS).join(",") },
    runs: { type: "string", default: "5" },
    "w5-runs": { type: "string", default: "3" },
    "bench-images": { type: "string", default: path.join(repo, "bench-images") },
    images: { type: "string" },
    // Print the tables from a previous run's bench-results.json instead of measuring.
    report: { type: "string" },
  },
});
const libs = opts.libs.split(",");
const workloads = opts.workloads.split(",");
const US = "retouch";

// ---- inputs ---------------------------------------------------------------------------------------
let results = {};
if (opts.report) ({ results } = JSON.parse(fs.readFileSync(opts.report, "utf8")));
const large = path.join(opts["bench-images"], "Elephants_5640x3172.jpg");
if (!opts.report && !fs.existsSync(large)) throw new Error(`${large} missing: run ../shared/images/get-large.sh ${opts["bench-images"]}`);
const imagesDir = opts.images ?? path.resolve(repo, "../shared/images");
// The mid-size photos: the shared JPEGs from 1280×1024 to 2560×1920, cycled to 20.
const midNames = ["Aqua", "Blinds", "Dune", "FreshFlower", "Garden", "GreenMeadow", "LadyBird", "RainDrops", "Storm", "TwoWings", "Wood", "YellowFlower"];
const mid = Array.from({ length: 20 }, (_, i) => path.join(imagesDir, `${midNames[i % midNames.length]}.jpg`));
const inputsFile = path.join(os.tmpdir(), `retouch-bench-inputs-${process.pid}.json`);
fs.writeFileSync(inputsFile, JSON.stringify({ large: [large], mid }));

const env = { ...process.env, VIPS_CONCURRENCY: "1", UV_THREADPOOL_SIZE: "1", RAYON_NUM_THREADS: "1" };

function child(lib, w, runs, once) {
  const args = [path.join(here, "one.mjs"), lib, w, String(runs), inputsFile, ...(once ? ["--once"] : [])];
  if (!once) {
    const r = spawnSync(process.execPath, args, { env, encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status !== 0) {
      const lines = r.stderr.split("\n").map((l) => l.trim()).filter(Boolean);
      throw new Error(lines.find((l) => l.startsWith("one: "))?.slice(5) ?? lines.at(-1) ?? `exit ${r.status}`);
    }
    return JSON.parse(r.stdout);
  }
  // Peak RSS of a separate single run. The native CLI is measured by itself, not through Node.
  let cmd = [process.execPath, ...args];
  if (lib === "native") {
    const native = LIBRARIES.native;
    native.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), "retouch-bench-"));
    const files = w === "W5" ? mid : [large];
    cmd = [path.join(process.env.CARGO_TARGET_DIR ?? path.join(repo, "target"), "release", "retouch"), ...native.args(w, files)[0]];
  }
  const r = spawnSync("/usr/bin/time", ["-v", ...cmd], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd.join(" ")} failed:\n${r.stderr}`);
  return Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)[1]) / 1024;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---- measure ---------------------------------------------------------------------------------------
for (const w of opts.report ? [] : workloads) {
  results[w] = {};
  for (const lib of libs) {
    const L = LIBRARIES[lib];
    if (L.skip?.[w]) {
      results[w][lib] = { skipped: L.skip[w] };
      continue;
    }
    const runs = Number(w === "W5" ? opts["w5-runs"] : opts.runs);
    process.stderr.write(`bench: ${w} ${L.label} … `);
    try {
      const { times, outBytes } = child(lib, w, runs, false);
      const peakMB = child(lib, w, 1, true);
      results[w][lib] = { ms: median(times), times, peakMB, outBytes };
      process.stderr.write(`${median(times).toFixed(0)} ms, ${peakMB.toFixed(0)} MB\n`);
    } catch (e) {
      results[w][lib] = { error: String(e.message).split("\n").find((l) => l.trim()) ?? "failed" };
      process.stderr.write(`failed: ${results[w][lib].error}\n`);
    }
  }
}
fs.rmSync(inputsFile, { force: true });
if (!opts.report) fs.writeFileSync(path.join(opts["bench-images"], "bench-results.json"), JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, results }, null, 2));

// ---- report ----------------------------------------------------------------------------------------
const fmt = (n, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const out = [];
out.push(`Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}); one thread per library; median of ${opts.runs} runs (W5: ${opts["w5-runs"]}) after 1 warm-up; peak RSS of a separate single run.`);
out.push("Ratio = peer time / our time (above 1: we are faster).", "");
for (const w of workloads) {
  out.push(`### ${w}: ${WORKLOADS[w]}`, "", "| library | median ms | peak MB | output bytes | ratio peer/us | notes |", "|---|---:|---:|---:|---:|---|");
  const us = results[w][US];
  for (const lib of libs) {
    const r = results[w][lib];
    const L = LIBRARIES[lib];
    const name = lib === US ? `**${L.label}**` : L.label;
    if (r.skipped || r.error) {
      out.push(`| ${name} | – | – | – | – | ${r.skipped ?? `failed: ${r.error}`} |`);
      continue;
    }
    const ratio = us?.ms && lib !== US ? fmt(r.ms / us.ms, 2) : lib === US ? "1.00" : "–";
    const notes = [L.notes?.[w], L.files ? "includes process start and file I/O" : null].filter(Boolean).join("; ");
    out.push(`| ${name} | ${fmt(r.ms)} | ${fmt(r.peakMB)} | ${fmt(r.outBytes)} | ${ratio} | ${notes} |`);
  }
  out.push("");
}
// Summary against the targets in PERFORMANCE.md.
const wasmPeers = ["wasm-vips", "photon", "jsquash", "jimp"];
const summary = [];
const sharpRatios = [];
const nativeRatios = [];
for (const w of workloads) {
  const us = results[w][US];
  if (!us?.ms) continue;
  // Only peers whose output is comparable (photon's WebP is lossless).
  const peers = wasmPeers.filter((p) => results[w][p]?.ms && !LIBRARIES[p].incomparable?.[w]).map((p) => [p, results[w][p].ms]);
  const [fastest, fastestMs] = peers.sort((a, b) => a[1] - b[1])[0] ?? [];
  const sharp = results[w].sharp?.ms;
  if (sharp) sharpRatios.push(us.ms / sharp);
  if (sharp && results[w].native?.ms) nativeRatios.push(results[w].native.ms / sharp);
  summary.push(`| ${w} | ${fastest ? `${fmt(us.ms / fastestMs, 2)} (${LIBRARIES[fastest].label})` : "–"} | ${sharp ? fmt(us.ms / sharp, 2) : "–"} | ${results[w].native?.ms && sharp ? fmt(results[w].native.ms / sharp, 2) : "–"} |`);
}
const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
out.push("### Summary: our time as a multiple of the peers' (target: ≤ 0.8 × fastest wasm peer; geomean ≤ 1.25 × sharp; CLI ≤ 1.0 × sharp)", "");
out.push("| workload | us / fastest wasm peer | us / sharp | native CLI / sharp |", "|---|---:|---:|---:|", ...summary);
const g = (xs) => (xs.length ? fmt(geomean(xs), 2) : "–");
out.push(`| geomean | | ${g(sharpRatios)} | ${g(nativeRatios)} |`, "");
out.push("Single-threaded: sharp (`concurrency(1)`, `UV_THREADPOOL_SIZE=1`), wasm-vips (`concurrency(1)`), the CLI (`RAYON_NUM_THREADS=1`); @retouch/engine, photon, jSquash and jimp are single-threaded by construction.");
console.log(out.join("\n"));
