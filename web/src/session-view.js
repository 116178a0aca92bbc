// The live view of a saved session: its photos and events over Server-Sent Events, also in a
// second tab (`#session=<id>`), and the signed-in account's list of saved sessions.

/** The session's photo after an update from the stream. */
export function applyUpdate(images, u) {
  const prev = images.get(u.imageId) ?? { name: u.imageId };
  images.set(u.imageId, { ...prev, status: u.status, progress: Number(u.progress) || 0, message: u.message ?? '', result: u.result ?? prev.result, name: u.result?.name ?? prev.name });
}

/** An event of the stream as a line of the log. */
export function eventText(type, data, images) {
  if (data.imageId) {
    const name = images.get(data.imageId)?.name ?? data.imageId;
    return `${name}: ${data.message || data.status}${data.status === 'processing' && data.progress != null ? ` · ${Math.round(data.progress)} %` : ''}`;
  }
  if (type === 'session') return `Session started · ${data.imageCount ?? '?'} photos`;
  if (type === 'complete') return `All saved${data.failed?.length ? ` · ${data.failed.length} failed` : ''}`;
  return data.message ?? data.status ?? type;
}

/** A session id as the worker makes them: `ses_` and 24 hex digits. */
export const SESSION_ID = /^ses_[0-9a-f]{24}$/;

/**
 * The session id in a location hash (`#session=…`), or null — also for anything that is not a
 * session id (a URL, a path), which must never become a place the sign-in token is sent to.
 */
export function sessionIdFromHash(hash) {
  const m = /(?:^#|&)session=([^&]+)/.exec(hash);
  if (!m) return null;
  let id;
  try {
    id = decodeURIComponent(m[1]);
  } catch {
    return null;
  }
  return SESSION_ID.test(id) ? id : null;
}

const STATE_WORDS = { connecting: 'Connecting…', live: 'Live', complete: 'Saved', error: 'Failed', disconnected: 'Reconnecting…' };
const LIST_STATE_WORDS = { complete: 'Saved', processing: 'In progress', error: 'Failed' };

/** The session view part of the page. */
export function createSessionView(page) {
  const { state, $, api } = page;
  const sv = state.session;
  let stream = null;
  const el = (tag, props) => Object.assign(page.doc.createElement(tag), props);

  function logEvent(type, data) {
    const li = page.doc.createElement('li');
    const time = page.doc.createElement('time');
    time.textContent = new Date().toLocaleTimeString();
    li.append(time, ` ${eventText(type, data, sv.images)}`);
    li.dataset.type = type;
    const list = $('session-view-events');
    list.prepend(li);
    while (list.children.length > 200) list.lastChild.remove();
  }

  function imageItem([id, im]) {
    const li = page.doc.createElement('li');
    li.dataset.status = im.status;
    li.dataset.id = id;
    const name = el('span', { className: 'name', textContent: im.name ?? id, title: im.name ?? id });
    const bar = page.doc.createElement('progress');
    bar.max = 100;
    bar.value = im.status === 'complete' ? 100 : im.progress;
    bar.setAttribute('aria-label', `${im.name ?? id} saved`);
    const st = el('span', {
      className: 'small muted',
      textContent: im.status === 'complete' ? 'Saved' : im.status === 'error' ? (im.message || 'Failed') : im.status === 'processing' ? `${im.progress} %` : 'Waiting',
    });
    const thumb = el('span', { className: 'session-thumb' });
    if (im.result?.url) thumb.append(el('img', { src: im.result.url, alt: '' }));
    li.append(thumb, name, bar, st);
    if (im.result?.url) {
      const a = el('a', { href: im.result.url, textContent: 'Open', target: '_blank', rel: 'noopener' });
      a.setAttribute('aria-label', `Open ${im.name ?? id}`);
      li.append(a);
    }
    return li;
  }

  const view = {
    /** Shows session `sessionId` and follows it live (its stream at `progressUrl`, if given). */
    async open(sessionId, progressUrl) {
      if (stream && sv.id === sessionId) return;
      stream?.close();
      Object.assign(sv, { id: sessionId, images: new Map(), events: 0, state: 'connecting' });
      $('session-view').hidden = false;
      $('session-view-events').replaceChildren();
      $('session-view-meta').textContent = `Session ${sessionId}`;
      view.render();
      try {
        const s = await api.getSession(sessionId);
        const meta = [s.createdAt && `started ${new Date(s.createdAt).toLocaleString()}`, s.summary && `“${s.summary}”`].filter(Boolean);
        $('session-view-meta').textContent = `Session ${sessionId}${meta.length ? ` · ${meta.join(' · ')}` : ''}`;
        for (const im of s.images ?? []) {
          sv.images.set(im.id, { name: im.result?.name ?? im.name, status: im.status ?? 'queued', progress: Number(im.progress) || 0, message: im.message ?? '', result: im.result });
        }
        if (s.status && s.status !== 'processing') sv.state = s.status;
      } catch (err) {
        if (err.status === 401) { sv.state = 'sign in to see this session'; view.render(); return; }
        if (err.status === 404) { sv.state = 'not found'; view.render(); return; }
      }
      view.render();
      const es = api.progressStream(progressUrl || sessionId);
      stream = es;
      es.onopen = () => { if (sv.state === 'connecting') sv.state = 'live'; view.render(); };
      const onData = (e) => {
        let data;
        try { data = JSON.parse(e.data); } catch { return; }
        sv.events++;
        logEvent(e.type, data);
        if (data.imageId) applyUpdate(sv.images, data);
        if (!data.imageId && (e.type === 'complete' || e.type === 'error')) {
          sv.state = e.type;
          // The session has ended: its stream would only replay on reconnect.
          es.close();
        } else if (sv.state === 'connecting') sv.state = 'live';
        view.render();
      };
      es.onmessage = onData;
      for (const type of ['progress', 'session', 'complete', 'error']) es.addEventListener(type, onData);
      es.onerror = () => {
        if (es.readyState === page.win.EventSource.CLOSED && sv.state !== 'complete') { sv.state = 'disconnected'; view.render(); }
      };
    },

    close() {
      stream?.close();
      stream = null;
      sv.id = '';
      $('session-view').hidden = true;
      const { location, history } = page.win;
      if (location.hash.includes('session=')) history.replaceState(null, '', location.pathname + location.search);
    },

    render() {
      const pill = $('session-view-state');
      pill.textContent = STATE_WORDS[sv.state] ?? sv.state;
      pill.dataset.state = sv.state;
      $('session-view-count').textContent = sv.events ? `(${sv.events})` : '';
      $('session-view-images').replaceChildren(...[...sv.images].map(imageItem));
    },

    /** The "Saved sessions" dialog. */
    async openList() {
      const list = $('sessions-list');
      list.replaceChildren(el('li', { className: 'muted', textContent: 'Loading…' }));
      $('sessions-dialog').showModal();
      try {
        const { sessions } = await api.listSessions();
        if (!sessions.length) {
          list.replaceChildren(el('li', { className: 'muted', textContent: 'No saved sessions yet. Process photos, then “Save to cloud”.' }));
          return;
        }
        list.replaceChildren(...sessions.map((s) => {
          const li = page.doc.createElement('li');
          const a = el('a', { href: `#session=${encodeURIComponent(s.sessionId)}`, textContent: s.summary || s.sessionId });
          a.addEventListener('click', () => $('sessions-dialog').close());
          const meta = el('span', {
            className: 'muted small',
            textContent: `${new Date(s.createdAt).toLocaleString()} · ${s.imageCount} ${s.imageCount === 1 ? 'photo' : 'photos'}`,
          });
          const pill = el('span', { className: 'pill', textContent: LIST_STATE_WORDS[s.status] ?? s.status });
          pill.dataset.state = s.status;
          li.append(a, meta, pill);
          return li;
        }));
      } catch (err) {
        list.replaceChildren(el('li', { className: 'error-text', textContent: `Couldn't load your sessions: ${err.message}` }));
      }
    },

    /** Opens the session named in the location hash, signing in first if need be. */
    async openFromHash() {
      const id = sessionIdFromHash(page.win.location.hash);
      if (!id) return;
      if (!api.signedIn) {
        try {
          await page.cloud.requestSignIn();
        } catch {
          $('session-view').hidden = false;
          sv.state = 'sign in to see this session';
          view.render();
          return;
        }
      }
      view.open(id);
    },

    wire() {
      $('session-close').addEventListener('click', view.close);
      $('open-sessions').addEventListener('click', view.openList);
      page.win.addEventListener('hashchange', view.openFromHash);
    },
  };
  return view;
}
