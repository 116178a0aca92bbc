// JPEG encode speed in wasm32 (Node), side by side in one process: the harness's settings on the
// same RGB pixels, 1 warm-up then the median of N runs each, interleaved.
//   node wasm-speed.mjs PKG_DIR RUNS PHOTO...
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(import.meta.dirname, '..', 'package.json'));
const sharp = require('sharp');
const [pkg, runs, ...photos] = process.argv.slice(2);
const harness = require(join(pkg, 'compression_bench_harness.js'));
const settings = (process.env.SETTINGS ?? 'jpeg-encoder,fast,trellis,trellis-progressive').split(',');
const median = (v) => v.sort((a, b) => a - b)[v.length >> 1];

console.log('| photo | MP | ' + settings.map((s) => `${s} ms`).join(' | ') + ' |');
console.log('|---|---:|' + settings.map(() => '---:|').join(''));
for (const photo of photos) {
  const { data, info } = await sharp(readFileSync(photo)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const times = Object.fromEntries(settings.map((s) => [s, []]));
  for (let r = 0; r <= Number(runs); r++) {
    for (const s of settings) {
      const t = performance.now();
      harness.encode(s, data, info.width, info.height, 80);
      if (r > 0) times[s].push(performance.now() - t);
    }
  }
  const mp = (info.width * info.height / 1e6).toFixed(1);
  const base = median(times['jpeg-encoder']);
  console.log(`| ${photo.split('/').pop()} | ${mp} | ` +
    settings.map((s) => { const m = median(times[s]); return `${m.toFixed(0)} (${(m / base).toFixed(2)}×)`; }).join(' | ') + ' |');
}
