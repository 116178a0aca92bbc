#!/usr/bin/env bash
# Tests of the npm package @retouch/engine: builds it if needed (incremental), then runs the Node
# test runner over tests/wasm/*.test.mjs — API, malformed input, the engine's bad-input matrix,
# native parity, npm pack + install + TypeScript, and a module Web Worker in headless Chromium
# (skipped when /usr/bin/chromium is absent). Extra arguments go to `node --test` (e.g. --test-name-pattern=cancel).
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
bash scripts/build-wasm.sh
tests=(tests/wasm/api.test.mjs tests/wasm/errors.test.mjs tests/wasm/bad-input.test.mjs tests/wasm/native.test.mjs tests/wasm/pack.test.mjs)
if [[ -x "${CHROMIUM:-/usr/bin/chromium}" ]]; then
  tests+=(tests/wasm/browser.test.mjs)
else
  echo "tests/wasm: no Chromium at ${CHROMIUM:-/usr/bin/chromium}; skipping the browser test" >&2
fi
exec node --test --test-concurrency=1 "$@" "${tests[@]}"
