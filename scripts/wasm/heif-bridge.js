// HEIC/HEIF input for the package's entry points (scripts/wasm/package.mjs pastes this file into
// each of them, between the target's imports and exports; it is not a module of its own).
//
// The engine module has no HEVC decoder; the HEIF module (retouch_heif) has one and nothing
// else. For a file whose signature says HEIF, `process` and `inspect` first ask the HEIF module:
// its probe gives a header-only frame, which the engine's `inspect` checks against its limits
// before anything is decoded; its decode gives the upright pixels, ICC, EXIF and XMP as one
// frame, which the engine then edits in place of the file. Every other file goes straight to the
// engine. Errors stay `RetouchError`s with the engine's kinds, whichever module threw.

/**
 * The HEIF-aware `process`, `inspect`, `isHeif` and `loadHeif` over `engine`.
 * @param {object} engine the engine module's exports
 * @param {{load?: (moduleOrPath?: unknown) => Promise<object>, loadSync?: () => object}} loaders
 *   how to get the HEIF module: asynchronously (browsers fetch it) or, where it can be,
 *   synchronously (Node), in which case `process` loads it by itself
 */
function heifBridge(engine, { load, loadSync }) {
  let heif = null;
  let loading = null;

  function retouchError(kind, message) {
    const e = new Error(message);
    e.name = "RetouchError";
    e.kind = kind;
    return e;
  }

  /** A `Uint8Array` view of `bytes` (no copy), or `null` when they are not bytes at all. */
  function view(bytes) {
    if (bytes instanceof Uint8Array) return bytes;
    if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && bytes instanceof SharedArrayBuffer)) {
      return new Uint8Array(bytes);
    }
    return null;
  }

  /** Whether `bytes` are a HEIC/HEIF file (its `ftyp` box says so; the name is never trusted). */
  function isHeif(bytes) {
    const v = view(bytes);
    return v !== null && engine.isHeif(v.subarray(0, 1024));
  }

  /** Loads the HEIF module (once; later calls return at once). Needed before `process` or
   * `inspect` see a HEIC/HEIF file in browsers; optional in Node. */
  function loadHeif(moduleOrPath) {
    if (heif) return Promise.resolve();
    if (!loading) {
      const started = load ? load(moduleOrPath) : Promise.resolve(loadSync());
      loading = started.then(
        (m) => {
          heif = m;
        },
        (e) => {
          loading = null;
          throw retouchError("unsupported", `the HEIF module (HEIC/HEIF input) did not load: ${e?.message ?? e}`);
        },
      );
    }
    return loading;
  }

  function heifModule() {
    if (!heif && loadSync) heif = loadSync();
    if (!heif) {
      throw retouchError(
        "unsupported",
        "This is a HEIC/HEIF photo: its decoder is a separate module; call `await loadHeif()` before process() or inspect()",
      );
    }
    return heif;
  }

  /** A call into the HEIF module; a trap there (a decoder bug) is this file's decode error. */
  function guarded(call) {
    try {
      return call();
    } catch (e) {
      if (e?.name === "RetouchError") throw e;
      throw retouchError("decode", "cannot decode image: the HEIC decoder failed on this file");
    }
  }

  /** The header-only frame of a HEIF file. */
  function probe(bytes) {
    return guarded(() => heifModule().probe(bytes));
  }

  /** The decoded frame of a HEIF file, after the engine has checked its header against the
   * limits; the decoder holds to them too (a header may understate what the file holds). */
  function decode(bytes) {
    engine.inspect(probe(bytes));
    return guarded(() => heifModule().decode(bytes, engine.maxPixels()));
  }

  function process(bytes, toolCalls, options, onProgress, input) {
    const v = view(bytes);
    const file = v !== null && isHeif(v) ? decode(v) : bytes;
    return engine.process(file, toolCalls, options, onProgress, input);
  }

  function inspect(bytes) {
    const v = view(bytes);
    return engine.inspect(v !== null && isHeif(v) ? probe(v) : bytes);
  }

  return { process, inspect, isHeif, loadHeif };
}
