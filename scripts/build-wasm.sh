#!/usr/bin/env bash
# Builds the npm package @retouch/engine (engine/wasm) as configured in wasm-pack.toml:
# engine/wasm/pkg/{web,bundler,nodejs}/ and the publishable folder engine/wasm/pkg/npm/.
# Offline; needs cargo with the wasm32-unknown-unknown target, the pinned wasm-bindgen-cli and
# `npm ci` at the root (for wasm-opt). Pass --force to redo wasm-bindgen and wasm-opt.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/wasm/build.mjs "$@"
