#!/usr/bin/env bash
# Tests for the engine's crates (contract, parser, engine, CLI): `cargo test` (unit, integration,
# doc tests). Formatting and lints of every crate are tests/lint/run.sh.
# Assumes the Rust toolchain is installed; exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

cargo test -p retouch-contract -p retouch-parse -p retouch-heif -p retouch-engine -p retouch-cli
