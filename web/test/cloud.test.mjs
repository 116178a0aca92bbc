import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uploadsById, sessionRequest } from '../src/cloud.js';
import { makePage, FakeApi, settle } from './page-env.mjs';

const doneImg = (id, format = 'jpg', size = 100) => ({
  id, status: 'done', file: { name: `${id}.jpg`, size: 1000, type: 'image/jpeg' },
  result: { fileName: `${id}-edited.${format}`, blob: new Blob([new Uint8Array(size)]), format, size, width: 10, height: 8 },
});

test('uploads by id from a list or an object', () => {
  assert.deepEqual([...uploadsById([{ imageId: 'a', url: '/u/a' }, { id: 'b', url: '/u/b' }]).keys()], ['a', 'b']);
  assert.deepEqual(uploadsById({ a: { url: '/u/a' } }).get('a'), { url: '/u/a' });
  assert.equal(uploadsById(null).size, 0);
});

test('the session records the steps that ran and pins one output format', () => {
  const job = { toolCalls: [{ tool: 'flip', params: { direction: 'vertical' } }], options: { quality: 80 }, command: 'x'.repeat(1200) };
  const body = sessionRequest(job, [doneImg('a'), doneImg('b')]);
  assert.deepEqual(body.operation.toolCalls, job.toolCalls);
  assert.equal(body.operation.command.length, 1000);
  assert.deepEqual(body.options, { quality: 80, outputFormat: 'jpg' });
  assert.deepEqual(body.images[0], { id: 'a', name: 'a.jpg', size: 1000, type: 'image/jpeg', tags: [] });
  const mixed = sessionRequest({ ...job, command: '' }, [doneImg('a'), doneImg('b', 'png')]);
  assert.deepEqual(mixed.options, { quality: 80 });
  assert.equal('command' in mixed.operation, false);
});

/** A page with two results, signed in, whose server accepts uploads except `failing`'s. */
function withResults(failing) {
  const api = new FakeApi({
    auth: { token: 't', email: 'ana@example.com' },
    createSession: () => ({ sessionId: 's1', progressUrl: '/image-edit/progress/s1', uploads: [{ imageId: 'a', url: '/u/a' }, { imageId: 'b', url: '/u/b' }] }),
    upload: (upload, blob, { onProgress }) => {
      onProgress(0.5);
      if (upload.url === `/u/${failing}`) throw new Error('403 Forbidden');
      onProgress(1);
      return null;
    },
    reportProgress: () => null,
    getSession: () => ({ images: [] }),
  });
  const t = makePage({ api });
  const { state } = t.page;
  state.images.set('a', doneImg('a')).set('b', doneImg('b'));
  state.run = { active: false, toolCalls: [], options: {}, ids: ['a', 'b'], command: '', startedAt: 0, endedAt: 1 };
  return t;
}

test('save to cloud uploads each result and reports each outcome', async () => {
  const t = withResults(null);
  try {
    await t.page.cloud.save();
    const c = t.page.state.cloud;
    assert.equal(c.active, false);
    assert.equal(c.error, '');
    assert.equal(c.text, 'Saved 2 photos to your cloud session.');
    assert.equal(c.sessionId, 's1');
    const reports = t.api.calls.filter(([n]) => n === 'reportProgress').map(([, , u]) => [u.imageId, u.status]);
    assert.deepEqual(reports.filter(([, s]) => s === 'complete').map(([id]) => id).sort(), ['a', 'b']);
    assert.equal(t.$('cloud-title').textContent, 'Saved to cloud');
    assert.equal(t.$('cloud-link').getAttribute('href'), '#session=s1');
    assert.equal(t.$('save-cloud').textContent, 'Saved ✓');
    assert.equal(t.$('session-view').hidden, false, 'the live view opens');
  } finally {
    await t.close();
  }
});

test('a failed upload fails that photo only and says why', async () => {
  const t = withResults('b');
  try {
    await t.page.cloud.save();
    const c = t.page.state.cloud;
    assert.equal(c.error, 'partial');
    assert.equal(c.text, '1 saved, 1 failed: 403 Forbidden');
    const failed = t.api.calls.find(([n, , u]) => n === 'reportProgress' && u.status === 'error');
    assert.equal(failed[2].imageId, 'b');
    // The server counts failures by this kind (its image_failed metric), never by the free text.
    assert.equal(failed[2].errorKind, 'upload_failed');
  } finally {
    await t.close();
  }
});

test('the session of an AI run stores what finished and ends the rest as failed or cancelled', async () => {
  const t = withResults(null);
  try {
    const failed = { id: 'c', status: 'error', error: 'cannot decode image', file: { name: 'c.jpg' } };
    const cancelled = { id: 'd', status: 'cancelled', file: { name: 'd.jpg' } };
    const targets = [t.page.state.images.get('a'), t.page.state.images.get('b'), failed, cancelled];
    await t.page.cloud.finishSession({ sessionId: 's1', progressUrl: '/image-edit/progress/s1', uploads: [{ imageId: 'a', url: '/u/a' }, { imageId: 'b', url: '/u/b' }] }, targets);
    const final = t.api.calls.filter(([n, , u]) => n === 'reportProgress' && ['complete', 'error'].includes(u.status)).map(([, , u]) => [u.imageId, u.status, u.error ?? '']);
    assert.deepEqual(final.sort(), [
      ['a', 'complete', ''], ['b', 'complete', ''],
      ['c', 'error', 'Failed on this device: cannot decode image'], ['d', 'error', 'Cancelled on this device'],
    ]);
    assert.equal(t.api.calls.filter(([n]) => n === 'createSession').length, 0, 'no second session');
    assert.equal(t.page.state.cloud.text, 'Saved 2 photos to your cloud session.');
    assert.equal(t.$('save-cloud').textContent, 'Saved ✓');
  } finally {
    await t.close();
  }
});

test('signed out, saving asks to sign in first; cancelling saves nothing', async () => {
  const api = new FakeApi({ devLogin: (email) => ({ token: 't', email }) });
  const t = makePage({ api });
  try {
    let open = false;
    t.$('signin-dialog').showModal = () => { open = true; };
    t.$('signin-dialog').close = () => { open = false; };
    t.page.cloud.wire();
    t.page.state.images.set('a', doneImg('a'));
    t.page.state.run = { active: false, toolCalls: [], options: {}, ids: ['a'] };
    const saving = t.page.cloud.save();
    assert.equal(open, true);
    t.page.cloud.cancelSignIn();
    await saving;
    assert.equal(t.page.state.cloud, null);

    const signingIn = t.page.cloud.requestSignIn();
    t.$('signin-email').value = ' ana@example.com ';
    t.$('signin-form').dispatchEvent(new t.win.Event('submit', { cancelable: true }));
    assert.deepEqual(await signingIn, { token: 't', email: 'ana@example.com' });
    await settle();
    assert.equal(open, false);
    t.page.cloud.renderAccount();
    assert.equal(t.$('account-email').textContent, 'ana@example.com');
    assert.equal(t.$('sign-in').hidden, true);
  } finally {
    await t.close();
  }
});
