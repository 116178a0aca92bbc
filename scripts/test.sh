#!/usr/bin/env bash
# Runs every test: installs what is missing, builds the engine (native and wasm), the worker and
# the page, then runs each area's suite against the real parts (workerd, Chromium, real photos).
# Every suite runs even when an earlier one fails; the exit code is non-zero if any failed.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

bash scripts/setup.sh || { echo "setup failed" >&2; exit 1; }

passed=() failed=()
suite() { # suite NAME COMMAND...
  local name=$1; shift
  step "$name"
  local t0=$SECONDS
  if "$@"; then passed+=("$name"); else failed+=("$name"); fi
  printf '%s: %ss\n' "$name" $((SECONDS - t0)) >&2
}
build() { # a build that the following suites need: stop here if it fails
  step "$1"; shift
  "$@" || { echo "build failed: $*" >&2; exit 1; }
}

suite "lints (fmt, clippy on every crate, native and wasm32)" bash tests/lint/run.sh
suite "engine (unit, golden, property, CLI)" bash tests/engine/run.sh
suite "command parser evaluation on real requests" \
  cargo run -q -p retouch-parse --example parser_eval -- --gate "$RETOUCH_SHARED/data/edit-requests-dev.jsonl"
build "wasm package" bash scripts/build-wasm.sh
suite "wasm package (Node, npm pack, TypeScript, Chromium worker)" bash tests/wasm/run.sh
build "worker" bash scripts/build-worker.sh
suite "worker (real workerd, loopback LLM)" bash tests/worker/run.sh
build "page" bash scripts/build-web.sh
suite "page end to end (Chromium against the whole product)" bash tests/e2e/run.sh
if [[ -f tests/hardening/run.sh ]]; then
  suite "hardening (fuzz smoke, bad-input matrix, security, load)" bash tests/hardening/run.sh
fi

step "summary"
for s in "${passed[@]}"; do echo "  ok    $s"; done
for s in "${failed[@]}"; do echo "  FAIL  $s"; done
echo "suites: ${#passed[@]} passed, ${#failed[@]} failed"
[[ ${#failed[@]} -eq 0 ]]
