#!/usr/bin/env node
// Builds the npm package @retouch/engine from engine/wasm and its HEIF module from engine/heif-wasm,
// as configured in wasm-pack.toml: cargo build (wasm32, SIMD128) → wasm-bindgen per target →
// wasm-opt → engine/wasm/pkg/{web,bundler,nodejs} → the publishable folder engine/wasm/pkg/npm
// (with entry points that load the HEIF module on demand) → sizes against the budgets.
// Offline and without wasm-pack: it runs the pinned wasm-bindgen CLI and the npm binaryen's wasm-opt.
// Incremental: when the compiled wasm, the config and this script are unchanged, only the
// package folder is re-assembled. Usage: node scripts/wasm/build.mjs [--force]

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

import { parseToml } from "./toml.mjs";
import { assemblePackage } from "./package.mjs";
import { toolTypes } from "./tool-types.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const force = process.argv.includes("--force");

function fail(message) {
  console.error(`build-wasm: ${message}`);
  process.exit(1);
}

function run(cmd, args, options = {}) {
  try {
    // `cargo metadata` prints over 1 MiB, execFileSync's default buffer.
    return execFileSync(cmd, args, { cwd: repo, stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20, ...options })
      ?.toString();
  } catch (e) {
    fail(`${path.basename(cmd)} ${args.join(" ")} failed (${e.status ?? e.code})`);
  }
}

const sha256 = (...parts) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex");
};

// ---- configuration -------------------------------------------------------------------------
const configPath = path.join(repo, "wasm-pack.toml");
const configText = fs.readFileSync(configPath, "utf8");
const config = parseToml(configText, "wasm-pack.toml");
const pkg = config.package ?? {};
const build = config.build ?? {};
const opt = config["wasm-opt"] ?? {};
const budget = config.budget ?? {};
for (const [key, value] of Object.entries({
  "package.name": pkg.name,
  "package.crate": pkg.crate,
  "package.out-name": pkg["out-name"],
  "build.profile": build.profile,
  "build.target": build.target,
  "build.targets": build.targets,
  "build.out-dir": build["out-dir"],
  "build.npm-dir": build["npm-dir"],
})) {
  if (value === undefined) fail(`wasm-pack.toml: missing ${key}`);
}
const known = ["web", "bundler", "nodejs"];
for (const t of build.targets) if (!known.includes(t)) fail(`wasm-pack.toml: unknown target ${t}`);

// ---- tools ---------------------------------------------------------------------------------
const metadata = JSON.parse(run("cargo", ["metadata", "--format-version", "1", "--locked"]));
const crate = metadata.packages.find((p) => p.name === pkg.crate);
if (!crate) fail(`crate ${pkg.crate} is not in the workspace`);
const pinned = metadata.packages.find((p) => p.name === "wasm-bindgen")?.version;
if (!pinned) fail("wasm-bindgen is not a dependency of the workspace");
const version = pkg["version-from"] === "cargo" || !pkg.version ? crate.version : pkg.version;

function findTool(name, candidates) {
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const p = path.join(dir, name);
    if (dir && fs.existsSync(p)) return p;
  }
  return null;
}
const cargoHome = process.env.CARGO_HOME ?? path.join(os.homedir(), ".cargo");
const wasmBindgen = findTool("wasm-bindgen", [
  process.env.WASM_BINDGEN_BIN,
  path.join(cargoHome, "bin", "wasm-bindgen"),
]);
if (!wasmBindgen) {
  fail(`wasm-bindgen not found; install it with: cargo install wasm-bindgen-cli --version ${pinned}`);
}
const bindgenVersion = run(wasmBindgen, ["--version"]).trim().split(/\s+/).pop();
if (bindgenVersion !== pinned) {
  fail(
    `${wasmBindgen} is version ${bindgenVersion} but the crate is pinned to ${pinned}; ` +
      `run: cargo install wasm-bindgen-cli --version ${pinned} --force`,
  );
}
let wasmOpt = null;
if (opt.enabled !== false) {
  wasmOpt = findTool("wasm-opt", [
    process.env.WASM_OPT_BIN,
    path.join(repo, "node_modules", ".bin", "wasm-opt"),
  ]);
  if (!wasmOpt) fail("wasm-opt not found; run `npm ci` at the repository root (devDependency binaryen)");
}

// ---- cargo, wasm-bindgen and wasm-opt, per module -----------------------------------------
// Two modules: the engine (loaded by everyone) and the HEIF decoder ([heif] in wasm-pack.toml),
// which the package's JS loads only when a HEIC/HEIF file comes in. Each goes through
// cargo build (wasm32, SIMD128) → wasm-bindgen per target → wasm-opt into out-dir/<target>/.
// A target dir of its own under the shared one: the SIMD128 flags would otherwise invalidate the
// wasm32 artefacts of other wasm builds (the worker) on every switch.
const targetRoot = process.env.CARGO_TARGET_DIR
  ? path.resolve(process.env.CARGO_TARGET_DIR)
  : path.join(repo, "target");
const targetDir = path.join(targetRoot, "retouch-wasm-pkg");
const flagsVar = `CARGO_TARGET_${build.target.toUpperCase().replaceAll("-", "_")}_RUSTFLAGS`;
const heif = config.heif ?? {};
if (!heif.crate || !heif["out-name"]) fail("wasm-pack.toml: [heif] needs crate and out-name");
const modules = [
  { crate: pkg.crate, outName: pkg["out-name"], budget },
  { crate: heif.crate, outName: heif["out-name"], budget: heif },
];

function cargoBuild(crateName) {
  console.log(`build-wasm: cargo build -p ${crateName} --target ${build.target} --profile ${build.profile}`);
  run(
    "cargo",
    ["build", "-p", crateName, "--target", build.target, "--profile", build.profile, "--locked"],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, CARGO_TARGET_DIR: targetDir, [flagsVar]: (build.rustflags ?? []).join(" ") },
    },
  );
  const file = path.join(targetDir, build.target, build.profile, `${crateName.replaceAll("-", "_")}.wasm`);
  if (!fs.existsSync(file)) fail(`cargo did not produce ${file}`);
  return file;
}

/** wasm-bindgen and wasm-opt of one module for every target (targets share the optimised bytes). */
function bindModule(wasmFile, outName) {
  const optimised = new Map(); // sha256 of bindgen output → optimised bytes
  for (const target of build.targets) {
    const dir = path.join(outDir, target);
    console.log(`build-wasm: wasm-bindgen --target ${target} ${outName} → ${path.relative(repo, dir)}`);
    run(wasmBindgen, ["--target", target, "--out-dir", dir, "--out-name", outName, wasmFile]);
    if (!wasmOpt) continue;
    const bg = path.join(dir, `${outName}_bg.wasm`);
    const key = sha256(fs.readFileSync(bg));
    if (!optimised.has(key)) {
      const tmp = `${bg}.opt`;
      console.log(`build-wasm: wasm-opt ${opt.level} ${outName} (${target})`);
      run(wasmOpt, [opt.level ?? "-O3", ...(opt.flags ?? []), bg, "-o", tmp]);
      optimised.set(key, fs.readFileSync(tmp));
      fs.rmSync(tmp);
    }
    fs.writeFileSync(bg, optimised.get(key));
  }
}

const wasmFiles = modules.map((m) => cargoBuild(m.crate));
const outDir = path.join(repo, build["out-dir"]);
const stampFile = path.join(outDir, ".build-stamp");
const scriptsDir = path.dirname(fileURLToPath(import.meta.url));
const stamp = sha256(
  ...wasmFiles.map((f) => fs.readFileSync(f)),
  configText,
  bindgenVersion,
  ...["build.mjs", "tool-types.mjs"].map((f) => fs.readFileSync(path.join(scriptsDir, f))),
);
const upToDate =
  !force &&
  fs.existsSync(stampFile) &&
  fs.readFileSync(stampFile, "utf8") === stamp &&
  build.targets.every((t) => modules.every((m) => fs.existsSync(path.join(outDir, t, `${m.outName}_bg.wasm`))));

if (upToDate) {
  console.log("build-wasm: wasm unchanged, skipping wasm-bindgen and wasm-opt");
} else {
  fs.rmSync(stampFile, { force: true });
  for (const target of build.targets) fs.rmSync(path.join(outDir, target), { recursive: true, force: true });
  modules.forEach((m, i) => bindModule(wasmFiles[i], m.outName));
  // wasm-bindgen's nodejs output is CommonJS; the repository (and the package) are ESM.
  if (build.targets.includes("nodejs")) {
    fs.writeFileSync(path.join(outDir, "nodejs", "package.json"), '{ "type": "commonjs" }\n');
  }
  // The tool-call types, generated from the schema of the module just built.
  const nodeBuild = path.join(outDir, "nodejs", `${pkg["out-name"]}.js`);
  if (!fs.existsSync(nodeBuild)) fail("the nodejs target is needed to generate the tool-call types");
  const declarations = toolTypes(createRequire(import.meta.url)(nodeBuild).toolSchema());
  for (const target of build.targets) {
    fs.appendFileSync(path.join(outDir, target, `${pkg["out-name"]}.d.ts`), `\n${declarations}`);
  }
  fs.writeFileSync(stampFile, stamp);
}

// ---- the npm package folder and sizes --------------------------------------------------------
const npmDir = path.join(repo, build["npm-dir"]);
assemblePackage({ repo, outDir, npmDir, pkg, heifName: heif["out-name"], version, targets: build.targets, scriptsDir });

const over = [];
for (const m of modules) {
  const wasmBytes = fs.readFileSync(path.join(outDir, build.targets[0], `${m.outName}_bg.wasm`));
  const rawKiB = wasmBytes.length / 1024;
  const gzipKiB = zlib.gzipSync(wasmBytes, { level: 9 }).length / 1024;
  const { "raw-kib": rawBudget, "gzip-kib": gzipBudget } = m.budget;
  if (rawBudget && rawKiB > rawBudget) over.push(`${m.outName} raw ${rawKiB.toFixed(0)} > ${rawBudget} KiB`);
  if (gzipBudget && gzipKiB > gzipBudget) over.push(`${m.outName} gzip ${gzipKiB.toFixed(0)} > ${gzipBudget} KiB`);
  console.log(
    `build-wasm: ${m.outName}_bg.wasm ${rawKiB.toFixed(0)} KiB raw (budget ${rawBudget ?? "-"}), ` +
      `${gzipKiB.toFixed(0)} KiB gzip (budget ${gzipBudget ?? "-"})`,
  );
}
console.log(`build-wasm: ${pkg.name}@${version} in ${path.relative(repo, npmDir)}`);
if (over.length) fail(`over the size budget in wasm-pack.toml: ${over.join(", ")}`);
