// Whether the Retouch server answers, shown as a plain banner under the top bar. Editing happens
// on this device and keeps working without it; only signing in, saving to the cloud, reading a
// command on the server and AI edits need it. The page asks GET /v1/health when it starts, when
// the browser comes back online, when a call to the server fails to arrive, and every 20 s while
// the server is away; the banner goes as soon as the server answers again. With the device
// offline (navigator.onLine false) it asks nothing and says so: the page itself still works, from
// the service worker's cache (sw.js), and the cloud buttons say they need a connection.

/** How often the page asks again while the server is unreachable or degraded, in ms. */
export const RECHECK_MS = 20_000;

export const MESSAGES = {
  unreachable: 'The Retouch server cannot be reached right now. Editing on this device still works; '
    + 'signing in, saving to the cloud and AI edits will come back when the server does.',
  degraded: 'The Retouch server is having trouble. Editing on this device still works; '
    + 'saving to the cloud may fail for a while.',
  offline: 'You are offline. Editing photos, reading commands and downloads work on this device; '
    + 'signing in, saving to the cloud and AI edits need a connection, and nothing is queued for later.',
};

/**
 * The state a health answer (or failure) means: `ok`, `degraded` (it answered 503) or
 * `unreachable` (no answer, or not the Retouch server).
 */
export function healthState(result) {
  const reported = result.body?.status;
  if (result.ok && reported === 'ok') return 'ok';
  if (reported === 'degraded') return 'degraded';
  return 'unreachable';
}

/** The backend-status part of the page. */
export function createBackendStatus(page) {
  const { $, api, win } = page;
  let timer = 0;
  let state = 'ok';
  let checking = null;

  const status = {
    get state() { return state; },

    /** Asks the server now (one question at a time) and shows the answer. */
    check() {
      if (win.navigator?.onLine === false) {
        status.show('offline');
        return Promise.resolve();
      }
      checking ??= api.health()
        .then((result) => status.show(healthState(result)))
        .finally(() => { checking = null; });
      return checking;
    },

    /** Shows `next` (ok hides the banner) and, while not ok, asks again later. */
    show(next) {
      state = next;
      const banner = $('backend-banner');
      if (!banner) return; // the page is gone (closed while the question was out)
      banner.hidden = next === 'ok';
      banner.dataset.state = next;
      banner.textContent = next === 'ok' ? '' : MESSAGES[next];
      // The cloud controls say they need a connection while offline.
      const offline = next === 'offline';
      if (page.state && page.state.offline !== offline) {
        page.state.offline = offline;
        page.cloud?.renderAccount();
        page.run?.renderOverall();
      }
      win.clearTimeout(timer);
      // Offline, the browser's `online` event says when to ask again.
      if (next !== 'ok' && !offline) timer = win.setTimeout(() => status.check(), RECHECK_MS);
    },

    wire() {
      win.addEventListener('online', () => status.check());
      win.addEventListener('offline', () => status.show('offline'));
      api.onUnreachable?.(() => status.check());
      status.check();
    },
  };
  return status;
}
