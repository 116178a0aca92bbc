// A pool of module Web Workers that each load the engine once (the pattern of Squoosh's
// worker-bridge, written for many images at once).
//
//   const pool = new WorkerPool(new URL('./engine-worker.js', import.meta.url), { init });
//   const result = await pool.run('process', { file, toolCalls, options },
//                                 { signal, onProgress, transfer: [] });
//
// - One shared queue; a job goes to the first idle worker, so a slow photo never holds others up.
//   Background jobs (cards' previews) wait behind all others.
// - A worker runs one job at a time: a wasm call cannot be interrupted, so aborting a *running*
//   job terminates its worker (the next job spawns a fresh one); aborting a queued job just drops it.
// - Workers idle for `idleMs` are terminated to give their memory back.
// - `init` (a message or a promise of one) is posted to every new worker first: the page sends the
//   engine's compiled WebAssembly.Module, so respawning after a cancel costs no download or compile.
// - Bytes go both ways without copies: jobs post Blobs/Files (handles, not bytes) or transfer
//   ArrayBuffers; workers transfer their result buffers back.

/**
 * The most workers a device's memory allows (`navigator.deviceMemory`, GB, rounded down by the
 * browser; unknown counts as 8): each worker may hold a decoded photo of a few hundred MB.
 * ≤ 1 GB → 1, ≤ 4 GB (most phones) → 2, more → 4.
 */
export function memoryCap(gb = globalThis.navigator?.deviceMemory) {
  const g = Number.isFinite(gb) && gb > 0 ? gb : 8;
  return g <= 1 ? 1 : g <= 4 ? 2 : 4;
}

/** Workers to run: one per core (`hardwareConcurrency`), at most `cap` (see memoryCap), at least 1. */
export function poolSize(cores = globalThis.navigator?.hardwareConcurrency, cap = memoryCap()) {
  const n = Number.isFinite(cores) ? Math.floor(cores) : 2;
  return Math.max(1, Math.min(n, cap));
}

/** The error a job rejects with when its signal aborts (`name === 'AbortError'`). */
export function abortError() {
  const e = new Error('Cancelled');
  e.name = 'AbortError';
  e.kind = 'cancelled';
  return e;
}

export class WorkerPool {
  /**
   * @param {URL|string} url module worker script
   * @param {{size?: number, idleMs?: number, init?: unknown, createWorker?: (url) => Worker}} [options]
   */
  constructor(url, { size = poolSize(), idleMs = 20_000, init, createWorker } = {}) {
    this.url = url;
    this.idleMs = idleMs;
    this.init = init;
    this.createWorker = createWorker ?? ((u) => new Worker(u, { type: 'module', name: 'retouch-engine' }));
    this.slots = Array.from({ length: size }, () => ({ worker: null, job: null, idleTimer: 0 }));
    this.queue = [];
    this.nextId = 1;
    /** Workers started so far (a respawn after cancel counts): for tests and diagnostics. */
    this.spawned = 0;
  }

  get size() {
    return this.slots.length;
  }

  /** Jobs waiting plus running. */
  get pending() {
    return this.queue.length + this.slots.filter((s) => s.job).length;
  }

  /**
   * Runs one job on some worker.
   * @param {string} type the worker's job type ('process', 'inspect', 'parse', …)
   * @param {object} payload structured-cloned to the worker
   * @param {{signal?: AbortSignal, onProgress?: (p: any) => void, transfer?: Transferable[], background?: boolean}} [opts]
   *   `background`: the job waits behind every other job (a card's preview never delays a run)
   * @returns {Promise<any>} the worker's result; rejects with the worker's error (with `.kind`)
   */
  run(type, payload, { signal, onProgress, transfer = [], background = false } = {}) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const job = { id: this.nextId++, type, payload, transfer, onProgress, resolve, reject, signal, slot: null, background };
      job.onAbort = () => this.#abort(job);
      signal?.addEventListener('abort', job.onAbort, { once: true });
      const firstBackground = background ? -1 : this.queue.findIndex((j) => j.background);
      if (firstBackground < 0) this.queue.push(job); else this.queue.splice(firstBackground, 0, job);
      this.#dispatch();
    });
  }

  /** Terminates every worker and rejects every job. */
  terminate() {
    for (const job of this.queue.splice(0)) this.#settle(job, null, abortError());
    for (const slot of this.slots) {
      if (slot.job) this.#settle(slot.job, null, abortError());
      this.#kill(slot);
    }
  }

  #dispatch() {
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (slot.job) continue;
      const job = this.queue.shift();
      clearTimeout(slot.idleTimer);
      if (!slot.worker) this.#spawn(slot);
      slot.job = job;
      job.slot = slot;
      try {
        slot.worker.postMessage({ id: job.id, type: job.type, ...job.payload }, job.transfer);
      } catch (e) {
        slot.job = null;
        this.#settle(job, null, e);
      }
    }
  }

  #spawn(slot) {
    const worker = this.createWorker(this.url);
    this.spawned++;
    slot.worker = worker;
    worker.onmessage = (e) => this.#onMessage(slot, e.data);
    worker.onerror = (e) => {
      e.preventDefault?.();
      this.#crash(slot, e.message || 'The image engine stopped unexpectedly.');
    };
    worker.onmessageerror = () => this.#crash(slot, 'A message from the image engine could not be read.');
    Promise.resolve(this.init).then(
      (msg) => { if (slot.worker === worker) worker.postMessage({ type: 'init', ...(msg ?? {}) }); },
      () => { if (slot.worker === worker) worker.postMessage({ type: 'init' }); },
    );
  }

  #onMessage(slot, msg) {
    const job = slot.job;
    if (!job || msg?.id !== job.id) return;
    if (msg.type === 'progress') {
      try { job.onProgress?.(msg.progress); } catch { /* a UI error must not kill the job */ }
      return;
    }
    slot.job = null;
    if (msg.type === 'result') {
      this.#settle(job, msg.value);
    } else {
      const err = new Error(msg.error?.message ?? 'The image engine failed.');
      err.kind = msg.error?.kind ?? 'internal';
      this.#settle(job, null, err);
      // A trap or panic can leave a wasm instance unusable: start the next job on a fresh one.
      if (msg.error?.fatal) this.#kill(slot);
    }
    this.#idle(slot);
    this.#dispatch();
  }

  #crash(slot, message) {
    const job = slot.job;
    slot.job = null;
    this.#kill(slot);
    if (job) {
      const err = new Error(message);
      err.kind = 'internal';
      this.#settle(job, null, err);
    }
    this.#dispatch();
  }

  #abort(job) {
    const i = this.queue.indexOf(job);
    if (i >= 0) {
      this.queue.splice(i, 1);
    } else if (job.slot?.job === job) {
      // Running: a wasm call cannot be interrupted, so the worker goes.
      job.slot.job = null;
      this.#kill(job.slot);
    } else {
      return; // already settled
    }
    this.#settle(job, null, abortError());
    this.#dispatch();
  }

  #settle(job, value, error) {
    job.signal?.removeEventListener('abort', job.onAbort);
    job.slot = null;
    if (error) job.reject(error); else job.resolve(value);
  }

  #idle(slot) {
    clearTimeout(slot.idleTimer);
    if (!slot.worker) return;
    slot.idleTimer = setTimeout(() => { if (!slot.job) this.#kill(slot); }, this.idleMs);
  }

  #kill(slot) {
    clearTimeout(slot.idleTimer);
    slot.worker?.terminate();
    slot.worker = null;
  }
}
