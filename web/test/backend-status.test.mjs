import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healthState, MESSAGES, RECHECK_MS } from '../src/backend-status.js';
import { makePage, FakeApi, settle } from './page-env.mjs';

test('what a health answer means', () => {
  assert.equal(healthState({ ok: true, status: 200, body: { status: 'ok' } }), 'ok');
  assert.equal(healthState({ ok: false, status: 503, body: { status: 'degraded' } }), 'degraded');
  assert.equal(healthState({ ok: false, status: 0, body: null }), 'unreachable');
  // Something answered, but not the Retouch server (a static host, a proxy's error page).
  assert.equal(healthState({ ok: true, status: 200, body: null }), 'unreachable');
  assert.equal(healthState({ ok: false, status: 404, body: null }), 'unreachable');
  assert.equal(healthState({ ok: false, status: 502, body: { error: 'bad gateway' } }), 'unreachable');
});

/** A page whose server answers `answers` in turn (the last one repeats). */
function pageWithServer(answers) {
  let n = 0;
  const api = new FakeApi({ health: () => answers[Math.min(n++, answers.length - 1)] });
  const t = makePage({ api });
  const timers = [];
  t.win.setTimeout = (fn, ms) => { timers.push({ fn, ms }); return timers.length; };
  t.win.clearTimeout = () => {};
  return { ...t, timers, asked: () => n };
}

const DOWN = { ok: false, status: 0, body: null };
const UP = { ok: true, status: 200, body: { status: 'ok' } };

test('the banner shows while the server is unreachable and goes when it answers', async () => {
  const t = pageWithServer([DOWN, UP]);
  const banner = t.$('backend-banner');
  assert.equal(banner.hidden, true);
  t.page.backend.wire();
  await settle();
  assert.equal(banner.hidden, false);
  assert.equal(banner.textContent, MESSAGES.unreachable);
  assert.match(banner.textContent, /Editing on this device still works/);
  // It asks again later by itself.
  assert.equal(t.timers.at(-1).ms, RECHECK_MS);
  t.timers.at(-1).fn();
  await settle();
  assert.equal(banner.hidden, true);
  assert.equal(t.page.backend.state, 'ok');
  assert.equal(t.asked(), 2);
  t.close();
});

test('a degraded server has its own words; going offline shows the banner at once', async () => {
  const t = pageWithServer([{ ok: false, status: 503, body: { status: 'degraded' } }, UP]);
  const banner = t.$('backend-banner');
  await t.page.backend.check();
  assert.equal(banner.dataset.state, 'degraded');
  assert.equal(banner.textContent, MESSAGES.degraded);
  t.win.dispatchEvent(new t.win.Event('online'));
  t.page.backend.wire();
  await settle();
  assert.equal(banner.hidden, true);
  t.win.dispatchEvent(new t.win.Event('offline'));
  assert.equal(banner.hidden, false);
  assert.equal(banner.dataset.state, 'offline');
  assert.equal(banner.textContent, MESSAGES.offline);
  t.close();
});

test('offline: nothing is asked, the cloud buttons say they need a connection, and back online they return', async () => {
  const t = pageWithServer([UP]);
  let onLine = false;
  Object.defineProperty(t.win.navigator, 'onLine', { configurable: true, get: () => onLine });
  t.page.backend.wire();
  await settle();
  assert.equal(t.asked(), 0, 'no request while offline');
  assert.equal(t.$('backend-banner').dataset.state, 'offline');
  assert.match(t.$('backend-banner').textContent, /offline.*need a connection.*nothing is queued/);
  assert.equal(t.$('sign-in').disabled, true);
  assert.match(t.$('sign-in').title, /needs a connection/);
  onLine = true;
  t.win.dispatchEvent(new t.win.Event('online'));
  await settle();
  assert.equal(t.asked(), 1);
  assert.equal(t.$('backend-banner').hidden, true);
  assert.equal(t.$('sign-in').disabled, false);
  t.close();
});

test('local editing does not wait for the server: photos still add while it is away', async () => {
  const t = pageWithServer([DOWN]);
  t.page.backend.wire();
  await settle();
  assert.equal(t.$('backend-banner').hidden, false);
  // The editing controls stay enabled.
  assert.equal(t.$('file-input').disabled, false);
  assert.equal(t.$('command').disabled, false);
  t.close();
});
