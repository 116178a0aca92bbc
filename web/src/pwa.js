// The installed-app side of the page: the service worker (offline after one visit, updates),
// the connection state, and photos that arrive from outside — "Open with Retouch" (File
// Handling's launchQueue) and "Share to Retouch" (Web Share Target, kept by sw.js).
//
//   const sw = registerServiceWorker({ onUpdateReady: (apply) => showBanner(apply) });
//   watchConnection((online) => render(online));
//   receiveLaunchedFiles((files) => addFiles(files, 'opened with Retouch'));
//   const shared = await takeSharedFiles(location.search);   // File[] from a share, or []
//
// Nothing here runs on import.

export const SHARE_CACHE = 'retouch-share';

/**
 * Registers ./sw.js (beside the HTML shell). `onUpdateReady(apply)` is called when a new version
 * has been downloaded and waits for this page; `apply()` switches to it and reloads.
 * @returns {Promise<ServiceWorkerRegistration|null>} null where service workers are unavailable
 */
export async function registerServiceWorker({ onUpdateReady = () => {}, container = globalThis.navigator?.serviceWorker } = {}) {
  if (!container) return null;
  let registration;
  try {
    registration = await container.register('./sw.js', { scope: './' });
  } catch {
    return null; // e.g. a private window that refuses storage: the page still works online
  }
  const offer = (worker) => {
    // A worker waiting while this page has a controller is an update, not the first install.
    if (!worker || !container.controller) return;
    onUpdateReady(() => {
      container.addEventListener('controllerchange', () => globalThis.location.reload(), { once: true });
      worker.postMessage({ type: 'skip-waiting' });
    });
  };
  offer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => { if (worker.state === 'installed') offer(worker); });
  });
  return registration;
}

/** Calls `onChange(online)` now and whenever the browser goes on- or offline; returns a stop function. */
export function watchConnection(onChange, win = globalThis) {
  const fire = () => onChange(win.navigator?.onLine !== false);
  win.addEventListener('online', fire);
  win.addEventListener('offline', fire);
  fire();
  return () => { win.removeEventListener('online', fire); win.removeEventListener('offline', fire); };
}

/** Is `err` a request that never reached the server (offline, DNS, refused)? */
export function isNetworkFailure(err, nav = globalThis.navigator) {
  return nav?.onLine === false || (err instanceof TypeError && !('status' in err)) || err?.name === 'NetworkError';
}

/** "Open with Retouch": files the operating system launched the installed app with. */
export function receiveLaunchedFiles(addFiles, win = globalThis) {
  if (!win.launchQueue?.setConsumer) return false;
  win.launchQueue.setConsumer(async (params) => {
    const handles = params?.files ?? [];
    const files = [];
    for (const h of handles) {
      try {
        files.push(await h.getFile());
      } catch { /* a handle that cannot be read is skipped; the others still open */ }
    }
    if (files.length) addFiles(files);
  });
  return true;
}

/** The share id in a `?shared=<id>` query (as sw.js redirects to), or ''. */
export function sharedId(search) {
  const id = new URLSearchParams(search).get('shared') ?? '';
  return /^[a-z0-9]{1,40}$/.test(id) ? id : id ? 'failed' : '';
}

/**
 * The photos of a Web Share Target share, as Files, taken out of the share cache (each share is
 * read once). `[]` when there is no share in `search`; throws when the share could not be kept.
 */
export async function takeSharedFiles(search, cacheStorage = globalThis.caches) {
  const id = sharedId(search);
  if (!id) return [];
  if (id === 'failed') throw new Error('The shared photos could not be received. Try sharing them again, or add them here.');
  const cache = await cacheStorage.open(SHARE_CACHE);
  const mine = (await cache.keys()).filter((r) => new URL(r.url).pathname.includes(`/shared/${id}/`))
    .sort((a, b) => Number(a.url.split('/').pop()) - Number(b.url.split('/').pop()));
  const files = [];
  for (const request of mine) {
    const response = await cache.match(request);
    if (response) {
      const name = decodeURIComponent(response.headers.get('x-file-name') ?? 'shared');
      files.push(new File([await response.blob()], name, { type: response.headers.get('content-type') ?? '' }));
    }
    await cache.delete(request);
  }
  return files;
}
