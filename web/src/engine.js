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

/**
 * The engine on the main thread, for what needs no pixels and must answer at once (the tool
 * schema): the glue instantiated from the same compiled module. Resolves to the package's exports.
 * @param {Promise<{module?: WebAssembly.Module}>} compiled from `compileEngine`
 * @param {() => Promise<object>} loadGlue imports the wasm-bindgen glue
 */
export async function mainThreadEngine(compiled, loadGlue) {
  const [{ module }, glue] = await Promise.all([compiled, loadGlue()]);
  await glue.default(module ? { module_or_path: module } : undefined);
  return glue;
}
