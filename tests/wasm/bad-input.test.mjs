// The bad-input matrix (engine/tests/bad_input_matrix.rs) through the npm package: every input
// gives a result or a clean `RetouchError` whose `kind` its class allows — never a wasm trap,
// never a bare exception — bombs are refused without growing memory, and after the whole matrix
// (one long batch in one module instance) a good photo still processes.
//
// The matrix files come from the Rust test, which exports them; if they are missing, that test is
// run here first (`cargo test -p retouch-engine --test bad_input_matrix`).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { engine, image, repo } from './helpers.mjs';

function matrixDir() {
  const target = process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target');
  const dir = path.join(target, 'tmp/bad-input-matrix');
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    execFileSync('cargo', ['test', '-q', '-p', 'retouch-engine', '--test', 'bad_input_matrix'], { cwd: repo, stdio: 'inherit' });
  }
  return dir;
}

const dir = matrixDir();
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const calls = [{ tool: 'resize', params: { width: 16 } }, { tool: 'rotate', params: { degrees: 90 } }];
const KINDS = ['decode', 'limits', 'invalid_params', 'unsupported', 'encode', 'cancelled', 'needs_generative', 'target_unreachable'];

/** `{ok}` or `{kind}`; anything that is not a RetouchError is returned as `{broken}`. */
function run(bytes, name) {
  try {
    const out = engine.process(bytes, calls, null, null, { name });
    const back = engine.inspect(out.bytes);
    assert.deepEqual([back.width, back.height], [out.width, out.height], `${name}: output size`);
    return { ok: true };
  } catch (e) {
    if (e?.name === 'RetouchError' && KINDS.includes(e.kind) && typeof e.message === 'string' && e.message.length > 0) {
      return { kind: e.kind };
    }
    return { broken: `${e?.constructor?.name}: ${e?.message ?? e}` };
  }
}

test('the whole matrix in one instance: results or clean errors, no trap; the batch goes on', () => {
  const perClass = {};
  const problems = [];
  let bombGrowth = 0;
  for (const entry of manifest) {
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, entry.file)));
    const rssBefore = process.memoryUsage().rss;
    const r = run(bytes, entry.name);
    if (entry.class === 'bomb') bombGrowth = Math.max(bombGrowth, process.memoryUsage().rss - rssBefore);
    const c = (perClass[entry.class] ??= { inputs: 0, ok: 0, decode: 0, limits: 0 });
    c.inputs++;
    if (r.broken) {
      problems.push(`${entry.name}: ${r.broken}`);
      continue;
    }
    const got = r.ok ? 'ok' : r.kind;
    c[got] = (c[got] ?? 0) + 1;
    if (!entry.expect.split('|').includes(got)) problems.push(`${entry.name}: expected ${entry.expect}, got ${got}`);
  }
  console.log(`wasm bad-input matrix: ${manifest.length} inputs`);
  for (const [cls, c] of Object.entries(perClass)) console.log(`  ${cls.padEnd(16)} ${JSON.stringify(c)}`);
  console.log(`  bombs: worst RSS growth ${(bombGrowth / 2 ** 20).toFixed(1)} MiB`);
  assert.deepEqual(problems, []);
  assert.ok(bombGrowth < 64 * 2 ** 20, `a refused bomb grew memory by ${bombGrowth} bytes`);
  // The module survived the batch: a real photo still goes through.
  const out = engine.process(image('GreenMeadow.jpg'), [{ tool: 'resize', params: { width: 64 } }], { outputFormat: 'png' });
  assert.equal(out.width, 64);
});

test('inspect agrees with process on every input: same refusals, never a trap', () => {
  for (const entry of manifest) {
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, entry.file)));
    try {
      engine.inspect(bytes);
    } catch (e) {
      assert.equal(e.name, 'RetouchError', `${entry.name}: ${e}`);
      assert.ok(['decode', 'limits'].includes(e.kind), `${entry.name}: ${e.kind}`);
    }
  }
});
