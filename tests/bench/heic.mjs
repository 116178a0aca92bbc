// HEIC decoding benchmark: our HEIF module (heif.decode, and the whole `process` to JPEG for
// context) against libheif-js (npm, its pure-wasm build `libheif-js/wasm-bundle`, decoding to RGBA
// with `image.display`), on the shared iPhone/Xiaomi photos, all in Node. Each decoder runs in
// processes of its own: one timed (1 warm-up, then the median of N runs), one fresh process that
// decodes once (peak RSS and wasm memory), and a baseline process that only loads the module and
// reads the file (its peak RSS is subtracted). Memory is given as a multiple of the decoded frame
// (width × height × 3, × 4 with alpha). Prints a Markdown table. A benchmark, not a test: nothing
// asserts its numbers.
//
// Usage: node tests/bench/heic.mjs [--runs N] [--pkg DIR] [--images DIR] [PHOTO...]
//   --pkg DIR     the built npm package (default: engine/wasm/pkg/npm)
//   --images DIR  where PHOTO names are looked up (default: ../shared/images/heic)
//   PHOTO         file names (default: pug.heic arrow.heic xiaomi.heic)

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const require = createRequire(import.meta.url);
const MAX_PIXELS = 100_000_000; // the engine's pixel limit, as `process` passes it

// ---- the decoders: load() once per process, run(bytes) per measured call ------------------------
const DECODERS = {
  ours: {
    label: "ours: heif.decode",
    load: async (pkg) => require(path.join(pkg, "node/retouch_heif.js")),
    run: async (heif, bytes) => heif.decode(bytes, MAX_PIXELS),
  },
  process: {
    label: "ours: process → JPEG (decode + encode)",
    load: async (pkg) => {
      const engine = await import(pathToFileURL(path.join(pkg, "node/index.mjs")).href);
      await engine.loadHeif();
      return engine;
    },
    run: async (engine, bytes) => engine.process(bytes, [], { outputFormat: "jpg" }),
  },
  libheif: {
    label: "libheif-js (wasm-bundle) → RGBA",
    load: async () => require("libheif-js/wasm-bundle"),
    run: (libheif, bytes) =>
      new Promise((resolve, reject) => {
        const images = new libheif.HeifDecoder().decode(bytes);
        const image = images[0];
        if (!image) return reject(new Error("libheif-js found no image"));
        const width = image.get_width();
        const height = image.get_height();
        image.display({ data: new Uint8ClampedArray(width * height * 4), width, height }, (out) => {
          for (const im of images) im.free();
          out ? resolve(out) : reject(new Error("libheif-js: display failed"));
        });
      }),
  },
};

// ---- child: one decoder on one photo ---------------------------------------------------------------
// node heic.mjs --child DECODER MODE PHOTO PKG RUNS; MODE is time | memory | baseline. Prints JSON.
if (process.argv[2] === "--child") {
  const [decoderName, mode, photo, pkg, runsArg] = process.argv.slice(3);
  const decoder = DECODERS[decoderName];
  // Every wasm instance created from here on, to read its linear memory afterwards (the glue of
  // neither library exports its memory).
  const instances = [];
  const { Instance, instantiate } = WebAssembly;
  WebAssembly.Instance = function (module, imports) {
    const instance = new Instance(module, imports);
    instances.push(instance);
    return instance;
  };
  WebAssembly.instantiate = async (...args) => {
    const result = await instantiate(...args);
    instances.push(result.instance ?? result);
    return result;
  };
  const wasmBytes = () =>
    instances
      .flatMap((i) => Object.values(i.exports).filter((e) => e instanceof WebAssembly.Memory))
      .reduce((n, m) => n + m.buffer.byteLength, 0);
  try {
    const lib = await decoder.load(pkg);
    const bytes = new Uint8Array(fs.readFileSync(photo));
    const times = [];
    const runs = mode === "time" ? Number(runsArg) + 1 : mode === "memory" ? 1 : 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await decoder.run(lib, bytes);
      if (mode !== "time" || i > 0) times.push(performance.now() - start);
    }
    const maxRssBytes = process.resourceUsage().maxRSS * 1024;
    console.log(JSON.stringify({ times, maxRssBytes, wasmBytes: wasmBytes() }));
  } catch (e) {
    console.error(`heic: ${e.kind ?? e.name}: ${e.message}`);
    process.exit(1);
  }
  process.exit(0);
}

// ---- parent ----------------------------------------------------------------------------------------
const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: "string", default: "5" },
    pkg: { type: "string", default: path.join(repo, "engine/wasm/pkg/npm") },
    images: { type: "string", default: path.resolve(repo, "../shared/images/heic") },
  },
});
const pkg = path.resolve(opts.pkg);
const photos = (positionals.length ? positionals : ["pug.heic", "arrow.heic", "xiaomi.heic"]).map((p) =>
  path.resolve(opts.images, p),
);
const { inspect } = await import(pathToFileURL(path.join(pkg, "node/index.mjs")).href);

function child(decoder, mode, photo) {
  const args = [fileURLToPath(import.meta.url), "--child", decoder, mode, photo, pkg, opts.runs];
  const r = spawnSync(process.execPath, args, { cwd: here, encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    const lines = r.stderr.split("\n").map((l) => l.trim()).filter(Boolean);
    throw new Error(lines.find((l) => l.startsWith("heic: "))?.slice(6) ?? lines.at(-1) ?? `exit ${r.status}`);
  }
  return JSON.parse(r.stdout);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (n, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const MB = 1e6;

const rows = [];
for (const photo of photos) {
  const info = inspect(new Uint8Array(fs.readFileSync(photo)));
  const frame = info.width * info.height * (info.hasAlpha ? 4 : 3);
  const mp = (info.width * info.height) / 1e6;
  const results = {};
  for (const name of Object.keys(DECODERS)) {
    process.stderr.write(`heic: ${path.basename(photo)} ${DECODERS[name].label} … `);
    try {
      const { times } = child(name, "time", photo);
      const mem = child(name, "memory", photo);
      const base = child(name, "baseline", photo);
      results[name] = { ms: median(times), rss: mem.maxRssBytes - base.maxRssBytes, wasm: mem.wasmBytes };
      process.stderr.write(`${fmt(results[name].ms)} ms\n`);
    } catch (e) {
      results[name] = { error: String(e.message).split("\n")[0] };
      process.stderr.write(`failed: ${results[name].error}\n`);
    }
  }
  const lib = results.libheif;
  for (const [name, r] of Object.entries(results)) {
    const photoCell = name === "ours" ? `${path.basename(photo)} ${info.width}×${info.height} (${fmt(mp, 1)} MP)` : "";
    if (r.error) {
      rows.push(`| ${photoCell} | ${DECODERS[name].label} | – | – | – | – | – | failed: ${r.error} |`);
      continue;
    }
    const ratio = name === "libheif" ? "1.00" : lib?.ms ? fmt(r.ms / lib.ms, 2) : "–";
    rows.push(
      `| ${photoCell} | ${DECODERS[name].label} | ${fmt(r.ms)} | ${fmt(r.ms / mp)} | ${ratio} | ` +
        `${fmt(r.rss / MB, 1)} (${fmt(r.rss / frame, 2)}×) | ${fmt(r.wasm / MB, 1)} (${fmt(r.wasm / frame, 2)}×) | ${fmt(frame / MB, 1)} |`,
    );
  }
}

const out = [
  `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}; ` +
    `median of ${opts.runs} runs after 1 warm-up, each decoder in processes of its own.`,
  "Peak RSS: of a fresh process decoding once, minus that of a process that only loaded the module and read the file. " +
    "Wasm memory: linear memory of the module(s) after that decode (it only grows, so the peak). " +
    "× = multiple of the decoded frame (width × height × 3; × 4 with alpha). libheif-js writes RGBA into a JS buffer (not in wasm memory, in the RSS).",
  "",
  "| photo | decoder | median ms | ms / MP | ratio to libheif-js | peak RSS − baseline, MB | wasm memory, MB | frame, MB |",
  "|---|---|---:|---:|---:|---:|---:|---:|",
  ...rows,
  "",
  "Targets (issue): ours ≤ 1 500 ms for a 12 MP iPhone photo and under half of libheif-js; memory within 1.5× the decoded frame.",
];
console.log(out.join("\n"));
