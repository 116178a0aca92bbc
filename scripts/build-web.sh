#!/usr/bin/env bash
# Builds the editor page into web/dist/ (served by the worker as static assets).
# No bundler: the page is plain ES modules. Copies web/src/ and the engine's wasm web build
# (engine/wasm/pkg/web/, from scripts/build-wasm.sh) into web/dist/engine/.
#   scripts/build-web.sh            # build (fails if the wasm build is missing)
#   RETOUCH_ENGINE_DIR=dir scripts/build-web.sh   # take the engine from elsewhere
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/web/src"
dist="$root/web/dist"
engine="${RETOUCH_ENGINE_DIR:-$root/engine/wasm/pkg/web}"

if [[ ! -f "$engine/retouch_wasm.js" || ! -f "$engine/retouch_wasm_bg.wasm" ]]; then
  echo "build-web: the engine's web build is missing in $engine (run scripts/build-wasm.sh first)" >&2
  exit 1
fi

rm -rf "$dist"
mkdir -p "$dist/engine"
cp -R "$src/." "$dist/"
cp "$engine/retouch_wasm.js" "$engine/retouch_wasm_bg.wasm" "$dist/engine/"
# Type declarations help editors; harmless to serve.
cp "$engine"/*.d.ts "$dist/engine/" 2>/dev/null || true
echo "build-web: $(find "$dist" -type f | wc -l) files in web/dist ($(du -sh "$dist" | cut -f1))"
