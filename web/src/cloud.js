// Sign-in and "Save to cloud": a session is created with the originals' names and the steps that
// ran here, each result is PUT to its signed URL (two at a time, with upload progress), and each
// photo's outcome is reported to the session, which the session view follows live.

import { finished } from './state.js';
import * as fmt from './format.js';

/** The session's signed uploads by image id (the server sends a list or an object). */
export function uploadsById(uploads) {
  const map = new Map();
  if (Array.isArray(uploads)) for (const u of uploads) map.set(u.imageId ?? u.id, u);
  else if (uploads && typeof uploads === 'object') for (const [k, v] of Object.entries(uploads)) map.set(k, v);
  return map;
}

/**
 * The `POST /image-edit` body for a run and the photos it finished. The session records exactly
 * the steps that ran here (the server validates them), not a command it would read again and
 * perhaps differently; the options pin the format produced, as the server names each upload and
 * binds its content type from them.
 */
export function sessionRequest(job, done) {
  const operation = { type: 'toolCalls', toolCalls: job.toolCalls, ...(job.command ? { command: job.command.slice(0, 1000) } : {}) };
  const formats = new Set(done.map((i) => i.result.format));
  const options = { ...job.options, ...(formats.size === 1 ? { outputFormat: [...formats][0] } : {}) };
  return {
    images: done.map((i) => ({ id: i.id, name: i.file.name, size: i.file.size, type: i.file.type || undefined, tags: [] })),
    operation,
    options,
  };
}

/** The cloud part of the page: the account, sign-in and saving. */
export function createCloud(page) {
  const { state, $, api } = page;
  const signInWaiters = [];

  async function uploadOne(sessionId, img, upload, c) {
    img.cloudError = undefined;
    const report = (update) => api.reportProgress(sessionId, { imageId: img.id, ...update }).catch(() => {});
    try {
      if (!upload) throw new Error('the server gave no upload address for this photo');
      await report({ status: 'processing', progress: 0, message: `Uploading ${img.result.fileName}` });
      let lastReport = 0;
      await api.upload(upload, img.result.blob, {
        onProgress: (f) => {
          c.loaded.set(img.id, f * img.result.size);
          cloud.render();
          const pct = Math.round(f * 100);
          if (pct - lastReport >= 25 && pct < 100) {
            lastReport = pct;
            report({ status: 'processing', progress: pct, message: `Uploading ${img.result.fileName} (${pct} %)` });
          }
        },
      });
      const r = img.result;
      // The server fills the result's id, url, name, tags and format from its upload plan.
      await api.reportProgress(sessionId, {
        imageId: img.id, status: 'complete', progress: 100, message: 'Saved',
        result: { width: r.width, height: r.height, size: r.size, timestamp: Date.now() },
      });
    } catch (err) {
      img.cloudError = err.message;
      await report({ status: 'error', progress: 0, message: `Upload failed: ${err.message}`, error: err.message, errorKind: 'upload_failed' });
    }
  }

  /** A save's state, shown in the cloud box; it stays this save's even if the page moves on. */
  function begin(done) {
    const c = { active: true, total: done.reduce((s, i) => s + i.result.size, 0), loaded: new Map(), text: 'Starting a session…', error: '' };
    state.cloud = c;
    page.run.renderRunButton();
    cloud.render();
    page.run.renderOverall();
    return c;
  }

  function end(c) {
    c.active = false;
    cloud.render();
    page.run.renderOverall();
    page.run.renderRunButton();
    page.ui.announce(c.text);
  }

  /** Uploads `done`'s results to `session` (two at a time) and says how it went in `c`. */
  async function uploadAll(session, done, c) {
    c.sessionId = session.sessionId;
    c.text = 'Uploading…';
    cloud.render();
    page.session.open(session.sessionId, session.progressUrl);
    const uploads = uploadsById(session.uploads);
    // Two uploads at a time: enough to fill the link, gentle on a phone.
    const queue = [...done];
    const worker = async () => {
      for (let img = queue.shift(); img; img = queue.shift()) await uploadOne(session.sessionId, img, uploads.get(img.id), c);
    };
    await Promise.all([worker(), worker()]);
    const failed = done.filter((i) => i.cloudError);
    c.text = failed.length
      ? `${done.length - failed.length} saved, ${failed.length} failed: ${failed[0].cloudError}`
      : `Saved ${done.length} ${done.length === 1 ? 'photo' : 'photos'} to your cloud session.`;
    c.error = failed.length ? 'partial' : '';
  }

  const cloud = {
    /** Resolves once signed in (asking in the sign-in dialog if need be); rejects if cancelled. */
    requestSignIn() {
      if (api.signedIn) return Promise.resolve(api.auth);
      return new Promise((resolve, reject) => {
        signInWaiters.push({ resolve, reject });
        $('signin-error').hidden = true;
        $('signin-dialog').showModal();
        $('signin-email').select();
      });
    },

    async submitSignIn(e) {
      e.preventDefault();
      const submit = $('signin-submit');
      submit.disabled = true;
      try {
        const auth = await api.devLogin($('signin-email').value.trim());
        $('signin-dialog').close();
        for (const w of signInWaiters.splice(0)) w.resolve(auth);
        page.ui.announce(`Signed in as ${auth.email}.`);
      } catch (err) {
        $('signin-error').textContent = err.status === 404
          ? 'Development sign-in is only available when running locally.'
          : `Couldn't sign in: ${err.message}`;
        $('signin-error').hidden = false;
      } finally {
        submit.disabled = false;
      }
    },

    cancelSignIn() {
      $('signin-dialog').close();
      for (const w of signInWaiters.splice(0)) w.reject(Object.assign(new Error('Sign-in cancelled'), { name: 'AbortError' }));
    },

    /** Saves the last run's results to a new cloud session (signing in first if need be). */
    async save() {
      const done = finished(state);
      const job = state.run;
      if (!done.length || !job || state.cloud?.active) return;
      if (state.offline) {
        page.ui.announce('Saving to the cloud needs a connection. Nothing was saved or queued.');
        return;
      }
      try {
        await cloud.requestSignIn();
      } catch {
        return;
      }
      const c = begin(done);
      try {
        const session = await api.createSession(sessionRequest(job, done));
        await uploadAll(session, done, c);
      } catch (err) {
        c.error = 'failed';
        c.text = `Couldn't save: ${err.message}`;
      }
      end(c);
    },

    /**
     * Ends the session a run with AI steps started (ai-edit.js): each finished photo's result is
     * stored in it, and each photo that failed or was cancelled here is reported so, so the
     * session ends instead of waiting for results that will never come.
     */
    async finishSession(session, targets) {
      const done = targets.filter((i) => i.status === 'done' && i.result);
      for (const img of targets.filter((i) => !done.includes(i))) {
        const why = img.status === 'cancelled' ? 'Cancelled on this device' : `Failed on this device: ${img.error ?? 'unknown error'}`;
        await api.reportProgress(session.sessionId, { imageId: img.id, status: 'error', progress: 0, message: why, error: why }).catch(() => {});
      }
      if (!done.length) return;
      const c = begin(done);
      try {
        await uploadAll(session, done, c);
      } catch (err) {
        c.error = 'failed';
        c.text = `Couldn't save: ${err.message}`;
      }
      end(c);
    },

    /** The cloud box in the batch bar. */
    render() {
      const c = state.cloud;
      const box = $('cloud');
      box.hidden = !c;
      $('batchbar').hidden = !state.run && !c;
      if (!c) return;
      const loaded = [...c.loaded.values()].reduce((a, b) => a + b, 0);
      $('cloud-bar').value = c.total ? loaded / c.total : 0;
      $('cloud-title').textContent = c.active ? 'Saving to cloud…' : c.error === 'failed' ? 'Not saved' : 'Saved to cloud';
      box.dataset.state = c.active ? 'active' : c.error || 'done';
      $('cloud-text').textContent = c.active && c.total
        ? `${c.text} ${fmt.bytes(Math.round(loaded))} of ${fmt.bytes(c.total)}`
        : c.text;
      const link = $('cloud-link');
      link.hidden = !c.sessionId;
      if (c.sessionId) link.href = `#session=${encodeURIComponent(c.sessionId)}`;
    },

    /** The header's account controls. */
    renderAccount() {
      const auth = api.auth;
      $('account-email').hidden = !auth;
      $('account-email').textContent = auth?.email ?? '';
      $('sign-in').hidden = Boolean(auth);
      $('sign-out').hidden = !auth;
      $('open-sessions').hidden = !auth;
      const offline = Boolean(state.offline);
      $('sign-in').disabled = offline;
      $('sign-in').title = offline ? 'Signing in needs a connection.' : '';
      $('parser-note').textContent = auth ? 'Read by the server' : 'Read on this device';
    },

    wire() {
      $('save-cloud').addEventListener('click', cloud.save);
      $('sign-in').addEventListener('click', () => cloud.requestSignIn().catch(() => {}));
      $('sign-out').addEventListener('click', () => { api.signOut(); page.ui.announce('Signed out.'); });
      $('signin-form').addEventListener('submit', cloud.submitSignIn);
      $('signin-cancel').addEventListener('click', cloud.cancelSignIn);
      $('signin-dialog').addEventListener('cancel', () => cloud.cancelSignIn());
      api.onAuthChange(cloud.renderAccount);
    },
  };
  return cloud;
}
