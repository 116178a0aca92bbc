// Sessions expire: the Durable Object's alarm forgets the session, the listing hides it and the
// cron trigger purges the index. Run with a 2-second lifetime instead of 24 hours.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWorker } from '../support/worker.mjs';
import { claimsFor, hs256 } from '../support/jwt.mjs';
import { client, TEST_VARS } from './helpers.mjs';

let worker;
before(async () => { worker = await startWorker({ vars: { ...TEST_VARS, SESSION_TTL_SECONDS: '2' } }); });
after(async () => { await worker?.stop(); });

test('a session is gone after its lifetime', async () => {
  const api = client(worker.url);
  const t = hs256(claimsFor('ttl@x.io'), TEST_VARS.JWT_SECRET);
  const r = await api('POST', '/image-edit', {
    token: t,
    body: { images: [{ id: 'a', name: 'a.png' }], operation: { type: 'bulk', bulkOp: { type: 'rotate', params: { degrees: 180 } } } },
  });
  assert.equal(r.status, 202);
  assert.equal(r.json.expiresAt - r.json.createdAt, 2000);
  const id = r.json.sessionId;
  assert.equal((await api('GET', `/image-edit/${id}`, { token: t })).status, 200);
  let status = 200;
  for (let i = 0; i < 40 && status === 200; i++) {
    await new Promise((res) => setTimeout(res, 250));
    status = (await api('GET', `/image-edit/${id}`, { token: t })).status;
  }
  assert.equal(status, 404, 'the alarm did not forget the session');
  assert.equal((await fetch(`${worker.url}/image-edit/progress/${id}`, { headers: { authorization: `Bearer ${t}` } })).status, 404);
  assert.deepEqual((await api('GET', '/image-edit/sessions', { token: t })).json.sessions, []);
  assert.equal((await fetch(`${worker.url}/cdn-cgi/local/scheduled`)).status, 200);
  const late = await api('POST', `/image-edit/${id}/progress`, { token: t, body: { imageId: 'a', status: 'processing' } });
  assert.equal(late.status, 404);
});
