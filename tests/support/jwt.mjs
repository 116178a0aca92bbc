// Mints JSON Web Tokens for tests (HS256, RS256, ES256, and deliberately broken ones).
import crypto from 'node:crypto';

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const part = (obj) => b64url(JSON.stringify(obj));

/** An HS256 token for `claims` signed with `secret`. */
export function hs256(claims, secret, header = {}) {
  const signed = `${part({ alg: 'HS256', typ: 'JWT', ...header })}.${part(claims)}`;
  return `${signed}.${b64url(crypto.createHmac('sha256', secret).update(signed).digest())}`;
}

/** An unsigned token (`alg: none`). */
export function algNone(claims) {
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/** Fresh RSA and P-256 key pairs and their JWKS (public keys only). */
export function keyPairs() {
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsaJwk = { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', alg: 'RS256', use: 'sig' };
  const ecJwk = { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', alg: 'ES256', use: 'sig' };
  return { rsa, ec, rsaJwk, ecJwk, jwks: { keys: [rsaJwk, ecJwk] } };
}

/** An RS256 token signed with `privateKey`. */
export function rs256(claims, privateKey, kid = 'rsa-1') {
  const signed = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(claims)}`;
  return `${signed}.${b64url(crypto.sign('sha256', Buffer.from(signed), privateKey))}`;
}

/** An ES256 token signed with `privateKey` (raw r||s signature, as JWS requires). */
export function es256(claims, privateKey, kid = 'ec-1') {
  const signed = `${part({ alg: 'ES256', typ: 'JWT', kid })}.${part(claims)}`;
  const sig = crypto.sign('sha256', Buffer.from(signed), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signed}.${b64url(sig)}`;
}

/** Standard claims for `email`, valid for an hour, for the worker's test issuer/audience. */
export function claimsFor(email, extra = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { email, sub: email, iss: 'retouch', aud: 'retouch-api', iat: now, nbf: now - 5, exp: now + 3600, ...extra };
}
