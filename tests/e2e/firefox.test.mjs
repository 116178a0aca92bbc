// End-to-end: a second browser engine. The core flow — add photos, read a command, process,
// download each result and the zip — runs in Debian's Chromium (playwright-core) and in Debian's
// firefox-esr (puppeteer-core over WebDriver BiDi; never a downloaded browser), against one worker,
// and the result bytes must match exactly. Firefox randomises canvas readback (fingerprinting
// protection): the engine decodes and encodes in wasm, with no canvas, so nothing may differ.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { IMAGES, start, photo, runAndWait, downloadOf } from './harness.mjs';

const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const NAMES = ['Dune.jpg', 'GreenMeadow.jpg', 'Storm-exif-orientation-6.jpg'];
const COMMAND = 'make them black and white, 800 px wide, webp quality 80';
const ZIP_DATE = '2026-01-02T03:04:05Z';

let app;
let firefox;
let profile;
const chromiumBytes = new Map(); // result file name → bytes

/** Each result of the page as `{fileName: base64}`, read from its download link, and the zip made with a fixed date. */
const RESULTS = async (zipDate) => {
  const b64 = async (blob) => {
    const b = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
    return btoa(s);
  };
  const out = {};
  for (const a of document.querySelectorAll('.card a.download')) out[a.download] = await b64(await (await fetch(a.href)).blob());
  const { zipBlob } = await import('./zip.js');
  const { zipEntries } = await import('./results.js');
  const done = [...window.retouch.images.values()].filter((i) => i.status === 'done');
  return { files: out, zip: await b64(zipBlob(zipEntries(done), new Date(zipDate))) };
};

before(async () => {
  app = await start();
  profile = mkdtempSync(join(tmpdir(), 'retouch-firefox-'));
  firefox = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, userDataDir: profile });
});

after(async () => {
  await firefox?.close();
  await app?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

let chromiumZip;

test('Chromium: add photos, read a command, process, download each result', async () => {
  const { page } = app;
  await page.setInputFiles('#file-input', NAMES.map(photo));
  await page.waitForFunction((n) => window.retouch.images.size === n && [...window.retouch.images.values()].every((i) => i.status === 'ready'), NAMES.length);
  await page.fill('#command', COMMAND);
  await page.click('#read-command');
  await page.waitForFunction(() => window.retouch.plan.calls.length >= 3);
  await runAndWait(page);
  for (const name of NAMES) {
    const d = await downloadOf(page, name);
    chromiumBytes.set(d.name, d.bytes);
  }
  const { files, zip } = await page.evaluate(RESULTS, ZIP_DATE);
  for (const [name, b64] of Object.entries(files)) assert.deepEqual(Buffer.from(b64, 'base64'), chromiumBytes.get(name), `${name}: the link's bytes are the download's`);
  chromiumZip = Buffer.from(zip, 'base64');
  assert.equal(chromiumBytes.size, NAMES.length);
});

test('Firefox ESR: the same flow gives byte-identical results and zip', async () => {
  const page = await firefox.newPage();
  page.on('pageerror', (e) => console.error('firefox pageerror:', e.message));
  await page.goto(`${app.product.url}/`);
  await page.waitForFunction(() => window.retouch?.pool, { timeout: 60_000 });
  const ua = await page.evaluate(() => navigator.userAgent);
  assert.match(ua, /Firefox\//, ua);
  const input = await page.$('#file-input');
  await input.uploadFile(...NAMES.map((n) => join(IMAGES, n)));
  await page.waitForFunction((n) => window.retouch.images.size === n && [...window.retouch.images.values()].every((i) => i.status === 'ready'), { timeout: 60_000 }, NAMES.length);
  await page.type('#command', COMMAND);
  await page.click('#read-command');
  await page.waitForFunction(() => window.retouch.plan.calls.length >= 3);
  await page.click('#run');
  await page.waitForFunction(() => window.retouch.run && !window.retouch.run.active, { timeout: 180_000 });
  const status = await page.evaluate(() => [...window.retouch.images.values()].map((i) => i.status));
  assert.deepEqual(status, NAMES.map(() => 'done'));
  const { files, zip } = await page.evaluate(RESULTS, ZIP_DATE);
  assert.deepEqual(Object.keys(files).sort(), [...chromiumBytes.keys()].sort());
  for (const [name, b64] of Object.entries(files)) {
    const bytes = Buffer.from(b64, 'base64');
    assert.ok(bytes.equals(chromiumBytes.get(name)), `${name}: ${bytes.length} bytes in Firefox, ${chromiumBytes.get(name).length} in Chromium`);
  }
  assert.ok(Buffer.from(zip, 'base64').equals(chromiumZip), 'the zip is the same, byte for byte');
  await page.close();
});
