import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdate, eventText, sessionIdFromHash } from '../src/session-view.js';
import { makePage, FakeApi, settle } from './page-env.mjs';

test('updates, event lines and the hash', () => {
  const images = new Map([['a', { name: 'Dune.jpg', status: 'queued', progress: 0 }]]);
  applyUpdate(images, { imageId: 'a', status: 'processing', progress: '40', message: 'Uploading' });
  assert.deepEqual(images.get('a'), { name: 'Dune.jpg', status: 'processing', progress: 40, message: 'Uploading', result: undefined });
  applyUpdate(images, { imageId: 'b', status: 'complete', progress: 100, result: { name: 'b-edited.jpg', url: '/r/b' } });
  assert.equal(images.get('b').name, 'b-edited.jpg');
  assert.equal(eventText('progress', { imageId: 'a', status: 'processing', progress: 40.4, message: 'Uploading' }, images), 'Dune.jpg: Uploading · 40 %');
  assert.equal(eventText('session', { imageCount: 3 }, images), 'Session started · 3 photos');
  assert.equal(eventText('complete', { failed: ['x'] }, images), 'All saved · 1 failed');
  assert.equal(eventText('error', { message: 'gone' }, images), 'gone');
  const id = 'ses_0123456789abcdef01234567';
  assert.equal(sessionIdFromHash(`#session=${id}`), id);
  assert.equal(sessionIdFromHash(`#x=1&session=${id}`), id);
  // Anything else is no session: never a URL or path the token could be sent to.
  for (const bad of ['s%201', 'abc', 'https%3A%2F%2Fevil.example%2Fx', '%2F%2Fevil.example', '%2Fimage-edit%2Fprogress%2Fx', '%E0%A4%A', `${id}x`]) {
    assert.equal(sessionIdFromHash(`#session=${bad}`), null, bad);
  }
  assert.equal(sessionIdFromHash('#sessions'), null);
});

test('the live view shows the saved state, then follows the stream until the session ends', async () => {
  const api = new FakeApi({
    auth: { token: 't', email: 'a@b.c' },
    getSession: () => ({ createdAt: 1_764_000_000_000, summary: 'flip', status: 'processing', images: [{ id: 'a', name: 'a.jpg', status: 'queued' }] }),
  });
  const t = makePage({ api });
  try {
    await t.page.session.open('s1', '/image-edit/progress/s1');
    assert.equal(t.$('session-view').hidden, false);
    assert.match(t.$('session-view-meta').textContent, /^Session s1 · started .* · “flip”$/);
    assert.equal(t.$('session-view-state').textContent, 'Connecting…');
    const es = api.stream;
    assert.equal(es.url, '/image-edit/progress/s1');
    es.emit('session', { imageCount: 1 });
    assert.equal(t.$('session-view-state').textContent, 'Live');
    es.emit('progress', { imageId: 'a', status: 'complete', progress: 100, result: { name: 'a-edited.jpg', url: '/r/a' } });
    const item = t.doc.querySelector('#session-view-images li');
    assert.equal(item.dataset.status, 'complete');
    assert.equal(item.querySelector('.name').textContent, 'a-edited.jpg');
    assert.equal(item.querySelector('a').getAttribute('href'), '/r/a');
    es.emit('progress', 'not json');
    es.emit('complete', {});
    assert.equal(t.$('session-view-state').textContent, 'Saved');
    assert.equal(t.$('session-view-count').textContent, '(3)');
    assert.equal(es.readyState, 2, 'an ended session closes its stream');
    assert.deepEqual([...t.doc.querySelectorAll('#session-view-events li')].map((l) => l.dataset.type), ['complete', 'progress', 'session']);
  } finally {
    await t.close();
  }
});

test('a session that is not there, or not ours, says so', async () => {
  const api = new FakeApi({ auth: { token: 't' }, getSession: () => { throw Object.assign(new Error('no'), { status: 404 }); } });
  const t = makePage({ api });
  try {
    await t.page.session.open('nope');
    assert.equal(t.$('session-view-state').textContent, 'not found');
    assert.equal(api.stream, undefined);
  } finally {
    await t.close();
  }
});

test('#session= in the URL opens the view; signed out and declining sign-in, it says why', async () => {
  const api = new FakeApi({ getSession: () => ({ images: [] }) });
  const t = makePage({ api, url: 'http://127.0.0.1:8787/#session=ses_00000000000000000000abcd' });
  try {
    t.$('signin-dialog').showModal = () => {};
    t.$('signin-dialog').close = () => {};
    const opening = t.page.session.openFromHash();
    t.page.cloud.cancelSignIn();
    await opening;
    assert.equal(t.$('session-view-state').textContent, 'sign in to see this session');
    api.auth = { token: 't' };
    await t.page.session.openFromHash();
    await settle();
    assert.equal(t.page.state.session.id, 'ses_00000000000000000000abcd');
    t.page.session.close();
    assert.equal(t.$('session-view').hidden, true);
    assert.equal(t.win.location.hash, '');
  } finally {
    await t.close();
  }
});

test('the saved sessions list', async () => {
  const api = new FakeApi({
    auth: { token: 't' },
    listSessions: () => ({ sessions: [{ sessionId: 's1', summary: 'flip', createdAt: 0, imageCount: 1, status: 'complete' }] }),
  });
  const t = makePage({ api });
  try {
    t.$('sessions-dialog').showModal = () => {};
    await t.page.session.openList();
    const li = t.doc.querySelector('#sessions-list li');
    assert.equal(li.querySelector('a').getAttribute('href'), '#session=s1');
    assert.match(li.querySelector('.muted').textContent, / · 1 photo$/);
    assert.equal(li.querySelector('.pill').textContent, 'Saved');
    api.handlers.listSessions = () => { throw new Error('offline'); };
    await t.page.session.openList();
    assert.equal(t.doc.querySelector('#sessions-list li').textContent, "Couldn't load your sessions: offline");
  } finally {
    await t.close();
  }
});
