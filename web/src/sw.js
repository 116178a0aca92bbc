// The service worker: the page works offline after one visit, and "Share to Retouch" lands here.
//
// scripts/build-web.sh writes web/dist/sw.js as one line, `self.RETOUCH_BUILD = {version, files}`
// (every file of the page and the engine, versioned by a hash of their contents), followed by
// this file. So a new build is a new sw.js, byte for byte, and the browser installs it:
// - install: every file into the cache `retouch-<version>` (fetched past the HTTP cache); if one
//   fails, the install fails and the old version keeps serving;
// - the new version waits until the page says to switch (pwa.js offers "Reload"), then
//   activate: caches of other versions are deleted, so an update replaces the files cleanly;
// - fetch: the HTML shell and the files of the build from the cache; the files fetched only when
//   needed (`lazy`: the HEIF module, for HEIC photos) from the network the first time, then from
//   the cache; the API (sign-in, cloud, server-side parsing) always goes to the network, so
//   offline it fails and the page says so;
// - POST ./share (the manifest's share_target): the shared photos are kept in the cache
//   `retouch-share` and the page opens at `./?shared=<id>` to take them (pwa.js).
// Classic script (not a module) so that every browser with service workers runs it.

/* global self, caches, Response, URL */
const BUILD = { version: 'dev', files: [], lazy: [], ...self.RETOUCH_BUILD };
const PREFIX = 'retouch-v-';
const CACHE = `${PREFIX}${BUILD.version}`;
const SHARE_CACHE = 'retouch-share';
/** Paths the worker answers itself (wrangler.toml's run_worker_first): never from the cache. */
const API = ['/image-edit', '/v1/', '/auth/', '/uploads/', '/results/'];

const scope = () => new URL(self.registration?.scope ?? self.location.href);
const inScope = (path) => new URL(path, scope()).href;
/** The shell's cache key: the scope itself (`/`), as the worker serves index.html there. */
const shellKey = () => inScope('./');

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(BUILD.files.map(async (file) => {
      const url = file === 'index.html' ? shellKey() : inScope(file);
      const res = await fetch(url, { cache: 'reload', credentials: 'same-origin' });
      // A redirected or failed answer would break the page offline: fail the install instead.
      if (!res.ok || res.redirected) throw new Error(`precache ${file}: ${res.status}${res.redirected ? ' (redirected)' : ''}`);
      await cache.put(url, res);
    }));
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') self.skipWaiting();
  if (event.data?.type === 'version') event.ports?.[0]?.postMessage({ version: BUILD.version });
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const root = scope().pathname;
  if (request.method === 'POST' && url.pathname === `${root}share`) {
    event.respondWith(receiveShare(request));
    return;
  }
  if (request.method !== 'GET' || API.some((p) => url.pathname.startsWith(p))) return;
  const isShell = request.mode === 'navigate' && (url.pathname === root || url.pathname === `${root}index.html`);
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(isShell ? shellKey() : request);
    if (hit) return hit;
    const res = await fetch(request);
    if (res.ok && !res.redirected && BUILD.lazy.some((file) => inScope(file) === url.href)) {
      await cache.put(request, res.clone());
    }
    return res;
  })());
});

/** Keeps the shared photos for the page and sends the browser to it (303: the POST is not repeated). */
async function receiveShare(request) {
  let target;
  try {
    const form = await request.formData();
    const files = form.getAll('photos').filter((f) => typeof f === 'object' && f && 'arrayBuffer' in f);
    const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const cache = await caches.open(SHARE_CACHE);
    await Promise.all(files.map((file, i) => cache.put(inScope(`shared/${id}/${i}`), new Response(file, {
      headers: { 'content-type': file.type || 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name || `shared-${i + 1}`) },
    }))));
    target = inScope(`./?shared=${id}`);
  } catch {
    target = inScope('./?shared=failed');
  }
  return Response.redirect(target, 303);
}
