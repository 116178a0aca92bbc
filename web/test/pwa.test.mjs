import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sharedId, takeSharedFiles, watchConnection, receiveLaunchedFiles, isNetworkFailure, registerServiceWorker, SHARE_CACHE,
} from '../src/pwa.js';

/** CacheStorage with real Request/Response objects, in memory (Node has no CacheStorage). */
class MemoryCaches {
  constructor() { this.caches = new Map(); }
  async open(name) {
    if (!this.caches.has(name)) {
      const entries = new Map();
      this.caches.set(name, {
        entries,
        async keys() { return [...entries.keys()].map((u) => new Request(u)); },
        async match(r) { return entries.get(typeof r === 'string' ? r : r.url)?.clone(); },
        async put(r, res) { entries.set(typeof r === 'string' ? r : r.url, res); },
        async delete(r) { return entries.delete(typeof r === 'string' ? r : r.url); },
      });
    }
    return this.caches.get(name);
  }
}

test('a share id is read from ?shared=…; anything odd is a failed share', () => {
  assert.equal(sharedId('?shared=lq3k9abc12'), 'lq3k9abc12');
  assert.equal(sharedId(''), '');
  assert.equal(sharedId('?other=1'), '');
  assert.equal(sharedId('?shared=failed'), 'failed');
  assert.equal(sharedId('?shared=../../etc'), 'failed');
});

test('shared photos come out of the share cache in order, as named Files, once', async () => {
  const storage = new MemoryCaches();
  const cache = await storage.open(SHARE_CACHE);
  const put = (id, i, body, name, type) => cache.put(`https://app.test/shared/${id}/${i}`, new Response(body, { headers: { 'content-type': type, 'x-file-name': encodeURIComponent(name) } }));
  await put('abc', 1, 'two', 'Été 2.png', 'image/png');
  await put('abc', 0, 'one', 'IMG_0001.HEIC', 'image/heic');
  await put('other', 0, 'x', 'not mine.jpg', 'image/jpeg');
  const files = await takeSharedFiles('?shared=abc', storage);
  assert.deepEqual(files.map((f) => [f.name, f.type, f.size]), [['IMG_0001.HEIC', 'image/heic', 3], ['Été 2.png', 'image/png', 3]]);
  assert.equal(await files[1].text(), 'two');
  assert.deepEqual(await takeSharedFiles('?shared=abc', storage), [], 'read once');
  assert.equal(cache.entries.size, 1, 'another share is left alone');
  assert.deepEqual(await takeSharedFiles('', storage), []);
  await assert.rejects(takeSharedFiles('?shared=failed', storage), /could not be received/);
});

test('the connection state is reported now and on every change', () => {
  const win = new EventTarget();
  win.navigator = { onLine: true };
  const seen = [];
  const stop = watchConnection((online) => seen.push(online), win);
  win.navigator.onLine = false;
  win.dispatchEvent(new Event('offline'));
  win.navigator.onLine = true;
  win.dispatchEvent(new Event('online'));
  stop();
  win.dispatchEvent(new Event('offline'));
  assert.deepEqual(seen, [true, false, true]);
});

test('a request that never reached the server is told apart from a server error', () => {
  assert.equal(isNetworkFailure(new TypeError('Failed to fetch'), { onLine: true }), true);
  assert.equal(isNetworkFailure(Object.assign(new Error('HTTP 500'), { status: 500 }), { onLine: true }), false);
  assert.equal(isNetworkFailure(new Error('anything'), { onLine: false }), true);
});

test('"Open with Retouch": launched files are added; an unreadable handle is skipped', async () => {
  let consumer;
  const win = { launchQueue: { setConsumer: (c) => { consumer = c; } } };
  const added = [];
  assert.equal(receiveLaunchedFiles((files) => added.push(...files), win), true);
  const file = new File(['x'], 'a.jpg', { type: 'image/jpeg' });
  await consumer({ files: [{ getFile: async () => file }, { getFile: async () => { throw new Error('gone'); } }] });
  assert.deepEqual(added, [file]);
  await consumer({ files: [] });
  assert.equal(added.length, 1);
  assert.equal(receiveLaunchedFiles(() => {}, {}), false, 'no launchQueue: nothing to do');
});

test('service worker: an update is offered only when a version already controls the page', async () => {
  const makeContainer = (controller) => {
    const c = new EventTarget();
    c.controller = controller;
    c.registration = Object.assign(new EventTarget(), { waiting: null, installing: null });
    c.register = async (url, opts) => { c.registered = [url, opts]; return c.registration; };
    return c;
  };
  const first = makeContainer(null);
  const offers = [];
  await registerServiceWorker({ container: first, onUpdateReady: (apply) => offers.push(apply) });
  assert.deepEqual(first.registered, ['./sw.js', { scope: './' }]);
  const installing = Object.assign(new EventTarget(), { state: 'installing' });
  first.registration.installing = installing;
  first.registration.dispatchEvent(new Event('updatefound'));
  installing.state = 'installed';
  installing.dispatchEvent(new Event('statechange'));
  assert.equal(offers.length, 0, 'the first install is not an update');

  const later = makeContainer({});
  const posted = [];
  later.registration.waiting = { postMessage: (m) => posted.push(m) };
  await registerServiceWorker({ container: later, onUpdateReady: (apply) => offers.push(apply) });
  assert.equal(offers.length, 1);
  offers[0]();
  assert.deepEqual(posted, [{ type: 'skip-waiting' }]);
  assert.equal(await registerServiceWorker({ container: undefined }), null);
  const refusing = makeContainer(null);
  refusing.register = async () => { throw new Error('SecurityError'); };
  assert.equal(await registerServiceWorker({ container: refusing }), null);
});
