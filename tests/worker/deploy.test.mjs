// The deploy command (scripts/deploy.sh) on this repository, offline: its dry run builds, checks
// the production configuration, prints the account steps instead of running them, and bundles
// with `wrangler deploy --dry-run --outdir`; and it refuses, before any build or account step, a
// production configuration with dev login on, a wildcard CORS origin, a placeholder origin in a
// real deploy, and a development secret.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ROOT, wranglerEnv } from '../support/worker.mjs';

const TOML = fs.readFileSync(path.join(ROOT, 'worker/wrangler.toml'), 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'retouch-deploy-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the deploy command; `env` adds to (or, with undefined, removes from) its environment. */
function deploy(args, env = {}) {
  const e = { ...wranglerEnv(), ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete e[k];
  for (const k of ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID']) delete e[k];
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/deploy.sh'), ...args], { cwd: ROOT, env: e, encoding: 'utf8', timeout: 20 * 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, all: `${r.stdout}\n${r.stderr}` };
}

/** A copy of wrangler.toml with `edit` applied to the [env.production] part. */
function productionConfig(name, edit) {
  const at = TOML.indexOf('\n[env.production]\n');
  const end = TOML.indexOf('\n[env.staging]\n');
  const file = path.join(tmp, `${name}.toml`);
  fs.writeFileSync(file, TOML.slice(0, at) + edit(TOML.slice(at, end)) + TOML.slice(end));
  return file;
}

test('the dry run of production builds, checks, prints the account steps and bundles', () => {
  const outdir = path.join(tmp, 'bundle');
  const r = deploy(['--env', 'production', '--dry-run', '--outdir', outdir]);
  assert.equal(r.code, 0, r.all.slice(-4000));
  assert.match(r.all, /retouch-production → https:\/\/retouch\.example\.com/);
  assert.match(r.err, /warning: PUBLIC_URL .* is a placeholder/);
  // The account steps are printed, not run.
  for (const step of [
    /would run: wrangler whoami/,
    /would run: wrangler secret list --env production/,
    /would run: wrangler d1 migrations apply DB --env production --remote/,
    /would run: wrangler r2 bucket lifecycle set retouch-results-production --file \S+worker\/r2\/lifecycle\.json --force/,
    /would run: wrangler r2 bucket cors set retouch-results-production --file \S+worker\/r2\/cors\.production\.json --force/,
  ]) assert.match(r.out, step);
  // wrangler bundled the production worker with its bindings.
  assert.match(r.all, /--dry-run: exiting now/);
  for (const binding of ['env.RESULTS (retouch-results-production)', 'env.DB (retouch-production)', 'env.METRICS (retouch_metrics)', 'env.SESSIONS (SessionObject)']) {
    assert.ok(r.all.includes(binding), `${binding} is not among the bindings:\n${r.all.slice(-3000)}`);
  }
  assert.ok(!/DEV_LOGIN.*"true"/.test(r.all));
  const files = fs.readdirSync(outdir, { recursive: true });
  assert.ok(files.some((f) => f.endsWith('.wasm')), `no wasm in the bundle: ${files}`);
  assert.match(r.out, /dry run of retouch-production \(\w+(-dirty)?\) passed/);
});

test('a production configuration with dev login on is refused before anything is built', () => {
  const config = productionConfig('dev-login', (s) => s.replace('DEV_LOGIN = "false"', 'DEV_LOGIN = "true"'));
  const r = deploy(['--env', 'production', '--dry-run', '--config', config]);
  assert.equal(r.code, 1, r.all);
  assert.match(r.err, /deploy: DEV_LOGIN is "true" in \[env\.production\.vars\]: development sign-in must be off/);
  assert.doesNotMatch(r.all, /== building|would run/);
  // Also when it comes from the shell.
  const fromShell = deploy(['--env', 'production', '--dry-run'], { DEV_LOGIN: 'true' });
  assert.equal(fromShell.code, 1);
  assert.match(fromShell.err, /DEV_LOGIN=true is set in this shell/);
});

test('CORS origins must be explicit, and a public origin configured', () => {
  const wildcard = productionConfig('cors', (s) => s.replace('CORS_ORIGINS = "https://retouch.example.com"', 'CORS_ORIGINS = "*"'));
  let r = deploy(['--env', 'production', '--dry-run', '--config', wildcard]);
  assert.equal(r.code, 1, r.all);
  assert.match(r.err, /CORS_ORIGINS in \[env\.production\.vars\] allows any origin/);
  const noOrigin = productionConfig('origin', (s) => s.replace(/^PUBLIC_URL = .*$/m, ''));
  r = deploy(['--env', 'production', '--dry-run', '--config', noOrigin]);
  assert.equal(r.code, 1, r.all);
  assert.match(r.err, /PUBLIC_URL is not set in \[env\.production\.vars\]/);
  const local = productionConfig('local', (s) => s.replace('PUBLIC_URL = "https://retouch.example.com"', 'PUBLIC_URL = "http://127.0.0.1:8787"'));
  r = deploy(['--env', 'production', '--dry-run', '--config', local]);
  assert.equal(r.code, 1, r.all);
  assert.match(r.err, /PUBLIC_URL .* is not an https origin/);
  r = deploy(['--env', 'nowhere', '--dry-run']);
  assert.equal(r.code, 1);
  assert.match(r.err, /there is no \[env\.nowhere\] .*environments: production, staging/);
});

test('a real deploy refuses placeholder origins before any account step', () => {
  const r = deploy(['--env', 'staging']);
  assert.equal(r.code, 1, r.all);
  assert.match(r.err, /PUBLIC_URL .*staging\.retouch\.example\.com.* is a placeholder: put the deployment's own origin/);
  assert.doesNotMatch(r.all, /== building|wrangler whoami|not signed in/);
});

test('development or short secrets given to the deploy are refused', () => {
  const devSecret = fs.readFileSync(path.join(ROOT, 'worker/.dev.vars'), 'utf8').match(/^JWT_SECRET=(.*)$/m)[1];
  let r = deploy(['--env', 'production', '--dry-run'], { JWT_SECRET: devSecret });
  assert.equal(r.code, 1, r.all);
  assert.match(r.err, /JWT_SECRET in this shell is the development value from worker\/\.dev\.vars/);
  r = deploy(['--env', 'production', '--dry-run'], { UPLOAD_SECRET: 'short' });
  assert.equal(r.code, 1, r.all);
  assert.match(r.err, /UPLOAD_SECRET in this shell is 5 characters/);
});
