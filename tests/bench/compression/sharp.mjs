// sharp's side of the compression benchmark: every reference frame (WORK/ref/*.png) encoded by
// sharp as JPEG (libjpeg-turbo, its default), JPEG with `mozjpeg: true`, and WebP (effort 4, its
// default) at each quality, into WORK/out/sharp-*/NAME.qNN.ext; encode times to WORK/sharp-times.tsv.
//   node sharp.mjs WORK 50,55,...,90
import { mkdirSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(import.meta.dirname, '..', 'package.json'));
const sharp = require('sharp');
sharp.concurrency(1);
sharp.cache(false);

const [work, qs] = process.argv.slice(2);
const qualities = qs.split(',').map(Number);
const encoders = {
  'sharp-jpeg': ['jpg', (s, q) => s.jpeg({ quality: q })],
  'sharp-mozjpeg': ['jpg', (s, q) => s.jpeg({ quality: q, mozjpeg: true })],
  'sharp-webp': ['webp', (s, q) => s.webp({ quality: q })],
};
const times = join(work, 'times.tsv');
for (const file of readdirSync(join(work, 'ref')).filter((f) => f.endsWith('.png')).sort()) {
  const name = file.slice(0, -4);
  const { data, info } = await sharp(join(work, 'ref', file)).raw().toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  for (const [enc, [ext, apply]] of Object.entries(encoders)) {
    mkdirSync(join(work, 'out', enc), { recursive: true });
    for (const q of qualities) {
      const t = performance.now();
      const out = await apply(sharp(data, raw), q).toBuffer();
      const ms = performance.now() - t;
      writeFileSync(join(work, 'out', enc, `${name}.q${q}.${ext}`), out);
      appendFileSync(times, `${enc}\t${name}\t${q}\t${out.length}\t${ms.toFixed(2)}\n`);
    }
  }
  console.error(`sharp ${name}`);
}
