#!/usr/bin/env bash
# Compression benchmark: bytes at equal SSIMULACRA2, our JPEG and WebP encoders against sharp's
# (libjpeg-turbo, mozjpeg, libwebp effort 4), quality 50-90 on the shared photos. See ../README.md.
#   tests/bench/compression/run.sh [--max-side PX] [--qualities 50,60,70,80,90] [--wasm-speed] [PHOTO...]
# Defaults: every shared photo (the EXIF-rotated copy of Storm left out) scaled to fit 1024 px.
# --wasm-speed also times the JPEG settings in wasm32 under Node (harness/, wasm-speed.mjs).
# ENCODERS=all adds the slow reference settings (mozjpeg-rs max compression, libwebp method 6).
# Prints Markdown tables; work files (outputs, scores.tsv, times.tsv) stay in
# $CARGO_TARGET_DIR/compression-bench. Several minutes: SSIMULACRA2 is the slow part.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../../scripts/env.sh"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
here="$ROOT/tests/bench/compression"
work="$CARGO_TARGET_DIR/compression-bench"
max_side=1024
qualities=50,60,70,80,90
photos=()
wasm_speed=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --max-side) max_side=$2; shift 2 ;;
    --qualities) qualities=$2; shift 2 ;;
    --wasm-speed) wasm_speed=1; shift ;;
    *) photos+=("$1"); shift ;;
  esac
done
if [[ ${#photos[@]} -eq 0 ]]; then
  for f in "$RETOUCH_SHARED"/images/*.jpg; do
    [[ $f == *exif-orientation* ]] || photos+=("$f")
  done
fi

step "build"
cargo build -q --release --manifest-path "$here/Cargo.toml"
bench="$CARGO_TARGET_DIR/release/compression-bench"
[[ -d $ROOT/tests/bench/node_modules/sharp ]] ||
  (cd "$ROOT/tests/bench" && npm ci --no-audit --no-fund --loglevel=error)

rm -rf "$work" && mkdir -p "$work"
step "reference frames (fit ${max_side} px)"
"$bench" prepare "$work" "$max_side" "${photos[@]}"
step "encode: ours (native, one at a time)"
"$bench" encode "$work" "$qualities"
step "encode: sharp $(node -p 'require(process.argv[1]).version' "$ROOT/tests/bench/node_modules/sharp/package.json")"
VIPS_CONCURRENCY=1 node "$here/sharp.mjs" "$work" "$qualities"
step "SSIMULACRA2 of every output (decoded by our decoder)"
"$bench" score "$work"
step "the same outputs decoded by Pillow"
"${RETOUCH_PYTHON:-/usr/bin/python3}" "$here/pillow_check.py" "$work"
step "table"
"$bench" table "$work" | tee "$work/table.md"

if [[ $wasm_speed == 1 ]]; then
  step "JPEG encode speed in wasm32 (Node $(node --version)), q80, full-size photos"
  (cd "$here/harness" && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128" \
    cargo build -q --release --target wasm32-unknown-unknown)
  wasm-bindgen --target nodejs --out-dir "$work/harness-pkg" \
    "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/compression_bench_harness.wasm"
  node "$here/wasm-speed.mjs" "$work/harness-pkg" 5 "$RETOUCH_SHARED/images/LadyBird.jpg" \
    "$RETOUCH_SHARED/images/Elephants_3840x2160.jpg" | tee -a "$work/table.md"
fi
