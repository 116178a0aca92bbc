// Shared set-up for end-to-end files: the product started like scripts/run.sh (or a static
// server with E2E_STATIC=1), Debian's Chromium, the shared photos, screenshots and downloads.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = join(ROOT, 'test-output/screenshots');
export const IMAGES = [process.env.RETOUCH_SHARED, join(ROOT, '../shared'), join(ROOT, '../../shared')]
  .filter(Boolean).map((d) => join(d, 'images')).find((d) => existsSync(join(d, 'Dune.jpg')));
export const STATIC = process.env.E2E_STATIC === '1';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A shared photo as a file for setInputFiles. */
export function photo(name) {
  const type = name.endsWith('.png') ? 'image/png' : name.endsWith('.webp') ? 'image/webp' : 'image/jpeg';
  return { name, mimeType: type, buffer: readFileSync(join(IMAGES, name)) };
}

/** Starts the product (the worker with `vars`, if given) and Chromium; `stop()` ends both. */
export async function start({ vars } = {}) {
  if (!IMAGES) throw new Error('the shared photos (../shared/images) are missing');
  mkdirSync(SHOTS, { recursive: true });
  const product = STATIC
    ? await (await import('./static-server.mjs')).serveStatic(0)
    : await (await import('../support/worker.mjs')).startWorker({ port: Number(process.env.E2E_PORT ?? 0) || undefined, vars });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  page.on('console', (m) => { if (m.type() === 'error') console.error('console:', m.text()); });
  await page.goto(`${product.url}/`);
  await page.waitForFunction(() => window.retouch?.pool);
  return { product, browser, context, page, async stop() { await browser.close(); await product.stop(); } };
}

/** A full-page screenshot once the page's images have loaded. */
export async function shot(page, name) {
  await page.evaluate(() => Promise.all([...document.images].filter((i) => i.src && !i.complete)
    .map((i) => new Promise((r) => { i.onload = r; i.onerror = r; }))));
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Each photo's status by file name. */
export const statusOf = (page) => page.evaluate(() => Object.fromEntries([...window.retouch.images.values()].map((i) => [i.file.name, i.status])));

/** Clicks the run button and waits for the run to end. */
export async function runAndWait(page, timeout = 120_000) {
  await page.click('#run');
  await page.waitForFunction(() => window.retouch.run && !window.retouch.run.active, null, { timeout });
}

/** Downloads one card's result: `{name, bytes, path}`. */
export async function downloadOf(page, fileName) {
  const card = page.locator('.card', { hasText: fileName });
  const [download] = await Promise.all([page.waitForEvent('download'), card.locator('a.download').click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path), path };
}

/** "Save to cloud" with a dev sign-in as `email`; resolves to the page's cloud state once the save ends. */
export async function saveToCloud(page, email) {
  await page.click('#save-cloud');
  await page.locator('#signin-dialog').waitFor();
  await page.fill('#signin-email', email);
  await page.click('#signin-submit');
  await page.waitForFunction(() => window.retouch.cloud && !window.retouch.cloud.active, null, { timeout: 60_000 });
  return page.evaluate(() => ({ error: window.retouch.cloud.error, text: window.retouch.cloud.text, sessionId: window.retouch.cloud.sessionId }));
}

/** The saved session as `GET /image-edit/:id` answers the signed-in page. */
export function sessionOf(page, id) {
  return page.evaluate(async (sid) => {
    const { token } = JSON.parse(localStorage.getItem('retouch.auth'));
    return (await fetch(`/image-edit/${sid}`, { headers: { Authorization: `Bearer ${token}` } })).json();
  }, id);
}
