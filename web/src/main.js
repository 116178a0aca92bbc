// The page's entry: once the DOM is ready, start the engine pool and the page.

import { compileEngine, enginePool } from './engine.js';
import { wasmUrl } from './engine/wasm-url.js';
import { Api } from './api.js';
import { createPage, startPage, testHooks } from './page.js';

function main() {
  const page = createPage({ doc: document, win: window, pool: enginePool(compileEngine(wasmUrl)), api: new Api() });
  startPage(page);
  window.retouch = testHooks(page);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main, { once: true });
else main();
