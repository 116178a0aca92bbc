// The page's client for the Retouch worker (same origin). Only "Save to cloud", the session view
// and server-side command parsing talk to it; editing itself never leaves the device.

const TOKEN_KEY = 'retouch.auth';

/** The stored sign-in ({token, email, exp}) if it has not expired, else null. */
export function loadAuth(storage = globalThis.localStorage) {
  try {
    const auth = JSON.parse(storage.getItem(TOKEN_KEY) ?? 'null');
    if (!auth?.token) return null;
    if (auth.exp && auth.exp * 1000 < Date.now() + 30_000) return null;
    return auth;
  } catch {
    return null;
  }
}

function saveAuth(auth, storage = globalThis.localStorage) {
  if (auth) storage.setItem(TOKEN_KEY, JSON.stringify(auth));
  else storage.removeItem(TOKEN_KEY);
}

/** The claims of a JWT (not verified: the worker verifies; the page only reads exp and email). */
export function jwtClaims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '=')));
  } catch {
    return {};
  }
}

/** An error from the worker, with its HTTP status and the body's message. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

async function errorFrom(res) {
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  const msg = body?.error?.message ?? body?.message ?? (typeof body?.error === 'string' ? body.error : null);
  return new ApiError(res.status, msg ?? `${res.status} ${res.statusText}`, body);
}

export class Api {
  constructor(base = '') {
    this.base = base;
    this.auth = loadAuth();
    this.listeners = new Set();
    this.unreachableListeners = new Set();
  }

  /** Calls `fn()` whenever a request fails to reach the server. */
  onUnreachable(fn) {
    this.unreachableListeners.add(fn);
  }

  #unreachable() {
    for (const fn of this.unreachableListeners) fn();
  }

  /**
   * `GET /v1/health` within `timeoutMs`: `{ok, status, body}` (status 0 when nothing answered).
   * Never throws: the answer is what the page shows.
   */
  async health({ timeoutMs = 5000 } = {}) {
    try {
      const res = await fetch(`${this.base}/v1/health`, { headers: { Accept: 'application/json' }, cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
      let body = null;
      try { body = await res.json(); } catch { /* not the Retouch server */ }
      return { ok: res.ok, status: res.status, body };
    } catch {
      return { ok: false, status: 0, body: null };
    }
  }

  get signedIn() {
    return Boolean(this.auth);
  }

  /** Calls `fn(auth)` whenever the sign-in changes (also from another tab). */
  onAuthChange(fn) {
    this.listeners.add(fn);
    globalThis.addEventListener?.('storage', (e) => {
      if (e.key === TOKEN_KEY) { this.auth = loadAuth(); fn(this.auth); }
    });
  }

  #setAuth(auth) {
    this.auth = auth;
    saveAuth(auth);
    for (const fn of this.listeners) fn(auth);
  }

  /** Development sign-in (local mode only): a real signed token from the local worker. */
  async devLogin(email) {
    const res = await this.#json('POST', '/auth/dev-login', { email }, false);
    const claims = jwtClaims(res.token);
    this.#setAuth({ token: res.token, email: res.email ?? claims.email ?? claims.sub ?? email, exp: claims.exp ?? res.expiresAt });
    return this.auth;
  }

  signOut() {
    this.#setAuth(null);
  }

  /** `{toolCalls, parser, unparsed, notes?}` from the worker's parser (LLM or rules). */
  parseCommand(command, imageCount) {
    return this.#json('POST', '/v1/commands:parse', { command, imageCount });
  }

  /** Starts a session: `{sessionId, progressUrl, uploads, …}`. */
  createSession(body) {
    return this.#json('POST', '/image-edit', body);
  }

  reportProgress(sessionId, update) {
    return this.#json('POST', `/image-edit/${encodeURIComponent(sessionId)}/progress`, update);
  }

  getSession(sessionId) {
    return this.#json('GET', `/image-edit/${encodeURIComponent(sessionId)}`);
  }

  listSessions() {
    return this.#json('GET', '/image-edit/sessions');
  }

  /**
   * PUTs `blob` to a signed upload URL, reporting `onProgress(fraction)`. XHR, because fetch has
   * no upload progress in browsers yet.
   */
  upload(upload, blob, { onProgress, signal } = {}) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(upload.method ?? 'PUT', new URL(upload.url, location.href));
      const headers = upload.headers ?? {};
      for (const [k, v] of Object.entries(headers)) {
        if (!/^content-length$/i.test(k)) xhr.setRequestHeader(k, v);
      }
      if (!Object.keys(headers).some((k) => /^content-type$/i.test(k))) {
        xhr.setRequestHeader('Content-Type', upload.contentType ?? blob.type);
      }
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress?.(e.loaded / e.total); };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          let body = null;
          try { body = JSON.parse(xhr.responseText); } catch { /* empty */ }
          onProgress?.(1);
          resolve(body);
        } else {
          let msg = `${xhr.status} ${xhr.statusText}`;
          try { const b = JSON.parse(xhr.responseText); msg = b?.error?.message ?? b?.message ?? msg; } catch { /* text */ }
          reject(new ApiError(xhr.status, msg));
        }
      };
      xhr.onerror = () => reject(new ApiError(0, 'The upload could not reach the server.'));
      xhr.onabort = () => reject(Object.assign(new Error('Cancelled'), { name: 'AbortError' }));
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(blob);
    });
  }

  /**
   * The session's live progress as Server-Sent Events. EventSource cannot send an Authorization
   * header, so the token goes in the query (the worker accepts `?access_token=` on this route).
   * @returns {EventSource}
   */
  progressStream(sessionIdOrUrl) {
    const server = new URL(this.base || '/', location.href);
    const url = sessionIdOrUrl.startsWith('/') || sessionIdOrUrl.includes('://')
      ? new URL(sessionIdOrUrl, server)
      : new URL(`${this.base}/image-edit/progress/${encodeURIComponent(sessionIdOrUrl)}`, location.href);
    // The token goes only to this server's own progress route, whatever a URL says.
    if (url.origin !== server.origin || !url.pathname.startsWith(`${server.pathname.replace(/\/$/, '')}/image-edit/progress/`)) {
      throw new Error(`not a progress stream of this server: ${url.href}`);
    }
    if (this.auth?.token && !url.searchParams.has('access_token')) url.searchParams.set('access_token', this.auth.token);
    return new EventSource(url);
  }

  /** Whether AI edits are available here: `{edit: {available, provider?, maxSide?, message?}}`. */
  capabilities() {
    return this.#json('GET', '/v1/images:capabilities', undefined, false);
  }

  /**
   * A generative edit of one image of a session: `{url, width, height, description, quota, …}`.
   * `mask` is a PNG Blob or null (no mask: the whole picture is edited).
   */
  async editImage(sessionId, imageId, image, mask, prompt, { signal } = {}) {
    const form = new FormData();
    form.set('sessionId', sessionId);
    form.set('imageId', imageId);
    form.set('prompt', prompt);
    form.set('image', image, 'image.png');
    if (mask) form.set('mask', mask, 'mask.png');
    const headers = { Accept: 'application/json' };
    if (this.auth?.token) headers.Authorization = `Bearer ${this.auth.token}`;
    let res;
    try {
      res = await fetch(`${this.base}/v1/images:edit`, { method: 'POST', headers, body: form, signal });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      this.#unreachable();
      throw new ApiError(0, 'The server could not be reached.');
    }
    if (res.status === 401 && this.auth) this.#setAuth(null);
    if (!res.ok) throw await errorFrom(res);
    return res.json();
  }

  async #json(method, path, body, auth = true) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth && this.auth?.token) headers.Authorization = `Bearer ${this.auth.token}`;
    let res;
    try {
      res = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      this.#unreachable();
      throw new ApiError(0, 'The server could not be reached.');
    }
    if (res.status === 401 && auth && this.auth) this.#setAuth(null);
    if (!res.ok) throw await errorFrom(res);
    return res.status === 204 ? null : res.json();
  }
}
