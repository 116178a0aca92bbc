// A module Web Worker that runs @retouch/engine's web build: init, then process one photo (a
// HEIC/HEIF one once the HEIF module is loaded), posting progress and the result (or the error's
// kind and message) back to the page.
import init, { inspect, isHeif, loadHeif, process } from "/npm/web/index.js";

await init();
self.postMessage({ type: "ready" });

self.onmessage = async ({ data }) => {
  try {
    if (isHeif(data.photo)) await loadHeif();
    const info = inspect(data.photo);
    const out = process(
      data.photo,
      data.toolCalls,
      data.options,
      (progress) => self.postMessage({ type: "progress", progress }),
      { name: data.name },
    );
    const { bytes, ...meta } = out;
    self.postMessage({ type: "result", info, ...meta, header: Array.from(bytes.subarray(0, 12)) });
  } catch (e) {
    self.postMessage({ type: "error", kind: e.kind, name: e.name, message: e.message });
  }
};
