#!/usr/bin/env bash
# WebP encoder comparison, native and wasm32 (Node 22): libwebp (retouch-webp) at methods 2/3/4
# against vaam-image-webp, q80. A benchmark, not a test: run it by hand on a quiet machine.
#   tests/bench/webp/run.sh [IMAGE...]   (default: LadyBird.jpg and the 17.9 MP Elephants photo)
# Outputs land in $CARGO_TARGET_DIR/webp-bench/out and are checked with dwebp when it is installed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../../scripts/env.sh"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
here="$ROOT/tests/bench/webp"
work="$CARGO_TARGET_DIR/webp-bench"
if [[ $# -eq 0 ]]; then
  "$RETOUCH_SHARED/images/get-large.sh" "$RETOUCH_SHARED/../bench-images" >/dev/null
  set -- "$RETOUCH_SHARED/images/LadyBird.jpg" "$RETOUCH_SHARED/../bench-images/Elephants_5640x3172.jpg"
fi

step "native"
cargo run -q --release -p retouch-webp --example webp_compare -- "$work/out" "$@"

step "wasm32 (Node $(node --version))"
(cd "$here/harness" && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128" \
  cargo build -q --release --target wasm32-unknown-unknown)
wasm-bindgen --target nodejs --out-dir "$work/pkg" \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/webp_bench_harness.wasm"
node "$here/compare.mjs" "$work/pkg" "$work/out" "$@"

if command -v dwebp >/dev/null; then
  step "dwebp check"
  for f in "$work"/out/*.webp; do dwebp -quiet "$f" -o /dev/null || { echo "dwebp failed: $f"; exit 1; }; done
  echo "all $(ls "$work"/out/*.webp | wc -l) outputs decode with dwebp"
fi
