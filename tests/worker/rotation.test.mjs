// Rotating JWT_SECRET and UPLOAD_SECRET on local workerd: during a rotation window
// (JWT_SECRET_PREVIOUS / UPLOAD_SECRET_PREVIOUS set) tokens and signed URLs made with the old key
// still work, new ones are made with the new key, and forgeries fail; once the previous key is
// removed, what the old key signed stops working.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startWorker } from '../support/worker.mjs';
import { claimsFor, hs256 } from '../support/jwt.mjs';
import { client, PNG_1x1, signGet, signPut, TEST_VARS } from './helpers.mjs';

const OLD = { jwt: 'old-jwt-secret-0123456789abcdef0123', upload: 'old-upload-secret-0123456789abcdef' };
const NEW = { jwt: 'new-jwt-secret-abcdef0123456789abcd', upload: 'new-upload-secret-abcdef0123456789' };
const FORGED = { jwt: 'forged-jwt-secret-000000000000000000', upload: 'forged-upload-secret-0000000000000' };
const USER = 'ana@example.com';
const later = () => Math.floor(Date.now() / 1000) + 600;
const key = (name) => `${USER}/ses_0123456789abcdef01234567/${name}.png`;
const put = (base, secret, name) => signPut(base, secret, { key: key(name), contentType: 'image/png', maxBytes: 10_000, expires: later() });
const upload = (url) => fetch(url, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: PNG_1x1 });

describe('during a rotation window', () => {
  let worker;
  let api;
  before(async () => {
    worker = await startWorker({
      vars: {
        ...TEST_VARS,
        JWT_SECRET: NEW.jwt, JWT_SECRET_PREVIOUS: OLD.jwt,
        UPLOAD_SECRET: NEW.upload, UPLOAD_SECRET_PREVIOUS: OLD.upload,
      },
    });
    api = client(worker.url);
  });
  after(async () => { await worker?.stop(); });

  test('a token signed with the old JWT_SECRET still signs in; a forged one does not', async () => {
    for (const secret of [OLD.jwt, NEW.jwt]) {
      const r = await api('GET', '/image-edit/sessions', { token: hs256(claimsFor(USER), secret) });
      assert.equal(r.status, 200, r.text);
    }
    const forged = await api('GET', '/image-edit/sessions', { token: hs256(claimsFor(USER), FORGED.jwt) });
    assert.equal(forged.status, 401);
  });

  test('new tokens are signed with the new JWT_SECRET', async () => {
    const r = await api('POST', '/auth/dev-login', { body: { email: USER } });
    assert.equal(r.status, 200);
    const [h, p, sig] = r.json.token.split('.');
    const mac = (secret) => crypto.createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url');
    assert.equal(sig, mac(NEW.jwt));
    assert.notEqual(sig, mac(OLD.jwt));
  });

  test('upload and result URLs signed with the old UPLOAD_SECRET still work; forged ones do not', async () => {
    const old = await upload(put(worker.url, OLD.upload, 'old'));
    assert.equal(old.status, 201, await old.text());
    const fresh = await upload(put(worker.url, NEW.upload, 'new'));
    assert.equal(fresh.status, 201);
    const forged = await upload(put(worker.url, FORGED.upload, 'forged'));
    assert.equal(forged.status, 403);
    const read = await api('GET', signGet(worker.url, OLD.upload, { key: key('old'), expires: later() }));
    assert.equal(read.status, 200);
    const forgedRead = await api('GET', signGet(worker.url, FORGED.upload, { key: key('old'), expires: later() }));
    assert.equal(forgedRead.status, 403);
  });

  test('URLs the worker issues now are signed with the new UPLOAD_SECRET', async () => {
    const token = hs256(claimsFor(USER), NEW.jwt);
    const body = { images: [{ id: 'a', name: 'a.png', size: 10, type: 'image/png' }], operation: { type: 'bulk', bulkOp: { type: 'rotate', params: { degrees: 90 } } } };
    const r = await api('POST', '/image-edit', { token, body });
    assert.equal(r.status, 202, r.text);
    const u = r.json.uploads[0];
    const q = new URL(u.url, worker.url).searchParams;
    const expected = new URL(signPut(worker.url, NEW.upload, {
      key: u.key, contentType: u.contentType, maxBytes: Number(q.get('max')), imageId: q.get('img') ?? '', tags: q.get('tags') ?? '', expires: Number(q.get('exp')),
    })).searchParams.get('sig');
    assert.equal(q.get('sig'), expected);
  });
});

describe('after the rotation window (the previous keys removed)', () => {
  let worker;
  let api;
  before(async () => {
    worker = await startWorker({ vars: { ...TEST_VARS, JWT_SECRET: NEW.jwt, UPLOAD_SECRET: NEW.upload } });
    api = client(worker.url);
  });
  after(async () => { await worker?.stop(); });

  test('the old key signs nothing in any more', async () => {
    assert.equal((await api('GET', '/image-edit/sessions', { token: hs256(claimsFor(USER), OLD.jwt) })).status, 401);
    assert.equal((await api('GET', '/image-edit/sessions', { token: hs256(claimsFor(USER), NEW.jwt) })).status, 200);
    assert.equal((await upload(put(worker.url, OLD.upload, 'late'))).status, 403);
    assert.equal((await upload(put(worker.url, NEW.upload, 'late'))).status, 201);
  });
});
