// GET /v1/health on local workerd: the build, D1 (with its migrations), R2 and both Durable Object
// classes answer, quickly; a broken dependency makes it 503 and names it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, startWorker, wranglerEnv } from '../support/worker.mjs';
import { client, TEST_VARS } from './helpers.mjs';

const VERSION = fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8').match(/^version\s*=\s*"([^"]+)"/m)[1];
let worker;
let api;

before(async () => {
  worker = await startWorker({ vars: { ...TEST_VARS, BUILD_ID: 'abc123def456' } });
  api = client(worker.url);
});
after(async () => { await worker?.stop(); });

test('health reports the build and that D1, R2 and the Durable Objects answer, within 200 ms', async () => {
  await api('GET', '/v1/health'); // the first call wakes the Durable Objects
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = await api('GET', '/v1/health');
    times.push(performance.now() - t0);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'ok');
    assert.equal(r.json.version, VERSION);
    assert.equal(r.json.build, 'abc123def456');
    assert.deepEqual(Object.keys(r.json.checks).sort(), ['d1', 'limiter', 'r2', 'sessions']);
    for (const [name, c] of Object.entries(r.json.checks)) assert.equal(c.ok, true, `${name}: ${c.error}`);
    assert.ok(r.json.ms < 200, `the checks took ${r.json.ms} ms`);
    assert.equal(r.headers.get('cache-control'), 'no-store');
  }
  times.sort((a, b) => a - b);
  assert.ok(times[2] < 200, `median round trip ${times[2].toFixed(1)} ms`);
});

test('only GET', async () => {
  const r = await fetch(`${worker.url}/v1/health`, { method: 'POST' });
  assert.equal(r.status, 405);
  assert.equal((await r.json()).error.code, 'method_not_allowed');
});

test('a broken dependency makes health 503 and names it', async () => {
  // D1 without its table, as after a forgotten migration.
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'd1', 'execute', 'DB', '--local',
    '--persist-to', worker.persistTo, '--command', 'DROP TABLE sessions'], { cwd: path.join(ROOT, 'worker'), env: wranglerEnv(), stdio: 'pipe' });
  const r = await api('GET', '/v1/health');
  assert.equal(r.status, 503, r.text);
  assert.equal(r.json.status, 'degraded');
  assert.equal(r.json.checks.d1.ok, false);
  assert.match(r.json.checks.d1.error, /sessions/);
  for (const name of ['r2', 'sessions', 'limiter']) assert.equal(r.json.checks[name].ok, true, name);
});
