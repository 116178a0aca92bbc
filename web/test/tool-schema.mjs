// The engine's toolSchema() for unit tests: the snapshot the engine's tests keep equal to it
// (`tool-schema.json`, wherever the engine's crates keep their snapshots).

import { readdirSync, readFileSync } from 'node:fs';

const ENGINE = new URL('../../engine/', import.meta.url);
const SKIP = new Set(['target', 'node_modules', 'pkg', '.git']);

/** Paths under `dir` (relative, `/`-separated) of files named `name` in a `snapshots` folder. */
function snapshots(dir, name, rel = '') {
  return readdirSync(new URL(rel, dir), { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : snapshots(dir, name, `${rel}${e.name}/`);
    return e.name === name && rel.endsWith('snapshots/') ? [`${rel}${e.name}`] : [];
  });
}

const found = snapshots(ENGINE, 'tool-schema.json');
if (found.length !== 1) throw new Error(`expected one tool-schema.json snapshot under engine/, found ${found.length}: ${found.join(', ')}`);

/** A fresh copy of the engine's tool schema. */
export function toolSchema() {
  return JSON.parse(readFileSync(new URL(found[0], ENGINE), 'utf8'));
}
