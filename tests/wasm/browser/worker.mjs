// A module Web Worker that runs @retouch/engine's web build: init, then process one photo,
// posting progress and the result (or the error's kind and message) back to the page.
import init, { inspect, process } from "/npm/web/retouch_engine.js";

await init();
self.postMessage({ type: "ready" });

self.onmessage = ({ data }) => {
  try {
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
