// Assembles the publishable folder of @retouch/engine from the wasm-bindgen outputs:
//   web/      --target web      ESM, explicit `await init()`; browsers, module workers, Deno
//   bundler/  --target bundler  ESM that imports the .wasm (webpack 5, Vite with a wasm plugin)
//   node/     --target nodejs   CommonJS, compiled on require; plus ESM/CJS entry points that add
//                               a no-op `init()` so code written for the web build runs unchanged
// Each target also holds the HEIF module (retouch_heif*) and an index.js entry point that loads
// it for HEIC/HEIF files (heif-bridge.js). Writes package.json (exports map, types, files,
// sideEffects), README and licences.

import fs from "node:fs";
import path from "node:path";

// Each target's entry point: the engine's exports, with `process` and `inspect` made HEIF-aware
// and `loadHeif` added by heif-bridge.js (pasted in between the imports and the exports).
const EXPORTS = "export const { process, inspect, isHeif, loadHeif } = bridge;";

const WEB_ENTRY = (name, heif, bridge) => `// Entry point for browsers and workers. Call \`await init()\` first; for HEIC/HEIF input also
// \`await loadHeif()\` (fetches ${heif}_bg.wasm, which nobody else downloads).
import * as engine from "./${name}.js";

export * from "./${name}.js";
export { default, initSync } from "./${name}.js";

${bridge}
const bridge = heifBridge(engine, {
  load: async (moduleOrPath) => {
    const heif = await import("./${heif}.js");
    await heif.default(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath });
    return heif;
  },
});
${EXPORTS}
`;

const BUNDLER_ENTRY = (name, heif, bridge) => `// Entry point for bundlers (the .wasm is imported). For HEIC/HEIF input call \`await loadHeif()\`
// first: the bundler splits ${heif} into a chunk of its own, loaded then.
import * as engine from "./${name}.js";

export * from "./${name}.js";

${bridge}
const bridge = heifBridge(engine, { load: () => import("./${heif}.js") });
${EXPORTS}
`;

const NODE_ESM = (name, heif, bridge) => `// Node entry point (ESM). The wasm module is compiled when this file is imported; the HEIF module
// the first time a HEIC/HEIF file comes in.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const engine = require("./${name}.js");

export const { toolSchema, parseCommand, version } = engine;

${bridge}
const bridge = heifBridge(engine, { loadSync: () => require("./${heif}.js") });
${EXPORTS}

/** Nothing to do in Node (the module is ready when imported); kept for code shared with the web build. */
export default async function init() {
  return engine;
}

/** Nothing to do in Node; kept for code shared with the web build. */
export function initSync() {
  return engine;
}
`;

const NODE_CJS = (name, heif, bridge) => `// Node entry point (CommonJS). The wasm module is compiled when this file is required; the HEIF
// module the first time a HEIC/HEIF file comes in.
"use strict";
const engine = require("./${name}.js");

${bridge}
const bridge = heifBridge(engine, { loadSync: () => require("./${heif}.js") });

/** Nothing to do in Node (the module is ready when required); kept for code shared with the web build. */
async function init() {
  return engine;
}

/** Nothing to do in Node; kept for code shared with the web build. */
function initSync() {
  return engine;
}

module.exports = { ...engine, ...bridge, init, initSync, default: init };
`;

const HEIF_DTS = `
/**
 * Loads the HEIF module, which reads HEIC/HEIF photos (once; later calls resolve at once). In
 * browsers, call it before \`process\` or \`inspect\` get such a file (see \`isHeif\`); in Node
 * they load it by themselves. \`moduleOrPath\` is passed to its wasm-bindgen \`init\`.
 */
export function loadHeif(moduleOrPath?: unknown): Promise<void>;
/** Whether \`bytes\` are a HEIC/HEIF file, from its signature (the file name is never trusted). */
export function isHeif(bytes: ImageBytes): boolean;
`;

const WEB_DTS = (name) => `import type { ImageBytes } from "./${name}.js";
export * from "./${name}.js";
export { default, initSync } from "./${name}.js";
${HEIF_DTS}`;

const BUNDLER_DTS = (name) => `import type { ImageBytes } from "./${name}.js";
export * from "./${name}.js";
${HEIF_DTS}`;

const NODE_DTS = (name) => `import type { ImageBytes } from "./${name}.js";
export * from "./${name}.js";
${HEIF_DTS}
/** Nothing to do in Node (the module is ready when loaded); kept for code shared with the web build. */
export default function init(): Promise<unknown>;
/** Nothing to do in Node; kept for code shared with the web build. */
export function initSync(): unknown;
`;

const NODE_DCTS = (name) => `import type { ImageBytes } from "./${name}.js";
export * from "./${name}.js";
${HEIF_DTS.replaceAll("export function", "export declare function")}
/** Nothing to do in Node (the module is ready when loaded); kept for code shared with the web build. */
export declare function init(): Promise<unknown>;
/** Nothing to do in Node; kept for code shared with the web build. */
export declare function initSync(): unknown;
`;

function copyDir(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyDir(src, dst);
    else if (entry.name !== ".gitignore") fs.copyFileSync(src, dst);
  }
}

/** Writes the package folder `npmDir` from the per-target builds in `outDir`. */
export function assemblePackage({ repo, outDir, npmDir, pkg, heifName, version, targets, scriptsDir }) {
  const name = pkg["out-name"];
  const bridge = fs.readFileSync(path.join(scriptsDir, "heif-bridge.js"), "utf8").trim();
  fs.rmSync(npmDir, { recursive: true, force: true });
  fs.mkdirSync(npmDir, { recursive: true });

  const has = (t) => targets.includes(t);
  const write = (dir, file, text) => fs.writeFileSync(path.join(npmDir, dir, file), text);
  if (has("web")) {
    copyDir(path.join(outDir, "web"), path.join(npmDir, "web"));
    write("web", "index.js", WEB_ENTRY(name, heifName, bridge));
    write("web", "index.d.ts", WEB_DTS(name));
  }
  if (has("bundler")) {
    copyDir(path.join(outDir, "bundler"), path.join(npmDir, "bundler"));
    write("bundler", "index.js", BUNDLER_ENTRY(name, heifName, bridge));
    write("bundler", "index.d.ts", BUNDLER_DTS(name));
  }
  if (has("nodejs")) {
    copyDir(path.join(outDir, "nodejs"), path.join(npmDir, "node"));
    // node/package.json (from the build) says "type": "commonjs": the package is ESM.
    write("node", "index.mjs", NODE_ESM(name, heifName, bridge));
    write("node", "index.cjs", NODE_CJS(name, heifName, bridge));
    write("node", "index.d.mts", NODE_DTS(name));
    write("node", "index.d.cts", NODE_DCTS(name));
  }

  const web = { types: "./web/index.d.ts", default: "./web/index.js" };
  const node = {
    import: { types: "./node/index.d.mts", default: "./node/index.mjs" },
    require: { types: "./node/index.d.cts", default: "./node/index.cjs" },
  };
  const bundler = { types: "./bundler/index.d.ts", default: "./bundler/index.js" };
  const wasmFiles = (dir) =>
    Object.fromEntries([name, heifName].map((n) => [`./${dir}/${n}_bg.wasm`, `./${dir}/${n}_bg.wasm`]));
  const exports = {
    ".": {
      ...(has("nodejs") ? { node } : {}),
      ...(has("web") ? { browser: web, worker: web, import: web, default: web } : {}),
    },
    ...(has("web") ? { "./web": web, ...wasmFiles("web") } : {}),
    ...(has("bundler") ? { "./bundler": bundler } : {}),
    ...(has("nodejs") ? { "./node": node } : {}),
    "./package.json": "./package.json",
  };
  const manifest = {
    name: pkg.name,
    version,
    description: pkg.description,
    license: pkg.license,
    keywords: pkg.keywords,
    type: "module",
    exports,
    main: "./node/index.cjs",
    module: "./web/index.js",
    types: "./web/index.d.ts",
    files: [...["web", "bundler", "node"].filter((d) => fs.existsSync(path.join(npmDir, d))).map((d) => `${d}/`), "README.md", "LICENSE-MIT", "LICENSE-APACHE"],
    // Only the bundler build runs code on import (it instantiates the wasm); the node entry
    // points compile the module when loaded.
    sideEffects: [`./bundler/${name}.js`, `./bundler/${heifName}.js`, "./node/*"],
    engines: { node: ">=18" },
  };
  fs.writeFileSync(path.join(npmDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const crateDir = path.join(repo, "engine", "wasm");
  for (const file of ["README.md", "LICENSE-MIT", "LICENSE-APACHE"]) {
    fs.copyFileSync(path.join(crateDir, file), path.join(npmDir, file));
  }
}
