// The page's entry: once the DOM is ready, start the engine pool and the page; the step editors
// follow when the engine's tool schema is known.

import { compileEngine, enginePool, mainThreadEngine } from './engine.js';
import { wasmUrl } from './engine/wasm-url.js';
import { Api } from './api.js';
import { createPage, startPage, testHooks, useToolSchema } from './page.js';

function main() {
  const compiled = compileEngine(wasmUrl);
  const page = createPage({ doc: document, win: window, pool: enginePool(compiled), api: new Api() });
  startPage(page);
  mainThreadEngine(compiled, () => import('./engine/index.js'))
    .then((engine) => useToolSchema(page, engine.toolSchema()))
    .catch((err) => console.error('The engine could not be loaded on this page:', err))
    // The tests' hooks appear once the page is complete (editors included).
    .finally(() => { window.retouch = testHooks(page); });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main, { once: true });
else main();
