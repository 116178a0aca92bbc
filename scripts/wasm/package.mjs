// Assembles the publishable folder of @retouch/engine from the wasm-bindgen outputs:
//   web/      --target web      ESM, explicit `await init()`; browsers, module workers, Deno
//   bundler/  --target bundler  ESM that imports the .wasm (webpack 5, Vite with a wasm plugin)
//   node/     --target nodejs   CommonJS, compiled on require; plus ESM/CJS entry points that add
//                               a no-op `init()` so code written for the web build runs unchanged
// and writes package.json (exports map, types, files, sideEffects), README and licences.

import fs from "node:fs";
import path from "node:path";

const NODE_ESM = (name) => `// Node entry point (ESM). The wasm module is compiled when this file is imported.
import { createRequire } from "node:module";

const engine = createRequire(import.meta.url)("./${name}.js");

export const { process, inspect, toolSchema, parseCommand, version } = engine;

/** Nothing to do in Node (the module is ready when imported); kept for code shared with the web build. */
export default async function init() {
  return engine;
}

/** Nothing to do in Node; kept for code shared with the web build. */
export function initSync() {
  return engine;
}
`;

const NODE_CJS = (name) => `// Node entry point (CommonJS). The wasm module is compiled when this file is required.
"use strict";
const engine = require("./${name}.js");

/** Nothing to do in Node (the module is ready when required); kept for code shared with the web build. */
async function init() {
  return engine;
}

/** Nothing to do in Node; kept for code shared with the web build. */
function initSync() {
  return engine;
}

module.exports = { ...engine, init, initSync, default: init };
`;

const NODE_DTS = (name) => `export * from "./${name}.js";

/** Nothing to do in Node (the module is ready when loaded); kept for code shared with the web build. */
export default function init(): Promise<unknown>;
/** Nothing to do in Node; kept for code shared with the web build. */
export function initSync(): unknown;
`;

const NODE_DCTS = (name) => `export * from "./${name}.js";

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
export function assemblePackage({ repo, outDir, npmDir, pkg, version, targets }) {
  const name = pkg["out-name"];
  fs.rmSync(npmDir, { recursive: true, force: true });
  fs.mkdirSync(npmDir, { recursive: true });

  const has = (t) => targets.includes(t);
  if (has("web")) copyDir(path.join(outDir, "web"), path.join(npmDir, "web"));
  if (has("bundler")) copyDir(path.join(outDir, "bundler"), path.join(npmDir, "bundler"));
  if (has("nodejs")) {
    const node = path.join(npmDir, "node");
    copyDir(path.join(outDir, "nodejs"), node);
    // node/package.json (from the build) says "type": "commonjs": the package is ESM.
    fs.writeFileSync(path.join(node, "index.mjs"), NODE_ESM(name));
    fs.writeFileSync(path.join(node, "index.cjs"), NODE_CJS(name));
    fs.writeFileSync(path.join(node, "index.d.mts"), NODE_DTS(name));
    fs.writeFileSync(path.join(node, "index.d.cts"), NODE_DCTS(name));
  }

  const web = { types: `./web/${name}.d.ts`, default: `./web/${name}.js` };
  const node = {
    import: { types: "./node/index.d.mts", default: "./node/index.mjs" },
    require: { types: "./node/index.d.cts", default: "./node/index.cjs" },
  };
  const bundler = { types: `./bundler/${name}.d.ts`, default: `./bundler/${name}.js` };
  const exports = {
    ".": {
      ...(has("nodejs") ? { node } : {}),
      ...(has("web") ? { browser: web, worker: web, import: web, default: web } : {}),
    },
    ...(has("web") ? { "./web": web, [`./web/${name}_bg.wasm`]: `./web/${name}_bg.wasm` } : {}),
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
    module: `./web/${name}.js`,
    types: `./web/${name}.d.ts`,
    files: [...["web", "bundler", "node"].filter((d) => fs.existsSync(path.join(npmDir, d))).map((d) => `${d}/`), "README.md", "LICENSE-MIT", "LICENSE-APACHE"],
    // Only the bundler build runs code on import (it instantiates the wasm); the node entry
    // points compile the module when loaded.
    sideEffects: [`./bundler/${name}.js`, "./node/*"],
    engines: { node: ">=18" },
  };
  fs.writeFileSync(path.join(npmDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const crateDir = path.join(repo, "engine", "wasm");
  for (const file of ["README.md", "LICENSE-MIT", "LICENSE-APACHE"]) {
    fs.copyFileSync(path.join(crateDir, file), path.join(npmDir, file));
  }
}
