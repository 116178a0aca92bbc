#!/usr/bin/env bash
# Tests for the engine crate: formatting, lints, and `cargo test` (unit, integration, doc tests).
# Assumes the Rust toolchain is installed; exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

cargo fmt -p retouch-engine --check
cargo clippy -p retouch-engine --all-targets -- -D warnings
cargo test -p retouch-engine
