#!/usr/bin/env bash
# Builds the editor page into web/dist/ (served by the worker as static assets).
# No bundler: the page is plain ES modules. Copies web/src/ and the npm package's web build
# (engine/wasm/pkg/npm/web/, from scripts/build-wasm.sh: its index.js entry, the engine's glue and
# wasm, the HEIF module's) into web/dist/assets/<hash of the engine>/, with engine/index.js
# re-exporting the entry and engine/wasm-url.js naming the engine's .wasm file, and writes
# web/dist/sw.js: the files to precache, the files to cache when first fetched (the HEIF module:
# only people who open a HEIC photo download it) and the build's version, then web/src/sw.js.
#   scripts/build-web.sh            # build (fails if the wasm build is missing)
#   RETOUCH_ENGINE_DIR=dir scripts/build-web.sh   # take the engine from elsewhere
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/web/src"
dist="$root/web/dist"
engine="${RETOUCH_ENGINE_DIR:-$root/engine/wasm/pkg/npm/web}"

# The wasm-bindgen glue is NAME.js beside NAME_bg.wasm (the crate's name decides NAME); the HEIF
# module's name ends in _heif.
wasm="$(ls "$engine"/*_bg.wasm 2>/dev/null | grep -v '_heif_bg\.wasm$' | head -n 1 || true)"
name="$(basename "${wasm%_bg.wasm}")"
if [[ -z "$wasm" || ! -f "$engine/$name.js" || ! -f "$engine/index.js" ]]; then
  echo "build-web: the engine's web build is missing in $engine (run scripts/build-wasm.sh first)" >&2
  exit 1
fi

rm -rf "$dist"
mkdir -p "$dist/engine"
cp -R "$src/." "$dist/"
rm "$dist/sw.js"
# The engine under a name that changes with its bytes (assets/<hash>/), so it can be cached for
# good (web/src/_headers: immutable); the glue finds its .wasm beside itself.
ehash="$(cat "$engine"/*.js "$engine"/*_bg.wasm | sha256sum | cut -c1-16)"
mkdir -p "$dist/assets/$ehash"
cp "$engine"/*.js "$engine"/*_bg.wasm "$dist/assets/$ehash/"
cp "$engine"/*.d.ts "$dist/assets/$ehash/" 2>/dev/null || true
# Stable names for the page, whatever the crate is called.
cat > "$dist/engine/index.js" <<JS
export { default } from '../assets/$ehash/index.js';
export * from '../assets/$ehash/index.js';
JS
cat > "$dist/engine/wasm-url.js" <<JS
export const wasmUrl = new URL('../assets/$ehash/${name}_bg.wasm', import.meta.url);
JS

# The service worker precaches every file the page needs but the HEIF module, which it caches
# when first fetched (not itself, the headers file or type declarations); the version is a hash
# of all of them, so any change makes a new sw.js.
all="$(cd "$dist" && find . -type f ! -name sw.js ! -name _headers ! -name '*.d.ts' | sed 's|^\./||' | LC_ALL=C sort)"
files="$(printf '%s\n' "$all" | grep -v '_heif' || true)"
lazy="$(printf '%s\n' "$all" | grep '_heif' || true)"
version="$(cd "$dist" && printf '%s\n' "$all" | tr '\n' '\0' | xargs -0 sha256sum | sha256sum | cut -c1-16)"
json_list() { [[ -z "$1" ]] || printf '%s\n' "$1" | sed 's/.*/"&"/' | paste -sd, - | tr -d '\n'; }
{
  printf 'self.RETOUCH_BUILD = {"version":"%s","files":[%s],"lazy":[%s]};\n' \
    "$version" "$(json_list "$files")" "$(json_list "$lazy")"
  cat "$src/sw.js"
} > "$dist/sw.js"
echo "build-web: $(find "$dist" -type f | wc -l) files in web/dist ($(du -sh "$dist" | cut -f1)), engine $name, version $version ($(printf '%s\n' "$files" | wc -l) files precached, $(printf '%s' "$lazy" | grep -c . || true) on first use)"
