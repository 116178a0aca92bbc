// The service worker (web/src/sw.js) run under Node in a vm, with an in-memory CacheStorage and
// a fetch the test answers: what it precaches, what an update deletes, what it serves from the
// cache and what it leaves to the network, and how a share is kept.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const SOURCE = readFileSync(new URL('../src/sw.js', import.meta.url), 'utf8');
const ORIGIN = 'https://app.test';

class MemoryCaches {
  constructor() { this.map = new Map(); }
  async open(name) {
    if (!this.map.has(name)) {
      const entries = new Map();
      const key = (r) => (typeof r === 'string' ? r : r.url);
      this.map.set(name, {
        entries,
        async put(r, res) { entries.set(key(r), res); },
        async match(r) { return entries.get(key(r))?.clone(); },
        async keys() { return [...entries.keys()].map((u) => new Request(u)); },
        async delete(r) { return entries.delete(key(r)); },
      });
    }
    return this.map.get(name);
  }
  async keys() { return [...this.map.keys()]; }
  async delete(name) { return this.map.delete(name); }
}

/** sw.js loaded for a build; `serve(url)` answers its network fetches. */
function load({ version = 'v1', files = ['index.html', 'main.js', 'assets/ab/engine_bg.wasm'], lazy = [], serve, caches = new MemoryCaches() } = {}) {
  const listeners = {};
  const fetched = [];
  const self = {
    RETOUCH_BUILD: { version, files, lazy },
    registration: { scope: `${ORIGIN}/` },
    location: new URL(`${ORIGIN}/sw.js`),
    clients: { claim: async () => { self.claimed = true; } },
    skipWaiting() { self.skipped = true; },
    addEventListener(type, fn) { listeners[type] = fn; },
  };
  const fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    fetched.push([url, init?.cache]);
    return (serve ?? ((u) => new Response(`body of ${u}`, { status: 200 })))(url);
  };
  vm.runInNewContext(SOURCE, { self, caches, fetch, Response, Request, URL, Date, Math, Promise, Error, encodeURIComponent });
  /** Fires an event; resolves to what it waited for (waitUntil) or was answered with (respondWith). */
  const fire = async (type, props = {}) => {
    let waited;
    let answered;
    listeners[type]({ ...props, waitUntil: (p) => { waited = p; }, respondWith: (p) => { answered = p; } });
    await waited;
    return answered ? { response: await answered } : { response: undefined };
  };
  return { self, caches, fetched, fire };
}

// Node's Request cannot be made with mode 'navigate': the fields the service worker reads.
const navigate = (path) => ({ request: { url: `${ORIGIN}${path}`, method: 'GET', mode: 'navigate' } });

test('install precaches every file of the build past the HTTP cache, the shell under the scope', async () => {
  const sw = load();
  await sw.fire('install');
  assert.deepEqual(sw.fetched.map(([u, c]) => [u, c]).sort(), [
    [`${ORIGIN}/`, 'reload'], [`${ORIGIN}/assets/ab/engine_bg.wasm`, 'reload'], [`${ORIGIN}/main.js`, 'reload'],
  ]);
  const cache = await sw.caches.open('retouch-v-v1');
  assert.deepEqual([...cache.entries.keys()].sort(), [`${ORIGIN}/`, `${ORIGIN}/assets/ab/engine_bg.wasm`, `${ORIGIN}/main.js`]);
});

test('a file that fails, or answers with a redirect, fails the install (the old version keeps serving)', async () => {
  const missing = load({ serve: (u) => new Response('no', { status: u.endsWith('main.js') ? 404 : 200 }) });
  await assert.rejects(missing.fire('install'), /precache main\.js: 404/);
  const redirected = load({
    serve: (u) => { const r = new Response('x'); if (u.endsWith('/')) Object.defineProperty(r, 'redirected', { value: true }); return r; },
  });
  await assert.rejects(redirected.fire('install'), /precache index\.html: 200 \(redirected\)/);
});

test('activating a new version deletes the other versions, keeps shared photos, and takes the open pages', async () => {
  const caches = new MemoryCaches();
  await caches.open('retouch-v-old');
  await caches.open('retouch-share');
  await caches.open('someone-else');
  const sw = load({ version: 'new', caches });
  await sw.fire('install');
  await sw.fire('activate');
  assert.deepEqual((await caches.keys()).sort(), ['retouch-share', 'retouch-v-new', 'someone-else']);
  assert.equal(sw.self.claimed, true);
  sw.self.skipped = false;
  await sw.fire('message', { data: { type: 'skip-waiting' } });
  assert.equal(sw.self.skipped, true);
});

test('the shell (any query) and the build files come from the cache; the API and other origins are left to the network', async () => {
  const sw = load();
  await sw.fire('install');
  sw.fetched.length = 0;
  for (const path of ['/', '/?shared=abc', '/index.html']) {
    const { response } = await sw.fire('fetch', navigate(path));
    assert.equal(await response.text(), `body of ${ORIGIN}/`, path);
  }
  assert.equal(await (await sw.fire('fetch', { request: new Request(`${ORIGIN}/main.js`) })).response.text(), `body of ${ORIGIN}/main.js`);
  assert.equal(sw.fetched.length, 0, 'nothing from the network');
  for (const path of ['/v1/health', '/image-edit/sessions', '/auth/dev-login', '/uploads/x', '/results/y']) {
    assert.equal((await sw.fire('fetch', { request: new Request(`${ORIGIN}${path}`) })).response, undefined, path);
  }
  assert.equal((await sw.fire('fetch', { request: new Request('https://elsewhere.test/main.js') })).response, undefined);
  assert.equal((await sw.fire('fetch', { request: new Request(`${ORIGIN}/main.js`, { method: 'PUT', body: 'x' }) })).response, undefined);
  // Not in the build: the network.
  await sw.fire('fetch', { request: new Request(`${ORIGIN}/other.js`) });
  assert.deepEqual(sw.fetched.map(([u]) => u), [`${ORIGIN}/other.js`]);
});

test('a file needed only sometimes (the HEIF module) is not precached: fetched once when asked for, then served offline', async () => {
  const heif = 'assets/ab/retouch_heif_bg.wasm';
  let online = true;
  const sw = load({ lazy: [heif], serve: (u) => (online ? new Response(`body of ${u}`) : new Response('offline', { status: 503 })) });
  await sw.fire('install');
  assert.ok(!sw.fetched.some(([u]) => u.endsWith('_heif_bg.wasm')), 'not downloaded at install');
  sw.fetched.length = 0;
  assert.equal(await (await sw.fire('fetch', { request: new Request(`${ORIGIN}/${heif}`) })).response.text(), `body of ${ORIGIN}/${heif}`);
  online = false;
  assert.equal(await (await sw.fire('fetch', { request: new Request(`${ORIGIN}/${heif}`) })).response.text(), `body of ${ORIGIN}/${heif}`);
  assert.equal(sw.fetched.length, 1, 'the second time from the cache');
  // A failed answer is not kept, and other files fetched from the network are not cached either.
  const other = load({ lazy: [heif], serve: () => new Response('no', { status: 500 }) });
  await other.fire('fetch', { request: new Request(`${ORIGIN}/${heif}`) });
  await other.fire('fetch', { request: new Request(`${ORIGIN}/other.js`) });
  assert.deepEqual([...(await other.caches.open('retouch-v-v1')).entries.keys()], []);
});

test('a share (POST ./share) keeps each photo with its name and type, and sends the browser to ?shared=<id>', async () => {
  const sw = load();
  const form = new FormData();
  form.append('photos', new File(['one'], 'IMG 1.jpg', { type: 'image/jpeg' }));
  form.append('photos', new File(['two'], 'Été.png', { type: 'image/png' }));
  const { response } = await sw.fire('fetch', { request: new Request(`${ORIGIN}/share`, { method: 'POST', body: form }) });
  assert.equal(response.status, 303);
  const id = new URL(response.headers.get('location')).searchParams.get('shared');
  assert.match(id, /^[a-z0-9]{1,40}$/);
  const cache = await sw.caches.open('retouch-share');
  const kept = await Promise.all([...cache.entries].map(async ([u, r]) => [new URL(u).pathname, r.headers.get('content-type'), decodeURIComponent(r.headers.get('x-file-name')), await r.clone().text()]));
  assert.deepEqual(kept, [[`/shared/${id}/0`, 'image/jpeg', 'IMG 1.jpg', 'one'], [`/shared/${id}/1`, 'image/png', 'Été.png', 'two']]);
  // A body that is not a form: the page is told the share failed.
  const bad = await sw.fire('fetch', { request: new Request(`${ORIGIN}/share`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } }) });
  assert.equal(bad.response.headers.get('location'), `${ORIGIN}/?shared=failed`);
});
