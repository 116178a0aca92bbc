// S3 SigV4 presigned PUT URLs for direct upload to R2's S3 API, against moto's S3 server (PyPI
// `moto[server]`). moto stores what the URL puts but does not check query-string signatures, so
// each signature is also recomputed with botocore (an independent SigV4 implementation).
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { freePort, startWorker } from '../support/worker.mjs';
import { claimsFor, hs256 } from '../support/jwt.mjs';
import { client, PNG_1x1, TEST_VARS } from './helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const hasMoto = spawnSync('python3', ['-c', 'import moto.server, botocore'], { stdio: 'ignore' }).status === 0;
const S3 = { R2_ACCESS_KEY_ID: 'AKIDRETOUCHTEST', R2_SECRET_ACCESS_KEY: 'retouch/test+secret', R2_BUCKET_NAME: 'retouch-results', R2_REGION: 'auto' };
let moto;
let motoUrl;
let worker;

before(async () => {
  if (!hasMoto) return;
  const port = await freePort();
  motoUrl = `http://127.0.0.1:${port}`;
  moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', detached: true });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${motoUrl}/moto-api/`)).status < 500) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal((await fetch(`${motoUrl}/${S3.R2_BUCKET_NAME}`, { method: 'PUT' })).status, 200);
  worker = await startWorker({ vars: { ...TEST_VARS, ...S3, R2_S3_ENDPOINT: motoUrl } });
});
after(async () => {
  await worker?.stop();
  if (moto) try { process.kill(-moto.pid, 'SIGTERM'); } catch { /* gone */ }
});

const verify = (url, ...headers) => {
  try {
    return execFileSync('python3', [path.join(HERE, 's3_verify.py'), url, S3.R2_ACCESS_KEY_ID, S3.R2_SECRET_ACCESS_KEY, 'auto', ...headers], { encoding: 'utf8' }).trim();
  } catch (e) {
    return e.stdout?.trim() || String(e);
  }
};

test('uploads carry SigV4 presigned PUT URLs that botocore verifies and moto stores', { skip: !hasMoto && 'moto[server] is not installed' }, async () => {
  const api = client(worker.url);
  const t = hs256(claimsFor('s3@x.io'), TEST_VARS.JWT_SECRET);
  const r = await api('POST', '/image-edit', {
    token: t,
    body: { images: [{ id: 'a', name: 'cat pic.png' }], operation: { type: 'bulk', bulkOp: { type: 'flip', params: { direction: 'horizontal' } } } },
  });
  assert.equal(r.status, 202, r.text);
  const u = r.json.uploads[0];
  assert.ok(u.s3, 'no s3 URL');
  const url = new URL(u.s3.url);
  assert.equal(url.origin, motoUrl);
  assert.equal(decodeURIComponent(url.pathname), `/${S3.R2_BUCKET_NAME}/${u.key}`);
  assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'content-type;host');
  assert.equal(verify(u.s3.url, `content-type:${u.contentType}`), 'ok');
  // The signature binds the content type and the key.
  assert.match(verify(u.s3.url, 'content-type:text/html'), /mismatch/);
  assert.match(verify(u.s3.url.replace('cat-pic', 'dog-pic'), `content-type:${u.contentType}`), /mismatch/);
  const put = await fetch(u.s3.url, { method: 'PUT', headers: { 'content-type': u.contentType }, body: PNG_1x1 });
  assert.equal(put.status, 200, await put.text());
  // Read it back with boto3 (a private object: an anonymous GET would be refused).
  const got = execFileSync('python3', ['-c', `
import base64, boto3, sys
s3 = boto3.client("s3", endpoint_url=sys.argv[1], aws_access_key_id="x", aws_secret_access_key="y", region_name="us-east-1")
o = s3.get_object(Bucket=sys.argv[2], Key=sys.argv[3])
print(o["ContentType"], base64.b64encode(o["Body"].read()).decode())`, motoUrl, S3.R2_BUCKET_NAME, u.key], { encoding: 'utf8' }).trim().split(' ');
  assert.equal(got[0], u.contentType);
  assert.deepEqual(Buffer.from(got[1], 'base64'), PNG_1x1);
});
