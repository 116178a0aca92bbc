// A 60-megapixel image and a corrupt file in one batch: the page stays responsive while the
// engine works (a main-thread heartbeat keeps ticking and `page.evaluate` round-trips stay short),
// and it reports both — the 60 MP photo is processed (the engine's default limit is 100 MP) and
// the corrupt file gets its plain-words error. Serves web/dist statically: this is all local work.
//
//   bash tests/e2e/run.sh   (or: node --test tests/e2e/huge-image.test.mjs after scripts/build-web.sh)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { serveStatic } from './static-server.mjs';

const SIDE = 7746; // 7746² = 60.0 MP
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

let server;
let browser;
let page;

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** A `side` × `side` RGB PNG: smooth gradients with a grid, so it compresses but is not flat. */
function hugePng(side) {
  const row = 1 + side * 3;
  const raw = Buffer.alloc(row * side);
  const line = Buffer.alloc(row - 1);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const grid = x % 512 < 4 || y % 512 < 4 ? 0 : 1;
      line[x * 3] = grid * ((x >> 5) & 255);
      line[x * 3 + 1] = grid * ((y >> 5) & 255);
      line[x * 3 + 2] = grid * 160;
    }
    raw[y * row] = 0;
    line.copy(raw, y * row + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

before(async () => {
  server = await serveStatic(0);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => window.retouch?.pool);
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('a 60 MP image and a corrupt file in one batch: responsive, both reported', async () => {
  const t0 = Date.now();
  const huge = hugePng(SIDE);
  console.log(`generated a ${SIDE} × ${SIDE} PNG (${(SIDE * SIDE / 1e6).toFixed(1)} MP, ${(huge.length / 2 ** 20).toFixed(1)} MiB) in ${Date.now() - t0} ms`);
  const corrupt = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(64, 0xab)]);
  await page.setInputFiles('#file-input', [
    { name: 'huge-60mp.png', mimeType: 'image/png', buffer: huge },
    { name: 'corrupt.png', mimeType: 'image/png', buffer: corrupt },
  ]);
  await page.waitForFunction(() => [...window.retouch.images.values()].every((i) => i.status !== 'reading'), null, { timeout: 60_000 });
  const facts = await page.locator('.card', { hasText: 'huge-60mp.png' }).locator('.facts').textContent();
  assert.match(facts, new RegExp(`${SIDE} × ${SIDE}`));

  await page.fill('#command', 'resize to 800 px wide');
  await page.click('#read-command');
  await page.waitForFunction(() => window.retouch.plan.calls.some((c) => c.tool === 'resize'));

  // A heartbeat on the main thread: the longest gap between ticks says whether it was blocked.
  await page.evaluate(() => {
    window.beat = { last: performance.now(), worst: 0, ticks: 0 };
    window.beatTimer = setInterval(() => {
      const now = performance.now();
      window.beat.worst = Math.max(window.beat.worst, now - window.beat.last);
      window.beat.last = now;
      window.beat.ticks++;
    }, 50);
  });
  await page.click('#run');
  const started = Date.now();
  let worstRoundTrip = 0;
  let roundTrips = 0;
  // While the engine works, the page answers.
  for (;;) {
    const r0 = Date.now();
    const active = await page.evaluate(() => Boolean(window.retouch.run?.active));
    worstRoundTrip = Math.max(worstRoundTrip, Date.now() - r0);
    roundTrips++;
    if (!active) break;
    assert.ok(Date.now() - started < 240_000, 'the batch did not finish in 4 minutes');
    await new Promise((r) => setTimeout(r, 100));
  }
  const beat = await page.evaluate(() => { clearInterval(window.beatTimer); return window.beat; });
  const took = Date.now() - started;
  console.log(`batch took ${took} ms; ${roundTrips} page.evaluate round trips, worst ${worstRoundTrip} ms; ` +
    `main-thread heartbeat: ${beat.ticks} ticks, worst gap ${beat.worst.toFixed(0)} ms`);

  const state = await page.evaluate(() => Object.fromEntries([...window.retouch.images.values()]
    .map((i) => [i.file.name, { status: i.status, error: i.error, width: i.result?.width, height: i.result?.height }])));
  console.log(JSON.stringify(state));
  const big = state['huge-60mp.png'];
  if (big.status === 'done') {
    assert.deepEqual([big.width, big.height], [800, 800]);
  } else {
    // A page with lower limits than the engine's 100 MP must say so plainly.
    assert.equal(big.status, 'error');
    assert.match(big.error, /too large|limit|memory/i);
  }
  assert.ok(['error', 'unreadable'].includes(state['corrupt.png'].status), state['corrupt.png'].status);
  assert.match(await page.locator('.card', { hasText: 'corrupt.png' }).locator('.status').textContent(), /can't read this file/i);
  // Responsive: the work ran off the main thread. Bounds are generous (a shared 2-core machine);
  // a blocked main thread would stall for the whole decode (many seconds).
  assert.ok(beat.worst < 3000, `the main thread stalled for ${beat.worst.toFixed(0)} ms`);
  assert.ok(worstRoundTrip < 3000, `a page.evaluate round trip took ${worstRoundTrip} ms`);
});
