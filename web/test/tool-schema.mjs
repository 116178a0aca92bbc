// The engine's toolSchema() for unit tests: the snapshot the engine's tests keep equal to it.

import { existsSync, readFileSync } from 'node:fs';

const CANDIDATES = ['../../engine/tests/snapshots/tool-schema.json'];

const found = CANDIDATES.map((p) => new URL(p, import.meta.url)).find((u) => existsSync(u));
if (!found) throw new Error(`the engine's tool-schema.json snapshot is not at ${CANDIDATES.join(' or ')}`);

/** A fresh copy of the engine's tool schema. */
export function toolSchema() {
  return JSON.parse(readFileSync(found, 'utf8'));
}
