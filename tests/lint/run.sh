#!/usr/bin/env bash
# Formatting and lints on every crate, for every target it is built for:
#   - `cargo fmt --check` on the workspace and on the fuzz workspace;
#   - clippy (-D warnings, all targets) on the native workspace: engine, webp, wasm binding, worker;
#   - clippy for wasm32 on the crates that ship as wasm: the worker (its `app` module exists only
#     there), the wasm binding and the webp codec;
#   - clippy on the fuzz targets' stable harness.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

echo "fmt: workspace and fuzz workspace"
cargo fmt --all --check
(cd engine/fuzz && cargo fmt --check)

echo "clippy: native workspace"
cargo clippy --workspace --all-targets -- -D warnings

echo "clippy: wasm32 (worker, wasm bindings, webp, heif)"
cargo clippy -p retouch-worker -p retouch-wasm -p retouch-webp -p retouch-heif -p retouch-heif-wasm --target wasm32-unknown-unknown -- -D warnings

echo "clippy: fuzz harness"
(cd engine/fuzz && CARGO_TARGET_DIR="$CARGO_TARGET_DIR/fuzz-stable" cargo clippy --all-targets -- -D warnings)
