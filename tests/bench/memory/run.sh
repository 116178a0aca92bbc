#!/usr/bin/env bash
# The memory benchmark (issue 9, "huge photos in little memory"): peak memory and time of the native
# CLI and of the wasm build on huge inputs, as a Markdown table with the ratio to each target.
# A benchmark, not a test: nothing asserts its numbers. See tests/bench/README.md.
#
# Usage: tests/bench/memory/run.sh [--no-build] [--png] [--runs N] [--cli PATH] [--pkg DIR] [--images DIR]
#   --no-build   use the CLI and the wasm package as they are (default: build both first)
#   --png        also run the 100 MP PNG (slow to generate: a ~200 MB file)
#   --runs N     timed runs of the wasm workloads per process (median; default 3)
#   --cli PATH   the native `retouch` binary (default: $CARGO_TARGET_DIR/release/retouch)
#   --pkg DIR    the Node build of the package (default: engine/wasm/pkg/nodejs)
#   --images DIR where the large inputs are kept or made (default: bench-images at the repository root)
# --cli and --pkg measure another build side by side, e.g. one of main before a change.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source scripts/env.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

build=1 png=0 runs=3 cli="" pkg="engine/wasm/pkg/nodejs" images="bench-images"
while [[ $# -gt 0 ]]; do
  case $1 in
    --no-build) build=0 ;;
    --png) png=1 ;;
    --runs) runs=$2; shift ;;
    --cli) cli=$2; shift ;;
    --pkg) pkg=$2; shift ;;
    --images) images=$2; shift ;;
    *) echo "memory bench: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
cli=${cli:-$CARGO_TARGET_DIR/release/retouch}

if [[ ! -x /usr/bin/time ]]; then
  echo "memory bench: installing GNU time (for peak RSS)" >&2
  apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
if [[ $build == 1 ]]; then
  step "building the wasm package and the native CLI"
  bash scripts/build-wasm.sh >&2
  cargo build --release --locked -p retouch-cli >&2
fi

step "inputs in $images"
shared="$RETOUCH_SHARED/images"
if [[ ! -d $shared ]]; then # a git worktree: ../shared is next to the main checkout
  shared="$(dirname "$(git rev-parse --path-format=absolute --git-common-dir)")/../shared/images"
fi
mkdir -p "$images"
bash "$shared/get-large.sh" "$images" >/dev/null
# Generated inputs (Debian's python3-pil; RETOUCH_PYTHON picks another python): the photo as a baseline JPEG, and a 100 MP (12000 × 8333) baseline
# JPEG — the engine's pixel limit — upscaled from it; optionally the same 100 MP as a PNG.
"${RETOUCH_PYTHON:-/usr/bin/python3}" - "$images" "$png" <<'PY'
import os, sys
from PIL import Image
Image.MAX_IMAGE_PIXELS = None
d, png = sys.argv[1], sys.argv[2] == "1"
src = os.path.join(d, "Elephants_5640x3172.jpg")
def make(name, build):
    path = os.path.join(d, name)
    if not os.path.exists(path):
        print(f"making {path}", file=sys.stderr)
        build(path + ".tmp")
        os.replace(path + ".tmp", path)
make("Elephants-baseline.jpg", lambda p: Image.open(src).save(p, "JPEG", quality=90))
huge = lambda: Image.open(src).convert("RGB").resize((12000, 8333), Image.BILINEAR)
make("huge-100mp.jpg", lambda p: huge().save(p, "JPEG", quality=85))
if png:
    make("huge-100mp.png", lambda p: huge().save(p, "PNG", compress_level=1))
PY

step "running (one process per workload and build)"
node tests/bench/memory/run.mjs --cli "$cli" --pkg "$pkg" --images "$images" --runs "$runs" --png "$png"
