#!/usr/bin/env bash
# The page's tests: unit tests (zip writer, step descriptions) under Node, then the end-to-end
# suite in Debian's headless Chromium against the whole product (worker on workerd serving web/dist).
# Assumes the wasm package (scripts/build-wasm.sh) and the worker (scripts/build-worker.sh) are built.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
[[ -f scripts/env.sh ]] && source scripts/env.sh
bash scripts/build-web.sh
mkdir -p test-output/screenshots
node --test web/test/*.test.mjs
node --test --test-concurrency=1 tests/e2e/*.test.mjs
