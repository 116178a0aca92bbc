// End-to-end: offline and installable. A first visit installs the service worker (sw.js), which
// precaches the page and the engine; then the worker is stopped and the browser goes offline
// (`context.setOffline(true)`), and a reload still loads the page, reads a command with the local
// parser, processes a photo and downloads it alone and in a zip; the cloud controls say they need
// a connection. A photo shared to Retouch (the manifest's share_target, a POST the service worker
// answers) lands in the page, offline too. Last, an update (a new build) replaces the cache whole.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStoredZip } from '../../web/test/read-zip.mjs';
import { ROOT, STATIC, start, shot, photo, runAndWait, statusOf, downloadOf } from './harness.mjs';
import { serveStatic } from './static-server.mjs';

let app;
let page;
let build; // {version, files} as build-web.sh wrote it into sw.js

/** The first line of web/dist/sw.js: `self.RETOUCH_BUILD = {...};`. */
function readBuild(dir = join(ROOT, 'web/dist')) {
  const line = readFileSync(join(dir, 'sw.js'), 'utf8').split('\n')[0];
  return JSON.parse(line.replace(/^self\.RETOUCH_BUILD = /, '').replace(/;$/, ''));
}

/** Waits until the page is controlled by an active service worker; returns the cache names. */
async function controlled(p) {
  await p.waitForFunction(() => navigator.serviceWorker?.controller?.state === 'activated', null, { timeout: 60_000 });
  return p.evaluate(() => caches.keys());
}

/** A JPEG's size from its SOF marker. */
function jpegSize(b) {
  for (let i = 2; i + 9 < b.length;) {
    if (b[i] !== 0xff) return null;
    const m = b[i + 1];
    if (m >= 0xc0 && m <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(m)) return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5)];
    i += 2 + b.readUInt16BE(i + 2);
  }
  return null;
}

before(async () => {
  build = readBuild();
  app = await start();
  ({ page } = app);
});

after(async () => {
  await app?.stop();
});

test('the first visit installs the app: manifest, icons, and every file of the build precached', async () => {
  const names = await controlled(page);
  assert.ok(names.includes(`retouch-v-${build.version}`), names.join(', '));
  const cached = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname), `retouch-v-${build.version}`);
  assert.equal(cached.length, build.files.length);
  assert.ok(cached.includes('/'), 'the shell is kept under /');
  assert.ok(build.files.some((f) => /^assets\/[0-9a-f]{16}\/\w+_bg\.wasm$/.test(f)), 'the engine has a hashed name');
  // The HEIF module (HEIC photos) is cached when first used, not downloaded by every visitor.
  assert.ok(build.lazy.some((f) => /^assets\/[0-9a-f]{16}\/\w+_heif_bg\.wasm$/.test(f)), JSON.stringify(build.lazy));
  assert.ok(!build.files.some((f) => f.includes('_heif')));
  const manifest = await page.evaluate(async () => {
    const href = document.querySelector('link[rel=manifest]').href;
    const m = await (await fetch(href)).json();
    const icons = await Promise.all(m.icons.map(async (i) => {
      const r = await fetch(new URL(i.src, href));
      return [i.src, r.status, r.headers.get('content-type')];
    }));
    return { m, icons };
  });
  assert.equal(manifest.m.display, 'standalone');
  assert.equal(manifest.m.share_target.method, 'POST');
  assert.equal(manifest.m.share_target.params.files[0].name, 'photos');
  assert.ok(manifest.m.file_handlers[0].accept['image/jpeg'].includes('.jpg'));
  for (const [src, status, type] of manifest.icons) {
    assert.equal(status, 200, src);
    assert.match(type, /^image\/(png|svg\+xml)/, src);
  }
});

test('cache headers: the hashed engine is immutable, the HTML shell and the service worker are revalidated', { skip: STATIC && 'the worker serves the headers' }, async () => {
  const wasm = build.files.find((f) => f.endsWith('_bg.wasm'));
  const cacheControl = async (path) => (await fetch(`${app.product.url}${path}`)).headers.get('cache-control');
  assert.equal(await cacheControl(`/${wasm}`), 'public, max-age=31536000, immutable');
  assert.equal(await cacheControl(`/${wasm.replace(/_bg\.wasm$/, '.js')}`), 'public, max-age=31536000, immutable');
  for (const path of ['/', '/sw.js', '/manifest.webmanifest']) assert.equal(await cacheControl(path), 'no-cache', path);
});

test('offline after the server is gone: the page reloads, reads a command, processes a photo, downloads it', async () => {
  await app.product.stop();
  await app.context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => window.retouch?.pool && document.querySelector('#backend-banner').dataset.state === 'offline', null, { timeout: 60_000 });
  assert.match(await page.locator('#backend-banner').textContent(), /You are offline.*need a connection/);
  assert.equal(await page.locator('#sign-in').isDisabled(), true);

  await page.setInputFiles('#file-input', [photo('Dune.jpg')]);
  await page.waitForFunction(() => [...window.retouch.images.values()].every((i) => i.status === 'ready'));
  await page.fill('#command', 'rotate left, 800 px wide, jpeg');
  await page.click('#read-command');
  await page.waitForFunction(() => window.retouch.plan.calls.length >= 3);
  assert.match(await page.locator('#parser-note').textContent(), /on this device/);
  await runAndWait(page);
  assert.deepEqual(await statusOf(page), { 'Dune.jpg': 'done' });
  const one = await downloadOf(page, 'Dune.jpg');
  assert.match(one.name, /\.jpg$/);
  // Dune is 1680 × 1050: a quarter turn left, then 800 px wide.
  assert.deepEqual(jpegSize(one.bytes), [800, 1280]);
  const [zip] = await Promise.all([page.waitForEvent('download'), page.click('#download-zip')]);
  const entries = readStoredZip(readFileSync(await zip.path()));
  assert.deepEqual(entries.map((e) => e.name), [one.name]);
  assert.deepEqual(Buffer.from(entries[0].bytes), one.bytes);
  // Cloud features say they need a connection, and nothing is queued.
  assert.equal(await page.locator('#save-cloud').isDisabled(), true);
  assert.match(await page.locator('#save-cloud').textContent(), /needs a connection/);
  await shot(page, 'offline-processed');
});

test('a photo shared to Retouch (Web Share Target) lands in the page, offline too', async () => {
  const file = photo('GreenMeadow.jpg');
  // What the system share sheet does: a multipart POST of the files to the manifest's action.
  await page.evaluate(({ name, type, b64 }) => {
    const form = document.createElement('form');
    form.method = 'post';
    form.enctype = 'multipart/form-data';
    form.action = './share';
    const input = document.createElement('input');
    input.type = 'file';
    input.name = 'photos';
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type }));
    input.files = dt.files;
    form.append(input);
    document.body.append(form);
    form.submit();
  }, { name: file.name, type: file.mimeType, b64: file.buffer.toString('base64') });
  await page.waitForFunction(() => window.retouch?.images && [...window.retouch.images.values()].some((i) => i.file.name === 'GreenMeadow.jpg' && i.status === 'ready'), null, { timeout: 60_000 });
  const got = await page.evaluate(async () => {
    const img = [...window.retouch.images.values()][0];
    return { size: img.file.size, info: img.info, search: location.search, notice: document.getElementById('add-notice').textContent };
  });
  assert.equal(got.size, file.buffer.length);
  assert.deepEqual([got.info.width, got.info.height], [1280, 1024]);
  assert.equal(got.search, '', 'the share id is taken out of the address');
  assert.match(got.notice, /shared with Retouch/);
  assert.equal(await page.evaluate(async () => (await (await caches.open('retouch-share')).keys()).length), 0, 'the share is read once');
  await app.context.setOffline(false);
});

test('an update replaces the cache whole, when the page says so', { skip: STATIC && 'serves its own copy' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'retouch-dist-'));
  cpSync(join(ROOT, 'web/dist'), dir, { recursive: true });
  const server = await serveStatic(0, dir);
  const context = await app.browser.newContext();
  try {
    const p = await context.newPage();
    await p.goto(`${server.url}/`);
    await p.waitForFunction(() => window.retouch?.pool);
    assert.deepEqual(await controlled(p), [`retouch-v-${build.version}`]);
    // A new build: a changed stylesheet, so a new version in a new sw.js.
    writeFileSync(join(dir, 'styles.css'), `${readFileSync(join(dir, 'styles.css'), 'utf8')}\n/* next */\n`);
    const sw = readFileSync(join(dir, 'sw.js'), 'utf8').replace(`"version":"${build.version}"`, '"version":"next0000000000000"');
    writeFileSync(join(dir, 'sw.js'), sw);
    await p.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await p.locator('#update-banner').waitFor({ timeout: 60_000 });
    await shot(p, 'update-ready');
    await Promise.all([p.waitForEvent('load'), p.click('#update-apply')]);
    await p.waitForFunction(() => window.retouch?.pool);
    await p.waitForFunction(async () => (await caches.keys()).join() === 'retouch-v-next0000000000000');
    const css = await p.evaluate(async () => (await fetch('./styles.css')).text());
    assert.match(css, /\/\* next \*\//, 'the new files are served');
  } finally {
    await context.close();
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
