// The page's entry: once the DOM is ready, start the engine pool and the page; the step editors
// follow when the engine's tool schema is known. Then the installed-app side (pwa.js): the
// service worker (offline after one visit), and photos opened with or shared to Retouch.

import { compileEngine, enginePool, mainThreadEngine } from './engine.js';
import { wasmUrl } from './engine/wasm-url.js';
import { Api } from './api.js';
import { createPage, startPage, testHooks, useToolSchema } from './page.js';
import { registerServiceWorker, receiveLaunchedFiles, sharedId, takeSharedFiles } from './pwa.js';

function main() {
  const compiled = compileEngine(wasmUrl);
  const page = createPage({ doc: document, win: window, pool: enginePool(compiled), api: new Api() });
  startPage(page);
  const ready = mainThreadEngine(compiled, () => import('./engine/index.js'))
    .then((engine) => useToolSchema(page, engine.toolSchema()))
    .catch((err) => console.error('The engine could not be loaded on this page:', err));
  const installed = startInstalledApp(page);
  // The tests' hooks appear once the page is complete (editors included).
  ready.finally(() => { window.retouch = Object.assign(testHooks(page), { serviceWorker: installed }); });
}

/** The service worker, "Open with Retouch" and "Share to Retouch". Resolves to the registration (or null). */
function startInstalledApp(page) {
  receiveLaunchedFiles((files) => page.photos.addFiles(files, 'opened with Retouch'));
  if (sharedId(location.search)) {
    takeSharedFiles(location.search)
      .then((files) => page.photos.addFiles(files, 'shared with Retouch'))
      .catch((err) => page.ui.notice(err.message, 'warn'))
      // The share is taken: a reload must not look for it again.
      .finally(() => history.replaceState(null, '', `${location.pathname}${location.hash}`));
  }
  return registerServiceWorker({
    onUpdateReady: (apply) => {
      page.$('update-banner').hidden = false;
      page.$('update-apply').addEventListener('click', apply, { once: true });
    },
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main, { once: true });
else main();
