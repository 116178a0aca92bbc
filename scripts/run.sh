#!/usr/bin/env bash
# Runs the whole product locally: the engine built to wasm, the page, and the worker on local
# workerd with local R2, D1 and Durable Objects. Prints the URL; Ctrl-C stops it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
PORT=${PORT:-8787}

bash scripts/setup.sh
step "building the engine (wasm)"; bash scripts/build-wasm.sh
step "building the page"; bash scripts/build-web.sh
step "building the worker"; bash scripts/build-worker.sh
step "starting Retouch on http://127.0.0.1:$PORT"
exec node tests/support/worker.mjs --port "$PORT" --persist-to "$ROOT/.cache/local-state"
