#!/usr/bin/env bash
# Installs everything the product and its tests need, skipping what is already there.
# Safe to run again; the run and test commands call it first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup: wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  # --locked can fail on a lagging registry dependency; the unlocked build works the same.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked \
    || cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [[ "$(worker-build --version 2>/dev/null)" != *"$WORKER_BUILD_VERSION"* ]]; then
  step "cargo install worker-build $WORKER_BUILD_VERSION (about 4 minutes)"
  cargo install --locked worker-build --version "$WORKER_BUILD_VERSION"
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  step "cargo install cargo-fuzz 0.13.2 (about 1 CPU-minute; the hardening fuzz smoke runs)"
  cargo install --locked cargo-fuzz --version 0.13.2
fi

# npm ci only when node_modules lacks a package of the lockfile at its version (read from the
# packages, not from file times: a rebase that rewrites package-lock.json must not wipe them). A
# linked node_modules (a git worktree sharing another checkout's) is never wiped: npm ci would
# empty the folder it points to under every other user of it; it says what is missing instead.
missing="$(node -e '
const fs = require("fs");
const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
const out = [];
for (const [p, v] of Object.entries(lock.packages ?? {})) {
  if (!p || v.optional || v.link) continue;
  try { if (JSON.parse(fs.readFileSync(`${p}/package.json`, "utf8")).version !== v.version) out.push(p); } catch { out.push(p); }
}
console.log(out.join(" "));
')"
if [[ -n "$missing" ]]; then
  if [[ -L node_modules ]]; then
    echo "setup: node_modules links to $(readlink -f node_modules), which lacks: ${missing:0:400}" >&2
    echo "setup: install them there (npm ci in that checkout); not wiping a shared folder" >&2
    exit 1
  fi
  step "npm ci (wrangler, Node 22, binaryen, playwright-core, puppeteer-core, axe-core, typescript, happy-dom)"
  npm ci --no-audit --no-fund
fi

if [[ ! -x /usr/bin/chromium ]]; then
  step "apt-get install chromium (Debian's; no browser is downloaded)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if [[ ! -x /usr/bin/firefox-esr ]]; then
  step "apt-get install firefox-esr (Debian's; the second browser engine of the e2e suite, driven over WebDriver BiDi)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr >/dev/null
fi

# C for wasm32 (libwebp, built by crate libwebp-sys; flags in .cargo/config.toml): clang, llvm-ar,
# wasi-libc's headers, and Emscripten's SSE2-on-SIMD128 headers (2 files, MIT) taken from Debian's
# emscripten package without installing it (800 MB): libwebp's SSE2 kernels then build as SIMD128.
if ! command -v clang >/dev/null || ! command -v llvm-ar >/dev/null || [[ ! -f /usr/include/wasm32-wasi/stdlib.h ]]; then
  step "apt-get install clang llvm wasi-libc (C compiler for libwebp in wasm32)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang llvm wasi-libc >/dev/null
fi
if [[ ! -f /usr/local/include/wasm-sse2/emmintrin.h ]]; then
  step "Emscripten's SSE2 headers for wasm32 → /usr/local/include/wasm-sse2"
  tmp=$(mktemp -d)
  (cd "$tmp" && { apt-get download emscripten 2>/dev/null || { apt-get update -qq && apt-get download emscripten; }; })
  dpkg-deb --fsys-tarfile "$tmp"/emscripten_*.deb | tar -x -C "$tmp" \
    ./usr/share/emscripten/system/include/compat/xmmintrin.h ./usr/share/emscripten/system/include/compat/emmintrin.h
  mkdir -p /usr/local/include/wasm-sse2
  cp "$tmp"/usr/share/emscripten/system/include/compat/{xmmintrin,emmintrin}.h /usr/local/include/wasm-sse2/
  rm -rf "$tmp"
fi

# Independent readers for the photo tests: exiftool (metadata) and Pillow/littleCMS (colour).
if ! command -v exiftool >/dev/null || ! /usr/bin/python3 -c 'from PIL import ImageCms' 2>/dev/null; then
  step "apt-get install libimage-exiftool-perl python3-pil (photo tests' independent readers)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libimage-exiftool-perl python3-pil >/dev/null
fi

# pillow-heif (libheif): the independent HEIC reader the engine's HEIC tests compare against, in a
# project-local venv (Debian's python refuses pip installs; the wheels bundle libheif).
if ! "$ROOT/.cache/heif-venv/bin/python" -c 'import pillow_heif' 2>/dev/null; then
  step "pip install pillow pillow-heif into .cache/heif-venv (HEIC tests' independent reader)"
  python3 -m venv "$ROOT/.cache/heif-venv"
  "$ROOT/.cache/heif-venv/bin/pip" install -q --disable-pip-version-check 'pillow==13.0.0' 'pillow-heif==1.9.0'
fi

# moto's S3 server and botocore: the worker's presigned-URL test talks to a real S3 API on loopback.
if ! python3 -c 'import moto.server, botocore' 2>/dev/null; then
  step "pip install moto[server] (a local S3-compatible server for tests)"
  python3 -m pip install -q --disable-pip-version-check 'moto[server]==5.*'
fi
