#!/usr/bin/env bash
# Builds the editor page into web/dist/ (served by the worker as static assets).
# No bundler: the page is plain ES modules. Copies web/src/ and the engine's wasm web build
# (engine/wasm/pkg/web/, from scripts/build-wasm.sh) into web/dist/assets/<hash of the engine>/,
# with engine/index.js re-exporting the glue and engine/wasm-url.js naming the .wasm file, and
# writes web/dist/sw.js: the list of files to precache and the build's version, then web/src/sw.js.
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
rm "$dist/sw.js"
# The engine under a name that changes with its bytes (assets/<hash>/), so it can be cached for
# good (web/src/_headers: immutable); the glue finds its .wasm beside itself.
ehash="$(cat "$engine/$name.js" "$engine/${name}_bg.wasm" | sha256sum | cut -c1-16)"
mkdir -p "$dist/assets/$ehash"
cp "$engine/$name.js" "$engine/${name}_bg.wasm" "$dist/assets/$ehash/"
cp "$engine"/*.d.ts "$dist/assets/$ehash/" 2>/dev/null || true
# Stable names for the page, whatever the crate is called.
cat > "$dist/engine/index.js" <<JS
export { default } from '../assets/$ehash/$name.js';
export * from '../assets/$ehash/$name.js';
JS
cat > "$dist/engine/wasm-url.js" <<JS
export const wasmUrl = new URL('../assets/$ehash/${name}_bg.wasm', import.meta.url);
JS

# The service worker precaches every file the page needs (not itself, the headers file or type
# declarations); its version is a hash of their contents, so any change makes a new sw.js.
files="$(cd "$dist" && find . -type f ! -name sw.js ! -name _headers ! -name '*.d.ts' | sed 's|^\./||' | LC_ALL=C sort)"
version="$(cd "$dist" && printf '%s\n' "$files" | tr '\n' '\0' | xargs -0 sha256sum | sha256sum | cut -c1-16)"
{
  printf 'self.RETOUCH_BUILD = {"version":"%s","files":[' "$version"
  printf '%s\n' "$files" | sed 's/.*/"&"/' | paste -sd, - | tr -d '\n'
  printf ']};\n'
  cat "$src/sw.js"
} > "$dist/sw.js"
echo "build-web: $(find "$dist" -type f | wc -l) files in web/dist ($(du -sh "$dist" | cut -f1)), engine $name, version $version ($(printf '%s\n' "$files" | wc -l) files precached)"
