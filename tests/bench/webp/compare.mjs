// Times WebP encoders on the same RGB pixels inside wasm (Node), see README.md.
//   node compare.mjs PKG_DIR OUT_DIR IMAGE...
// PKG_DIR holds the wasm-bindgen (--target nodejs) build of harness/; every output is written
// to OUT_DIR so it can be checked with other decoders (dwebp).
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const [pkgDir, outDir, ...images] = process.argv.slice(2);
const h = createRequire(import.meta.url)(path.resolve(pkgDir, "webp_bench_harness.js"));
fs.mkdirSync(outDir, { recursive: true });

const QUALITY = 80;
const encoders = [
  ["vaam-image-webp", (rgb, w, ht) => h.vaam_lossy(rgb, w, ht, QUALITY)],
  ...[2, 3, 4].map((m) => [`libwebp m${m}`, (rgb, w, ht) => h.libwebp_lossy(rgb, w, ht, QUALITY, m)]),
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

for (const image of images) {
  const bytes = fs.readFileSync(image);
  const [w, ht] = h.dimensions(bytes);
  const rgb = h.decode_rgb(bytes);
  const runs = w * ht > 8e6 ? 3 : 5;
  console.log(`\n${path.basename(image)} ${w}×${ht} (wasm32+simd128, Node ${process.version}, q${QUALITY}, 1 warm-up + median of ${runs})`);
  console.log("encoder          wall ms  cpu ms     bytes   PSNR dB");
  for (const [name, encode] of encoders) {
    let out = encode(rgb, w, ht);
    // CPU time too: the machine is shared, so wall time alone over-counts whatever else runs.
    const wall = [];
    const cpu = [];
    for (let i = 0; i < runs; i++) {
      const [t0, c0] = [performance.now(), process.cpuUsage()];
      out = encode(rgb, w, ht);
      const c = process.cpuUsage(c0);
      wall.push(performance.now() - t0);
      cpu.push((c.user + c.system) / 1e3);
    }
    const file = path.join(outDir, `${path.parse(image).name}.wasm.${name.replace(/\W+/g, "-")}.webp`);
    fs.writeFileSync(file, out);
    const db = h.psnr(out, rgb);
    const cols = [median(wall).toFixed(0).padStart(8), median(cpu).toFixed(0).padStart(7)];
    console.log(`${name.padEnd(16)} ${cols.join(" ")} ${String(out.length).padStart(9)}   ${db.toFixed(2)}`);
  }
}
