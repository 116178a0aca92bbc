#!/usr/bin/env bash
# The side-by-side benchmark of @retouch/engine (tests/bench/): builds the package and the native
# CLI, installs the peer libraries (tests/bench/package.json), fetches the 17.9 MP photo, and
# prints a Markdown table of medians, peak memory, output bytes and ratios. Takes several minutes.
# Extra arguments go to tests/bench/run.mjs (e.g. --workloads W1,W5 --libs retouch,sharp).
# `--compression [ARGS]` runs the compression benchmark instead (tests/bench/compression/run.sh).
# `--memory [options]` runs the memory benchmark instead (tests/bench/memory/run.sh; options there).
# `--heic [ARGS]` runs the HEIC decoding benchmark instead (tests/bench/heic.mjs; ARGS there).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${1:-} == --memory ]]; then
  shift
  exec bash tests/bench/memory/run.sh "$@"
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
if [[ ${1:-} == --compression ]]; then
  shift
  exec bash tests/bench/compression/run.sh "$@"
fi
if [[ ${1:-} == --heic ]]; then
  shift
  # Measures the built package as it is (builds it only when missing: run build-wasm.sh to measure a change).
  [[ -f engine/wasm/pkg/npm/node/retouch_heif.js ]] || bash scripts/build-wasm.sh
  [[ -d tests/bench/node_modules/libheif-js ]] || (cd tests/bench && npm ci --no-audit --no-fund --loglevel=error)
  exec node tests/bench/heic.mjs "$@"
fi

# The shared photos: ../shared next to this checkout, or next to the main one for a git worktree.
shared="$PWD/../shared/images"
if [[ ! -d $shared ]]; then
  shared="$(dirname "$(git rev-parse --path-format=absolute --git-common-dir)")/../shared/images"
fi
[[ -f $shared/get-large.sh ]] || { echo "bench: no shared images at $shared" >&2; exit 1; }

if [[ ! -x /usr/bin/time ]]; then
  echo "bench: installing GNU time (for peak memory)" >&2
  apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
bash scripts/build-wasm.sh
cargo build --release --locked -p retouch-cli
(cd tests/bench && npm ci --no-audit --no-fund --loglevel=error)
bash "$shared/get-large.sh" bench-images >/dev/null
node tests/bench/run.mjs --images "$(cd "$shared" && pwd)" "$@"
