// `npm pack` the package, install the tarball into a scratch folder, and use it the ways a user
// would: `import` and `require` from Node, and its TypeScript types under nodenext and bundler
// resolution.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { imagesDir, npmDir, opsReady, pipelineReady, repo } from "./helpers.mjs";

let scratch;
let packed;
const sh = (cmd, args, cwd, env = {}) =>
  execFileSync(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] }).toString();

before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "retouch-pack-"));
  const npmEnv = { npm_config_cache: path.join(scratch, ".npm-cache"), npm_config_update_notifier: "false" };
  [packed] = JSON.parse(sh("npm", ["pack", "--json", "--pack-destination", scratch], npmDir, npmEnv));
  fs.writeFileSync(path.join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  sh("npm", ["install", "--offline", "--no-audit", "--no-fund", path.join(scratch, packed.filename)], scratch, npmEnv);
});

after(() => fs.rmSync(scratch, { recursive: true, force: true }));

test("the tarball holds the three builds, the types, README and licences, and nothing else", () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const f of [
    "package.json",
    "README.md",
    "LICENSE-MIT",
    "LICENSE-APACHE",
    "web/index.js",
    "web/index.d.ts",
    "web/retouch_engine.js",
    "web/retouch_engine.d.ts",
    "web/retouch_engine_bg.wasm",
    "web/retouch_heif.js",
    "web/retouch_heif_bg.wasm",
    "bundler/index.js",
    "bundler/index.d.ts",
    "bundler/retouch_engine.js",
    "bundler/retouch_engine_bg.js",
    "bundler/retouch_engine_bg.wasm",
    "bundler/retouch_heif.js",
    "bundler/retouch_heif_bg.wasm",
    "node/index.mjs",
    "node/index.cjs",
    "node/index.d.mts",
    "node/index.d.cts",
    "node/retouch_engine.js",
    "node/retouch_engine_bg.wasm",
    "node/retouch_heif.js",
    "node/retouch_heif_bg.wasm",
  ]) {
    assert.ok(files.includes(f), `${f} missing from ${files.join(", ")}`);
  }
  assert.ok(files.every((f) => /^(web|bundler|node)\/|^(package\.json|README\.md|LICENSE-\w+)$/.test(f)), files.join(", "));
  assert.equal(packed.name, "@retouch/engine");
});

const script = (photo) => `
  const photo = new Uint8Array(fs.readFileSync(${JSON.stringify(path.join(imagesDir, photo))}));
  let result;
  try {
    const out = engine.process(photo, ${JSON.stringify(opsReady ? [{ tool: "resize", params: { width: 320 } }] : [])}, { outputFormat: "webp" });
    result = { width: out.width, height: out.height, format: out.format, size: out.size };
  } catch (e) {
    result = { kind: e.kind };
  }
  console.log(JSON.stringify({ version: engine.version(), tools: engine.toolSchema().length, result }));
`;

function check(output) {
  const { version, tools, result } = JSON.parse(output);
  assert.equal(version, packed.version);
  assert.equal(tools, 11);
  if (opsReady) assert.deepEqual(result, { ...result, width: 320, height: 200, format: "webp" });
  else if (pipelineReady) assert.deepEqual(result, { ...result, width: 2560, height: 1600, format: "webp" });
  else assert.equal(result.kind, "unsupported");
}

test("import from Node (ESM), with the same init() call as the web build", () => {
  fs.writeFileSync(
    path.join(scratch, "use.mjs"),
    `import fs from "node:fs";\nimport init, * as engine from "@retouch/engine";\nawait init();\n${script("Garden.jpg")}`,
  );
  check(sh(process.execPath, ["use.mjs"], scratch));
});

test("require from Node (CommonJS)", () => {
  fs.writeFileSync(path.join(scratch, "use.cjs"), `const fs = require("node:fs");\nconst engine = require("@retouch/engine");\n${script("Garden.jpg")}`);
  check(sh(process.execPath, ["use.cjs"], scratch));
});

test("an iPhone HEIC photo through the installed package (ESM and CommonJS): upright JPEG, the HEIF module loaded by itself", () => {
  const pug = JSON.stringify(path.join(imagesDir, "heic/pug.heic"));
  const arrow = JSON.stringify(path.join(imagesDir, "heic/arrow.heic"));
  const body = (engine) => `
    const read = (f) => new Uint8Array(fs.readFileSync(f));
    const pug = read(${pug});
    const info = ${engine}.inspect(pug);
    const out = ${engine}.process(pug, [{ tool: "resize", params: { width: 800 } }], {});
    const arrow = ${engine}.process(read(${arrow}), [], { maxWidth: 600 });
    console.log(JSON.stringify({ heif: ${engine}.isHeif(pug), info: [info.format, info.width, info.height, info.outputFormat],
      out: [out.format, out.width, out.height, out.mimeType, Array.from(out.bytes.subarray(0, 2))], arrow: [arrow.width, arrow.height] }));`;
  fs.writeFileSync(path.join(scratch, "heic.mjs"), `import fs from "node:fs";\nimport * as engine from "@retouch/engine";\n${body("engine")}`);
  fs.writeFileSync(path.join(scratch, "heic.cjs"), `const fs = require("node:fs");\nconst engine = require("@retouch/engine");\n${body("engine")}`);
  for (const file of ["heic.mjs", "heic.cjs"]) {
    assert.deepEqual(JSON.parse(sh(process.execPath, [file], scratch)), {
      heif: true,
      info: ["heic", 4032, 3024, "jpg"],
      out: ["jpg", 800, 600, "image/jpeg", [0xff, 0xd8]],
      // The iPhone 8 Plus photo is stored sideways with a rotation box: it comes out portrait.
      arrow: [600, 800],
    }, file);
  }
});

test("the subpath builds resolve: ./web, ./bundler, ./node, ./package.json and the wasm files", () => {
  fs.writeFileSync(
    path.join(scratch, "resolve.mjs"),
    `for (const s of ["@retouch/engine/web", "@retouch/engine/bundler", "@retouch/engine/node", "@retouch/engine/package.json", "@retouch/engine/web/retouch_engine_bg.wasm", "@retouch/engine/web/retouch_heif_bg.wasm"]) console.log(import.meta.resolve(s));`,
  );
  const lines = sh(process.execPath, ["resolve.mjs"], scratch).trim().split("\n");
  assert.match(lines[0], /node_modules\/@retouch\/engine\/web\/index\.js$/);
  assert.match(lines[1], /\/bundler\/index\.js$/);
  assert.match(lines[2], /\/node\/index\.mjs$/);
  assert.match(lines[3], /\/package\.json$/);
  assert.match(lines[4], /\/web\/retouch_engine_bg\.wasm$/);
  assert.match(lines[5], /\/web\/retouch_heif_bg\.wasm$/);
});

test("the types compile (tsc --noEmit), under nodenext and bundler resolution", () => {
  const tsc = path.join(repo, "node_modules/.bin/tsc");
  for (const f of ["usage.mts", "usage.cts"]) fs.copyFileSync(path.join(repo, "tests/wasm/types", f), path.join(scratch, f));
  const strict = { strict: true, noEmit: true, skipLibCheck: false, target: "es2022", noUnusedLocals: false };
  fs.writeFileSync(
    path.join(scratch, "tsconfig.node.json"),
    JSON.stringify({ compilerOptions: { ...strict, module: "nodenext", moduleResolution: "nodenext", lib: ["es2022", "dom"] }, files: ["usage.mts", "usage.cts"] }),
  );
  fs.writeFileSync(
    path.join(scratch, "tsconfig.web.json"),
    JSON.stringify({ compilerOptions: { ...strict, module: "esnext", moduleResolution: "bundler", lib: ["es2022", "webworker"] }, files: ["usage.mts"] }),
  );
  for (const config of ["tsconfig.node.json", "tsconfig.web.json"]) {
    try {
      sh(tsc, ["-p", config], scratch);
    } catch (e) {
      assert.fail(`tsc -p ${config} failed:\n${e.stdout}${e.stderr}`);
    }
  }
});
