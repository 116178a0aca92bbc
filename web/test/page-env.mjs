// A page for unit tests: web/src/index.html in happy-dom (scripts left out), a pool whose jobs
// the test answers, an API double that records calls, and in-memory storage. The page's parts
// run on it exactly as in the browser, minus the engine and the network.

import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { createPage, useToolSchema } from '../src/page.js';
import { toolSchema } from './tool-schema.mjs';

const HTML = readFileSync(new URL('../src/index.html', import.meta.url), 'utf8')
  .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
  .replace(/<link\b[^>]*>/g, '');

/** A pool double: each `run` waits until the test settles it (or `auto` answers it). */
export class FakePool {
  constructor(auto = {}) {
    this.jobs = [];
    this.auto = auto;
  }

  run(type, msg, { signal, onProgress } = {}) {
    return new Promise((resolve, reject) => {
      const job = { type, msg, signal, onProgress, resolve, reject };
      signal?.addEventListener('abort', () => reject(Object.assign(new Error('Cancelled'), { name: 'AbortError' })), { once: true });
      this.jobs.push(job);
      const answer = this.auto[type];
      if (answer) Promise.resolve().then(() => answer(job));
    });
  }

  /** The jobs of one type not yet taken by `take`. */
  pendingOf(type) {
    return this.jobs.filter((j) => j.type === type);
  }
}

/** An API double: signed out unless `auth` is given; every call is recorded in `calls`. */
export class FakeApi {
  constructor({ auth = null, ...handlers } = {}) {
    this.auth = auth;
    this.calls = [];
    this.handlers = handlers;
    this.authListeners = [];
  }

  get signedIn() { return Boolean(this.auth); }

  onAuthChange(fn) { this.authListeners.push(fn); }

  signOut() { this.auth = null; for (const fn of this.authListeners) fn(null); }

  #call(name, ...args) {
    this.calls.push([name, ...args]);
    const h = this.handlers[name];
    if (!h) return Promise.reject(Object.assign(new Error(`${name} not expected`), { status: 0 }));
    try {
      return Promise.resolve(h(...args));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  devLogin(email) { return this.#call('devLogin', email).then((a) => { this.auth = a; return a; }); }
  parseCommand(...a) { return this.#call('parseCommand', ...a); }
  createSession(...a) { return this.#call('createSession', ...a); }
  reportProgress(...a) { return this.#call('reportProgress', ...a); }
  upload(...a) { return this.#call('upload', ...a); }
  getSession(...a) { return this.#call('getSession', ...a); }
  listSessions(...a) { return this.#call('listSessions', ...a); }

  /** The server's health: `{ok: true, status: 200, body: {status: 'ok'}}` unless a `health` handler says otherwise (not recorded). */
  health() { return Promise.resolve(this.handlers.health ? this.handlers.health() : { ok: true, status: 200, body: { status: 'ok' } }); }

  progressStream(idOrUrl) {
    this.calls.push(['progressStream', idOrUrl]);
    this.stream = new FakeEventSource(idOrUrl);
    return this.stream;
  }
}

/** An EventSource double: the test sends events with `emit`. */
export class FakeEventSource {
  static CLOSED = 2;
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.listeners = {};
  }

  addEventListener(type, fn) { (this.listeners[type] ??= []).push(fn); }

  close() { this.readyState = FakeEventSource.CLOSED; }

  emit(type, data) {
    const e = { type, data: typeof data === 'string' ? data : JSON.stringify(data) };
    for (const fn of this.listeners[type] ?? []) fn(e);
  }
}

/** `localStorage` in memory. */
export function memoryStorage(init = {}) {
  const m = new Map(Object.entries(init));
  return {
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => { m.set(k, String(v)); },
    removeItem: (k) => { m.delete(k); },
  };
}

/**
 * A page on index.html. Options: `pool`, `api`, `storage`, `url`, `schema` (the engine's
 * toolSchema(); null for a page whose engine has not loaded yet). `dialogs` records
 * showModal/close calls (happy-dom's dialogs are not modal). Call `close()` at the end.
 */
export function makePage({
  pool = new FakePool(), api = new FakeApi(), storage = memoryStorage(), url = 'http://127.0.0.1:8787/', schema = toolSchema(),
} = {}) {
  const win = new Window({ url, settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
  win.document.write(HTML);
  win.EventSource = FakeEventSource;
  // Frames come when the test says: `flushFrames()`.
  const frames = [];
  win.requestAnimationFrame = (fn) => frames.push(fn);
  win.cancelAnimationFrame = () => {};
  const page = createPage({ doc: win.document, win, pool, api, storage });
  if (schema) useToolSchema(page, schema);
  return {
    page, win, doc: win.document, pool, api, storage, $: page.$,
    flushFrames() { for (const fn of frames.splice(0)) fn(); },
    close: () => win.happyDOM.close(),
  };
}

/** A small file with a name (the bytes do not matter: the pool is a double). */
export function file(name, size = 1000, type = 'image/jpeg') {
  return new File([new Uint8Array(size)], name, { type });
}

/** Lets pending promise callbacks run. */
export const settle = () => new Promise((r) => setTimeout(r, 0));
