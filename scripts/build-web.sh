#!/usr/bin/env bash
# Builds the editor page into web/dist/ (served by the worker as static assets).
# No bundler: the page is plain ES modules. Copies web/src/ and the engine's wasm web build
# (engine/wasm/pkg/web/, from scripts/build-wasm.sh) into web/dist/engine/, with engine/index.js
# re-exporting the glue and engine/wasm-url.js naming the .wasm file.
#   scripts/build-web.sh            # build (fails if the wasm build is missing)
#   RETOUCH_ENGINE_DIR=dir scripts/build-web.sh   # take the engine from elsewhere
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/web/src"
dist="$root/web/dist"
engine="${RETOUCH_ENGINE_DIR:-$root/engine/wasm/pkg/web}"

# The wasm-bindgen glue is NAME.js beside NAME_bg.wasm (the crate's name decides NAME).
wasm="$(ls "$engine"/*_bg.wasm 2>/dev/null | head -n 1 || true)"
name="$(basename "${wasm%_bg.wasm}")"
if [[ -z "$wasm" || ! -f "$engine/$name.js" ]]; then
  echo "build-web: the engine's web build is missing in $engine (run scripts/build-wasm.sh first)" >&2
  exit 1
fi

rm -rf "$dist"
mkdir -p "$dist/engine"
cp -R "$src/." "$dist/"
cp "$engine/$name.js" "$engine/${name}_bg.wasm" "$dist/engine/"
cp "$engine"/*.d.ts "$dist/engine/" 2>/dev/null || true
# Stable names for the page, whatever the crate is called.
cat > "$dist/engine/index.js" <<JS
export { default } from './$name.js';
export * from './$name.js';
JS
cat > "$dist/engine/wasm-url.js" <<JS
export const wasmUrl = new URL('./${name}_bg.wasm', import.meta.url);
JS
echo "build-web: $(find "$dist" -type f | wc -l) files in web/dist ($(du -sh "$dist" | cut -f1)), engine $name"
