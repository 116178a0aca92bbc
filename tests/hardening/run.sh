#!/usr/bin/env bash
# Hardening: attacks, not hope. Called by scripts/test.sh after the wasm package, the worker and the
# page are built (it builds them only when missing). In order:
#   1. fuzz replay (stable `cargo test`): every seed and crash fixture + seeded random mutations;
#   2. fuzz smoke (cargo-fuzz + libFuzzer + AddressSanitizer): FUZZ_SECONDS (default 20) per target;
#   3. the bad-input matrix, native (engine/tests/bad_input_matrix.rs) and through the wasm package;
#   4. the loopback load smoke (tests/load/smoke.test.mjs).
# The worker security tests (tests/worker/security.test.mjs) run in the worker suite and the 60 MP
# page test (tests/e2e/huge-image.test.mjs) in the page suite; HARDENING_ALL=1 runs them here too.
# Long fuzz runs: see engine/fuzz/README.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
[[ -f scripts/env.sh ]] && source scripts/env.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
TARGETS=(decode_pipeline decode_heif tool_calls parse_command)
section() { printf '\n== hardening: %s\n' "$*" >&2; }

section "fuzz replay (stable harness: seeds, regressions, ${FUZZ_REPLAY_ITERS:-3000} mutations per target)"
(cd engine/fuzz && CARGO_TARGET_DIR="$CARGO_TARGET_DIR/fuzz-stable" cargo test --release -q -- --nocapture 2>&1 \
  | grep -v '^\(decode_pipeline\|decode_heif\|tool_calls\|parse_command\): ')

if cargo fuzz --version >/dev/null 2>&1; then
  section "fuzz smoke (libFuzzer, ${FUZZ_SECONDS}s per target)"
  # cargo-fuzz needs nightly -Z flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them.
  export RUSTC_BOOTSTRAP=1
  for t in "${TARGETS[@]}"; do
    log="$(mktemp)"
    status=0
    (cd engine/fuzz && CARGO_TARGET_DIR="$CARGO_TARGET_DIR/fuzz" cargo fuzz run --features libfuzzer "$t" \
      corpus/"$t" -- -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1) \
      >"$log" 2>&1 || status=$?
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')"
    cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)"
    echo "fuzz $t: $runs executions in ${FUZZ_SECONDS}s ($cov), exit $status"
    if [[ $status -ne 0 ]]; then
      tail -60 "$log" >&2
      echo "fuzz $t found a crash: the input is in engine/fuzz/artifacts/$t/; make it a regression fixture" >&2
      rm -f "$log"
      exit 1
    fi
    rm -f "$log"
  done
else
  echo "cargo-fuzz is not installed (scripts/setup.sh installs it): libFuzzer smoke skipped, replay harness ran" >&2
fi

section "bad-input matrix (native pipeline and the retouch CLI batch)"
cargo test -q -p retouch-engine --test bad_input_matrix -- --nocapture --test-threads=1

section "bad-input matrix through the wasm package"
# scripts/test.sh builds the package before this script; build it only when it is missing.
[[ -f engine/wasm/pkg/npm/node/index.mjs ]] || bash scripts/build-wasm.sh >/dev/null
node --test tests/wasm/bad-input.test.mjs

section "load smoke (loopback worker)"
[[ -f worker/build/worker/shim.mjs ]] || bash scripts/build-worker.sh >/dev/null
node --test tests/load/smoke.test.mjs

if [[ "${HARDENING_ALL:-0}" == 1 ]]; then
  section "worker security and the 60 MP page test"
  node --test --test-concurrency=1 tests/worker/security.test.mjs
  bash scripts/build-web.sh >/dev/null
  node --test tests/e2e/huge-image.test.mjs
fi
