// Runs the memory-benchmark workloads (see run.sh) and prints the Markdown table.
// Native: the `retouch` CLI under /usr/bin/time -v, one image, one thread (peak RSS, wall time of
// the whole process). Wasm: wasm-run.mjs in a fresh Node process (memory.buffer.byteLength after
// the run, time of `process` alone).

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name) => process.argv[process.argv.indexOf(`--${name}`) + 1];
const [cli, pkg, images, runs, png] = ["cli", "pkg", "images", "runs", "png"].map(arg);

const MB = 1e6;
// The decoded RGBA frame of the 17.9 MP photo: 5640 × 3172 × 4 bytes; the target is 1.5× that.
const PHOTO_TARGET = 1.5 * 5640 * 3172 * 4;
const WASM_100MP_TARGET = 600 * MB;
const toJpeg = (width) => ({
  calls: [{ tool: "resize", params: { width } }],
  options: { outputFormat: "jpg", quality: 80 },
});
const WORKLOADS = [
  { name: "Elephants 17.9 MP progressive → 1600 w, JPEG q80", file: "Elephants_5640x3172.jpg", ...toJpeg(1600), target: PHOTO_TARGET, targetOf: "both" },
  { name: "Elephants 17.9 MP baseline → 1600 w, JPEG q80", file: "Elephants-baseline.jpg", ...toJpeg(1600), target: PHOTO_TARGET, targetOf: "both" },
  { name: "100 MP baseline JPEG → 2000 w, JPEG q80", file: "huge-100mp.jpg", ...toJpeg(2000), target: WASM_100MP_TARGET, targetOf: "wasm" },
  ...(png === "1"
    ? [{ name: "100 MP PNG → 2000 w, JPEG q80", file: "huge-100mp.png", ...toJpeg(2000), target: WASM_100MP_TARGET, targetOf: "wasm" }]
    : []),
];

function wasmRun(w, input) {
  const r = spawn(process.execPath, [path.join(here, "wasm-run.mjs"), pkg, input,
    JSON.stringify(w.calls), JSON.stringify(w.options), runs]);
  let out;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    return { error: r.stderr.trim().split("\n").at(-1) ?? `exit ${r.status}` };
  }
  if (out.error) return { error: out.error, bytes: out.wasmBytes };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { bytes: out.wasmBytes, ms: median(out.times), cpu: median(out.cpu) };
}

function spawn(cmd, args) {
  try {
    const stdout = execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 26 });
    return { status: 0, stdout: stdout.toString(), stderr: "" };
  } catch (e) {
    return { status: e.status, stdout: e.stdout?.toString() ?? "", stderr: e.stderr?.toString() ?? "" };
  }
}

// /usr/bin/time -v prints its report on stderr even on success: run it through a shell that
// swaps the streams.
function spawnTime(args) {
  return spawn("bash", ["-c", '"$@" 2>&1 >/dev/null', "time", "/usr/bin/time", ...args]);
}

const fmtMB = (r) => (r.error ? `— (${r.error})` : `${(r.bytes / MB).toFixed(1)} MB`);
const fmtMs = (r) => (r.error ? "—" : `${Math.round(r.cpu)} ms (${Math.round(r.ms)})`);

const rows = [];
for (const w of WORKLOADS) {
  const input = path.join(images, w.file);
  const n = nativeRun(w, input);
  const m = wasmRun(w, input);
  const judged = w.targetOf === "wasm" ? [m] : [n, m];
  const worst = Math.max(...judged.map((r) => (r.error ? Infinity : r.bytes)));
  rows.push([w.name, fmtMB(n), fmtMs(n), fmtMB(m), fmtMs(m),
    `≤ ${(w.target / MB).toFixed(1)} MB (${w.targetOf === "wasm" ? "wasm" : "native and wasm"})`,
    Number.isFinite(worst) ? `${(worst / w.target).toFixed(2)}×` : "—"]);
  console.error(`  ${w.name}: native ${fmtMB(n)} ${fmtMs(n)}, wasm ${fmtMB(m)} ${fmtMs(m)}`);
}

function nativeRun(w, input) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "retouch-memory-"));
  const ops = path.join(dir, "ops.json");
  fs.writeFileSync(ops, JSON.stringify(w.calls));
  const r = spawnTime(["-v", cli, "edit", "--ops", ops, "--format", w.options.outputFormat,
    "--quality", String(w.options.quality), "-j", "1", "-o", path.join(dir, "out"), input]);
  fs.rmSync(dir, { recursive: true, force: true });
  const text = r.stdout;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(text);
  const status = /Exit status: (\d+)/.exec(text);
  if (!rss || !wall || status?.[1] !== "0") {
    return { error: text.split("\n").find((l) => /: \w+: /.test(l))?.trim() ?? "failed" };
  }
  const ms = (Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3])) * 1000;
  const seconds = (name) => Number(new RegExp(`${name} time \\(seconds\\): ([\\d.]+)`).exec(text)?.[1]);
  return { bytes: Number(rss[1]) * 1024, ms, cpu: (seconds("User") + seconds("System")) * 1000 };
}

const header = ["workload", "native peak RSS", "native CPU (wall)", "wasm memory (peak)",
  "wasm CPU (wall)", "target", "peak / target"];
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map(() => "---").join("|")}|`);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
console.log(`\nMB = 10^6 bytes. Native: the whole \`retouch edit -j 1\` process (user + system CPU, then wall);
wasm: the \`process\` call alone (this Node process's CPU, then wall), memory = memory.buffer.byteLength after it.
CPU: ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)} when done (wall times drift with load; CPU times less).
CLI: ${cli}; wasm: ${pkg}; `);
