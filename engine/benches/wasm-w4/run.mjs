// Times the stages of W4 in Node's wasm engine: node run.mjs MODULE.wasm IMAGE [RUNS]
import { readFileSync } from 'node:fs';

const [wasmPath, imagePath, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
const x = instance.exports;
const file = readFileSync(imagePath);
const ptr = x.input_buffer(file.length);
new Uint8Array(x.memory.buffer, ptr, file.length).set(file);

function time(label, f) {
  const ms = [];
  let result;
  for (let i = 0; i < runs + 1; i++) {
    const t = performance.now();
    result = f();
    if (i > 0) ms.push(performance.now() - t); // the first run warms up
  }
  ms.sort((a, b) => a - b);
  console.log(`${label}: median ${ms[ms.length >> 1].toFixed(0)} ms of ${runs} (result ${result})`);
}

time('decode', () => x.decode_only());
time('webp q80 encode', () => x.encode_webp(80));
time('jpeg q80 encode', () => x.encode_jpeg(80));
time('W4 decode → rotate 90 → webp q80', () => x.w4());
