#!/usr/bin/env bash
# Builds the Cloudflare Worker (worker/build/) with worker-build, using the machine's own
# wasm-bindgen, wasm-opt and esbuild (nothing is downloaded). Idempotent: skips the build when
# nothing under worker/ or engine/ changed since the last one (FORCE=1 rebuilds).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/worker"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export WASM_BINDGEN_BIN="${WASM_BINDGEN_BIN:-$HOME/.cargo/bin/wasm-bindgen}"
export WASM_OPT_BIN="${WASM_OPT_BIN:-$ROOT/node_modules/.bin/wasm-opt}"
export ESBUILD_BIN="${ESBUILD_BIN:-$ROOT/node_modules/@esbuild/linux-x64/bin/esbuild}"
WORKER_BUILD="${WORKER_BUILD:-$HOME/.cargo/bin/worker-build}"

for tool in "$WORKER_BUILD" "$WASM_BINDGEN_BIN" "$WASM_OPT_BIN" "$ESBUILD_BIN"; do
  [[ -x "$tool" ]] || { echo "build-worker: missing $tool (see scripts/setup.sh)" >&2; exit 1; }
done

stamp="build/.inputs"
inputs="$(cd "$ROOT" && find worker/src worker/Cargo.toml worker/openapi.json engine/src engine/Cargo.toml Cargo.lock \
  -type f -newer "worker/$stamp" 2>/dev/null | head -1 || true)"
if [[ "${FORCE:-0}" != 1 && -f "$stamp" && -f build/worker/shim.mjs && -z "$inputs" ]]; then
  echo "build-worker: up to date (worker/build)"
  exit 0
fi

# The stamp is taken before building, so a file changed during the build makes the next run rebuild.
mkdir -p build
touch build/.inputs.new
"$WORKER_BUILD" --release
mv build/.inputs.new "$stamp"
ls -l build/worker/*.wasm 2>/dev/null || ls -l build/*.wasm build/worker 2>/dev/null || true
