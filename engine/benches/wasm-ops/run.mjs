// Times the hot operations in Node's wasm engine: node run.mjs MODULE.wasm [IMAGE] [RUNS]
// Without IMAGE, a synthetic 5640 × 3172 RGB frame (the benchmark photo's size).
import { readFileSync } from 'node:fs';

const [wasmPath, imagePath, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const only = process.env.OPS_BENCH_ONLY;
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
const x = instance.exports;
if (imagePath) {
  const file = readFileSync(imagePath);
  const ptr = x.input_buffer(file.length);
  new Uint8Array(x.memory.buffer, ptr, file.length).set(file);
  if (!x.decode_input()) throw new Error('decode failed');
} else {
  x.synthetic(5640, 3172);
}

const names = ['blur σ 5', 'blur σ 20', 'sharpen', 'rotate 90', 'rotate 10 (free)', 'grayscale',
  'adjust (with saturation)'];

function time(label, f) {
  const ms = [];
  for (let i = 0; i < runs + 1; i++) {
    const t = performance.now();
    if (!f()) throw new Error(`${label} failed`);
    if (i > 0) ms.push(performance.now() - t); // the first run warms up
  }
  ms.sort((a, b) => a - b);
  return ms[ms.length >> 1];
}

const copy = time('copy', () => x.copy_only());
console.log(`${'copy of the frame'.padEnd(26)} ${copy.toFixed(0).padStart(6)} ms`);
for (let i = 0; i < x.op_count(); i++) {
  if (only && !names[i].includes(only)) continue;
  const ms = time(names[i], () => x.apply(i));
  console.log(`${names[i].padEnd(26)} ${(ms - copy).toFixed(0).padStart(6)} ms (median of ${runs}, copy subtracted)`);
}
