// The package's web build in a module Web Worker in headless Chromium: a page served from a local
// server fetches a real photo, the worker runs init() and process(), posts progress back, and the
// page records the result.

import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

import { imagesDir, npmDir, opsReady, pipelineReady, repo } from "./helpers.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TYPES = { ".html": "text/html", ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm", ".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp" };
const ROUTES = [
  ["/npm/", npmDir],
  ["/images/", imagesDir],
  ["/", path.join(repo, "tests/wasm/browser")],
];

let server;
let browser;
let origin;
/** The paths the page and its worker fetched. */
const fetched = [];

function serve(req, res) {
  const url = new URL(req.url, "http://x");
  const pathname = url.pathname === "/" ? "/index.html" : decodeURIComponent(url.pathname);
  fetched.push(pathname);
  const [prefix, root] = ROUTES.find(([p]) => pathname.startsWith(p));
  const file = path.resolve(root, `.${pathname.slice(prefix.length - 1)}`);
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404).end("not found");
    return;
  }
  res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
  fs.createReadStream(file).pipe(res);
}

before(async () => {
  server = http.createServer(serve);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test("a module worker processes a real photo and posts progress back", async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  const job = {
    // Until the pixel operations land, a plain re-encode still exercises decode and encode.
    toolCalls: opsReady ? [{ tool: "resize", params: { width: 800 } }, { tool: "apply_filter", params: { filter: "sepia" } }] : [],
    options: { outputFormat: "webp", quality: 80 },
  };
  const query = new URLSearchParams({ photo: "/images/Garden.jpg", job: JSON.stringify(job) });
  await page.goto(`${origin}/?${query}`);
  await page.waitForFunction(() => window.__retouch?.done === true, null, { timeout: 120_000 });
  const state = await page.evaluate(() => window.__retouch);
  assert.deepEqual(problems, []);
  if (!pipelineReady) {
    // The module loaded and ran in the worker; the engine's pipeline is not merged yet.
    assert.deepEqual([state.type, state.kind, state.name], ["error", "unsupported", "RetouchError"]);
    return;
  }
  assert.equal(state.type, "result", state.message);
  assert.deepEqual(state.info, { format: "jpg", mimeType: "image/jpeg", outputFormat: "jpg", width: 2560, height: 1600, orientation: 1, hasAlpha: false });
  const expected = opsReady ? [800, 500, "webp", "Garden-800w-sepia.webp"] : [2560, 1600, "webp", "Garden-edited.webp"];
  assert.deepEqual([state.width, state.height, state.format, state.fileName], expected);
  assert.ok(state.size > 1000);
  assert.equal(String.fromCharCode(...state.header.slice(8, 12)), "WEBP");
  assert.ok(state.progress.length >= 3, `progress: ${JSON.stringify(state.progress)}`);
  assert.ok(state.progress.every((p, i, all) => i === 0 || p.fraction >= all[i - 1].fraction));
  assert.ok(!fetched.some((p) => p.includes("retouch_heif")), "a JPEG never downloads the HEIF module");
  await page.close();
});

test("an iPhone HEIC photo: the worker loads the HEIF module, and the edit comes out as an upright JPEG", { skip: !pipelineReady }, async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  const job = { toolCalls: [{ tool: "resize", params: { width: 800 } }], options: {} };
  for (const [photo, info, size] of [
    ["pug.heic", { format: "heic", mimeType: "image/heic", outputFormat: "jpg", width: 4032, height: 3024, orientation: 1, hasAlpha: false }, [800, 600]],
    ["arrow.heic", { format: "heic", mimeType: "image/heic", outputFormat: "jpg", width: 3024, height: 4032, orientation: 1, hasAlpha: false }, [800, 1067]],
  ]) {
    await page.goto(`${origin}/?${new URLSearchParams({ photo: `/images/heic/${photo}`, job: JSON.stringify(job) })}`);
    await page.waitForFunction(() => window.__retouch?.done === true, null, { timeout: 120_000 });
    const state = await page.evaluate(() => window.__retouch);
    assert.equal(state.type, "result", state.message);
    assert.deepEqual(state.info, info, photo);
    assert.deepEqual([state.width, state.height, state.format, state.mimeType], [...size, "jpg", "image/jpeg"], photo);
    assert.deepEqual(state.header.slice(0, 2), [0xff, 0xd8]);
  }
  assert.deepEqual(problems, []);
  assert.ok(fetched.includes("/npm/web/retouch_heif_bg.wasm"), fetched.join(", "));
  await page.close();
});
