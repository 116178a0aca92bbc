// The CommonJS view of the package's types (require condition), compiled by pack.test.mjs.
import engine = require("@retouch/engine");

declare const bytes: Uint8Array;
const out: engine.ProcessResult = engine.process(bytes, [{ tool: "flip", params: { direction: "horizontal" } }]);
const ready: Promise<unknown> = engine.init();
const heif: Promise<void> | undefined = engine.isHeif(bytes) ? engine.loadHeif() : undefined;
export = { out, ready, heif };
