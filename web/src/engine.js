// The engine for the page: the wasm module compiled once (off the main thread) and a pool of
// module workers running it (pool.js, engine-worker.js).

import { WorkerPool, poolSize } from './pool.js';

/**
 * The compiled engine module, handed to every worker so one respawned after a cancel starts in
 * milliseconds. Resolves to `{module}`, or `{}` if it cannot be compiled here (each worker then
 * loads the engine itself).
 * @param {URL} url the engine's `.wasm` file
 */
export function compileEngine(url) {
  return WebAssembly.compileStreaming(fetch(url))
    .catch(() => fetch(url).then((r) => r.arrayBuffer()).then((b) => WebAssembly.compile(b)))
    .then((module) => ({ module }), () => ({}));
}

/** The pool of engine workers, each handed `init` (a promise of `{module}`) first. */
export function enginePool(init) {
  return new WorkerPool(new URL('./engine-worker.js', import.meta.url), { size: poolSize(), init });
}
