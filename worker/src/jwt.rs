//! JSON Web Token verification (HS256, RS256, ES256) and HS256 signing for the development sign-in.
//!
//! The algorithm is chosen by the *key*, never by the token alone: an HS256 token verifies only
//! with the configured shared secret, RS256 only with an RSA key from the JWKS, ES256 only with a
//! P-256 key. So `alg: none`, unknown algorithms and algorithm confusion (an HS256 token "signed"
//! with a public RSA key) are refused. `exp` is required; `nbf`, `iss` and `aud` are checked; the
//! user is the `email` claim.
//!
//! ```
//! use retouch_worker::jwt::{sign_hs256, verify, JwtConfig};
//! use retouch_worker::keyring::KeyRing;
//! let cfg = JwtConfig { hs256: Some(KeyRing::single(b"s3cret")), ..JwtConfig::default() };
//! let token = sign_hs256(&serde_json::json!({"email": "ana@example.com", "exp": 2_000}), b"s3cret");
//! assert_eq!(verify(&token, &cfg, 1_000).unwrap().email, "ana@example.com");
//! assert!(verify(&token, &cfg, 3_000).is_err()); // expired
//! ```

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::Mac;
use p256::ecdsa::signature::Verifier as _;
use rsa::pkcs1v15::{Signature as RsaSignature, VerifyingKey as RsaVerifyingKey};
use rsa::{BigUint, RsaPublicKey};
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::keyring::{hmac_sha256, KeyRing};

/// The longest token accepted, in bytes (a header is not a place for megabytes).
const MAX_TOKEN_LEN: usize = 8 * 1024;
/// The longest accepted email.
const MAX_EMAIL_LEN: usize = 254;

/// A public key from a JWKS.
#[derive(Debug, Clone)]
pub enum PublicKey {
    /// An RSA key (`kty: RSA`), for RS256.
    Rsa {
        /// The key id, if the JWK has one.
        kid: Option<String>,
        /// The key.
        key: Box<RsaVerifyingKey<Sha256>>,
    },
    /// A P-256 key (`kty: EC, crv: P-256`), for ES256.
    P256 {
        /// The key id, if the JWK has one.
        kid: Option<String>,
        /// The key.
        key: Box<p256::ecdsa::VerifyingKey>,
    },
}

impl PublicKey {
    fn kid(&self) -> Option<&str> {
        match self {
            Self::Rsa { kid, .. } | Self::P256 { kid, .. } => kid.as_deref(),
        }
    }
}

/// What a token must satisfy.
#[derive(Debug, Clone, Default)]
pub struct JwtConfig {
    /// The HS256 shared secret (and, during a rotation, the previous one); `None` refuses HS256
    /// tokens.
    pub hs256: Option<KeyRing>,
    /// Public keys for RS256/ES256 (from a JWKS); empty refuses those algorithms.
    pub keys: Vec<PublicKey>,
    /// The required `iss`, if any.
    pub issuer: Option<String>,
    /// The required audience (`aud` equal to it or an array containing it), if any.
    pub audience: Option<String>,
    /// Clock skew allowed on `exp` and `nbf`, in seconds. Default 0.
    pub leeway_secs: i64,
}

/// The verified user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The `email` claim, lower-cased: the user's id everywhere (session owner, storage prefix).
    pub email: String,
    /// The token's expiry, seconds since the epoch.
    pub expires_at: i64,
}

/// Why a token was refused. The message is safe to show the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError(pub String);

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn fail<T>(msg: impl Into<String>) -> Result<T, AuthError> {
    Err(AuthError(msg.into()))
}

/// Parses a JWKS document (`{"keys": [...]}`); keys of other types or curves are skipped.
pub fn parse_jwks(json: &str) -> Result<Vec<PublicKey>, String> {
    let doc: Value = serde_json::from_str(json).map_err(|e| format!("JWKS is not JSON: {e}"))?;
    let keys = doc
        .get("keys")
        .and_then(Value::as_array)
        .ok_or("JWKS has no \"keys\" array")?;
    let mut out = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let field = |name: &str| k.get(name).and_then(Value::as_str);
        let bytes = |name: &str| -> Result<Vec<u8>, String> {
            let s = field(name).ok_or_else(|| format!("JWKS keys[{i}] has no {name}"))?;
            URL_SAFE_NO_PAD
                .decode(s.trim_end_matches('='))
                .map_err(|_| format!("JWKS keys[{i}].{name} is not base64url"))
        };
        let kid = field("kid").map(str::to_owned);
        if field("use").is_some_and(|u| u != "sig") {
            continue;
        }
        match (field("kty"), field("crv")) {
            (Some("RSA"), _) => {
                let n = BigUint::from_bytes_be(&bytes("n")?);
                let e = BigUint::from_bytes_be(&bytes("e")?);
                let key = RsaPublicKey::new(n, e)
                    .map_err(|e| format!("JWKS keys[{i}] is not a usable RSA key: {e}"))?;
                out.push(PublicKey::Rsa {
                    kid,
                    key: Box::new(RsaVerifyingKey::new(key)),
                });
            }
            (Some("EC"), Some("P-256")) => {
                let (x, y) = (bytes("x")?, bytes("y")?);
                if x.len() != 32 || y.len() != 32 {
                    return Err(format!("JWKS keys[{i}] has a bad P-256 point"));
                }
                let mut sec1 = Vec::with_capacity(65);
                sec1.push(4);
                sec1.extend_from_slice(&x);
                sec1.extend_from_slice(&y);
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                    .map_err(|_| format!("JWKS keys[{i}] is not a point on P-256"))?;
                out.push(PublicKey::P256 {
                    kid,
                    key: Box::new(key),
                });
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Verifies `token` at time `now` (seconds since the epoch) and returns the user.
pub fn verify(token: &str, cfg: &JwtConfig, now: i64) -> Result<Identity, AuthError> {
    if token.len() > MAX_TOKEN_LEN {
        return fail("the token is too long");
    }
    let mut parts = token.split('.');
    let (Some(h64), Some(p64), Some(s64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return fail("the token is not a JWS compact serialization (header.payload.signature)");
    };
    let header = decode_object(h64, "header")?;
    let signature = URL_SAFE_NO_PAD
        .decode(s64)
        .map_err(|_| AuthError("the token's signature is not base64url".into()))?;
    if header.contains_key("crit") {
        return fail("the token has critical header parameters this server does not understand");
    }
    let signed = &token[..h64.len() + 1 + p64.len()];
    let kid = header.get("kid").and_then(Value::as_str);
    match header.get("alg").and_then(Value::as_str) {
        Some("HS256") => verify_hs256(signed, &signature, cfg)?,
        Some("RS256") => verify_with_keys(signed, &signature, cfg, kid, "RS256")?,
        Some("ES256") => verify_with_keys(signed, &signature, cfg, kid, "ES256")?,
        Some(alg) => return fail(format!("the token's algorithm {alg:?} is not accepted")),
        None => return fail("the token's header has no alg"),
    }
    // The signature is good: only now is the payload worth reading.
    let claims = decode_object(p64, "payload")?;
    check_claims(&claims, cfg, now)
}

fn decode_object(part: &str, what: &str) -> Result<Map<String, Value>, AuthError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| AuthError(format!("the token's {what} is not base64url")))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(m)) => Ok(m),
        _ => fail(format!("the token's {what} is not a JSON object")),
    }
}

fn verify_hs256(signed: &str, signature: &[u8], cfg: &JwtConfig) -> Result<(), AuthError> {
    let Some(keys) = cfg.hs256.as_ref() else {
        return fail("HS256 tokens are not accepted here");
    };
    if keys.verifies(signed.as_bytes(), signature) {
        Ok(())
    } else {
        fail("the token's signature does not verify")
    }
}

fn verify_with_keys(
    signed: &str,
    signature: &[u8],
    cfg: &JwtConfig,
    kid: Option<&str>,
    alg: &str,
) -> Result<(), AuthError> {
    let mut candidates = cfg
        .keys
        .iter()
        .filter(|k| kid.is_none() || k.kid() == kid)
        .peekable();
    if candidates.peek().is_none() {
        return fail(format!("no key for this {alg} token"));
    }
    let ok = candidates.any(|key| match (alg, key) {
        ("RS256", PublicKey::Rsa { key, .. }) => RsaSignature::try_from(signature)
            .is_ok_and(|sig| key.verify(signed.as_bytes(), &sig).is_ok()),
        ("ES256", PublicKey::P256 { key, .. }) => p256::ecdsa::Signature::from_slice(signature)
            .is_ok_and(|sig| key.verify(signed.as_bytes(), &sig).is_ok()),
        _ => false,
    });
    if ok {
        Ok(())
    } else {
        fail("the token's signature does not verify")
    }
}

fn check_claims(
    claims: &Map<String, Value>,
    cfg: &JwtConfig,
    now: i64,
) -> Result<Identity, AuthError> {
    let time = |name: &str| -> Result<Option<i64>, AuthError> {
        match claims.get(name) {
            None => Ok(None),
            Some(v) => match v.as_f64() {
                Some(t) if t.is_finite() => Ok(Some(t.floor() as i64)),
                _ => fail(format!("the token's {name} is not a number")),
            },
        }
    };
    let Some(exp) = time("exp")? else {
        return fail("the token has no exp");
    };
    if now >= exp.saturating_add(cfg.leeway_secs) {
        return fail("the token has expired");
    }
    if let Some(nbf) = time("nbf")? {
        if now < nbf.saturating_sub(cfg.leeway_secs) {
            return fail("the token is not valid yet (nbf)");
        }
    }
    if let Some(iss) = &cfg.issuer {
        if claims.get("iss").and_then(Value::as_str) != Some(iss.as_str()) {
            return fail("the token's issuer is not accepted");
        }
    }
    if let Some(aud) = &cfg.audience {
        let ok = match claims.get("aud") {
            Some(Value::String(a)) => a == aud,
            Some(Value::Array(items)) => items.iter().any(|a| a.as_str() == Some(aud.as_str())),
            _ => false,
        };
        if !ok {
            return fail("the token's audience is not accepted");
        }
    }
    let email = match claims.get("email") {
        Some(Value::String(e)) => normalize_email(e)
            .ok_or_else(|| AuthError("the token's email claim is not a usable address".into()))?,
        _ => return fail("the token has no email claim"),
    };
    Ok(Identity {
        email,
        expires_at: exp,
    })
}

/// The email as a user id: trimmed, lower-cased, ASCII, one `@`, no characters that could break
/// a storage key or a header (`/`, `\`, whitespace, controls, `%`), at most 254 bytes.
///
/// ```
/// use retouch_worker::jwt::normalize_email;
/// assert_eq!(normalize_email(" Ana@Example.COM ").as_deref(), Some("ana@example.com"));
/// assert_eq!(normalize_email("../x@y.z"), None);
/// ```
pub fn normalize_email(email: &str) -> Option<String> {
    let e = email.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    let bad = |c: char| {
        c.is_whitespace() || c.is_control() || matches!(c, '/' | '\\' | '%' | '@' | '"' | '?' | '#')
    };
    let ok = e.is_ascii()
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && e.len() <= MAX_EMAIL_LEN
        && !local.contains("..")
        && !local.starts_with('.')
        && !e.chars().filter(|c| *c != '@').any(bad)
        && !domain.contains('@');
    ok.then_some(e)
}

/// Signs `claims` as an HS256 JWT.
pub fn sign_hs256(claims: &Value, secret: &[u8]) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signed = format!("{header}.{payload}");
    let mut mac = hmac_sha256(secret);
    mac.update(signed.as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signed}.{sig}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs1v15::SigningKey;
    use rsa::signature::{SignatureEncoding, Signer};
    use rsa::traits::PublicKeyParts;
    use serde_json::json;

    const SECRET: &[u8] = b"test-secret-0123456789";

    fn cfg() -> JwtConfig {
        JwtConfig {
            hs256: Some(KeyRing::single(SECRET)),
            issuer: Some("retouch".into()),
            audience: Some("retouch-api".into()),
            ..JwtConfig::default()
        }
    }

    fn claims() -> Value {
        json!({"email": "Ana@Example.com", "iss": "retouch", "aud": "retouch-api", "exp": 2000, "nbf": 900})
    }

    #[test]
    fn during_a_rotation_tokens_of_the_previous_secret_still_verify() {
        let old = sign_hs256(&claims(), b"old-secret");
        let new = sign_hs256(&claims(), SECRET);
        let rotating = JwtConfig {
            hs256: Some(KeyRing::new(SECRET.to_vec(), Some(b"old-secret".to_vec()))),
            ..cfg()
        };
        assert!(verify(&old, &rotating, 1000).is_ok());
        assert!(verify(&new, &rotating, 1000).is_ok());
        assert!(verify(&sign_hs256(&claims(), b"forged"), &rotating, 1000).is_err());
        // Once the previous secret is removed, its tokens stop working.
        assert!(verify(&old, &cfg(), 1000).is_err());
    }

    fn b64(v: &Value) -> String {
        URL_SAFE_NO_PAD.encode(v.to_string())
    }

    #[test]
    fn hs256_round_trip_and_claims() {
        let t = sign_hs256(&claims(), SECRET);
        let id = verify(&t, &cfg(), 1000).unwrap();
        assert_eq!(id.email, "ana@example.com");
        assert!(verify(&t, &cfg(), 2000).unwrap_err().0.contains("expired"));
        assert!(verify(&t, &cfg(), 800).unwrap_err().0.contains("nbf"));
        let mut c = claims();
        c["aud"] = json!(["other", "retouch-api"]);
        assert!(verify(&sign_hs256(&c, SECRET), &cfg(), 1000).is_ok());
        c["aud"] = json!("other");
        assert!(verify(&sign_hs256(&c, SECRET), &cfg(), 1000)
            .unwrap_err()
            .0
            .contains("audience"));
        let mut c = claims();
        c["iss"] = json!("evil");
        assert!(verify(&sign_hs256(&c, SECRET), &cfg(), 1000)
            .unwrap_err()
            .0
            .contains("issuer"));
        let mut c = claims();
        c.as_object_mut().unwrap().remove("exp");
        assert!(verify(&sign_hs256(&c, SECRET), &cfg(), 1000)
            .unwrap_err()
            .0
            .contains("exp"));
        let mut c = claims();
        c.as_object_mut().unwrap().remove("email");
        assert!(verify(&sign_hs256(&c, SECRET), &cfg(), 1000).is_err());
    }

    #[test]
    fn tampering_and_wrong_secret_fail() {
        let t = sign_hs256(&claims(), SECRET);
        let (head, rest) = t.split_once('.').unwrap();
        let (_, sig) = rest.split_once('.').unwrap();
        let mut c = claims();
        c["email"] = json!("mallory@example.com");
        let forged = format!("{head}.{}.{sig}", b64(&c));
        assert!(verify(&forged, &cfg(), 1000)
            .unwrap_err()
            .0
            .contains("signature"));
        assert!(verify(&sign_hs256(&claims(), b"other"), &cfg(), 1000).is_err());
        assert!(verify("a.b", &cfg(), 1000).is_err());
        assert!(verify("", &cfg(), 1000).is_err());
        assert!(verify(&"x".repeat(10_000), &cfg(), 1000).is_err());
    }

    #[test]
    fn alg_none_and_unknown_algs_are_refused() {
        for alg in ["none", "None", "HS512", "PS256"] {
            let t = format!("{}.{}.", b64(&json!({"alg": alg})), b64(&claims()));
            assert!(verify(&t, &cfg(), 1000).is_err(), "{alg}");
        }
        let no_alg = format!("{}.{}.", b64(&json!({"typ": "JWT"})), b64(&claims()));
        assert!(verify(&no_alg, &cfg(), 1000).is_err());
    }

    fn rsa_key() -> (rsa::RsaPrivateKey, Vec<PublicKey>, String) {
        let mut rng = rand_core::OsRng;
        let private = rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap();
        let public = private.to_public_key();
        let jwk = json!({"keys": [{"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
            "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
            "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be())}]})
        .to_string();
        let keys = parse_jwks(&jwk).unwrap();
        (private, keys, jwk)
    }

    #[test]
    fn rs256_and_algorithm_confusion() {
        let (private, keys, jwk) = rsa_key();
        let cfg = JwtConfig { keys, ..cfg() };
        let signer = SigningKey::<Sha256>::new(private);
        let signed = format!(
            "{}.{}",
            b64(&json!({"alg": "RS256", "kid": "k1"})),
            b64(&claims())
        );
        let sig = signer.sign(signed.as_bytes()).to_bytes();
        let token = format!("{signed}.{}", URL_SAFE_NO_PAD.encode(&sig));
        assert_eq!(verify(&token, &cfg, 1000).unwrap().email, "ana@example.com");
        let wrong_kid = format!(
            "{}.{}",
            b64(&json!({"alg": "RS256", "kid": "k2"})),
            b64(&claims())
        );
        let sig2 = signer.sign(wrong_kid.as_bytes()).to_bytes();
        assert!(verify(
            &format!("{wrong_kid}.{}", URL_SAFE_NO_PAD.encode(&sig2)),
            &cfg,
            1000
        )
        .is_err());
        // HS256 "signed" with the public key's JWK text as the secret must fail: HS256 uses only
        // the configured shared secret.
        let confused = {
            let signed = format!(
                "{}.{}",
                b64(&json!({"alg": "HS256", "kid": "k1"})),
                b64(&claims())
            );
            let mut mac = hmac_sha256(jwk.as_bytes());
            mac.update(signed.as_bytes());
            format!(
                "{signed}.{}",
                URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
            )
        };
        assert!(verify(&confused, &cfg, 1000).is_err());
        let no_hs = JwtConfig {
            hs256: None,
            ..cfg.clone()
        };
        assert!(verify(&sign_hs256(&claims(), SECRET), &no_hs, 1000)
            .unwrap_err()
            .0
            .contains("HS256"));
    }

    #[test]
    fn es256_verifies() {
        use p256::ecdsa::signature::Signer as _;
        let sk = p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
        let point = sk.verifying_key().to_encoded_point(false);
        let jwk = json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": "e1",
            "x": URL_SAFE_NO_PAD.encode(point.x().unwrap()),
            "y": URL_SAFE_NO_PAD.encode(point.y().unwrap())}]});
        let cfg = JwtConfig {
            keys: parse_jwks(&jwk.to_string()).unwrap(),
            ..cfg()
        };
        let signed = format!("{}.{}", b64(&json!({"alg": "ES256"})), b64(&claims()));
        let sig: p256::ecdsa::Signature = sk.sign(signed.as_bytes());
        let token = format!("{signed}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()));
        assert!(verify(&token, &cfg, 1000).is_ok());
        // An ES256 header on an RS-only config, and vice versa, fail.
        let rs_header = format!("{}.{}", b64(&json!({"alg": "RS256"})), b64(&claims()));
        let t = format!("{rs_header}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()));
        assert!(verify(&t, &cfg, 1000).is_err());
    }

    #[test]
    fn emails_are_normalized() {
        assert_eq!(normalize_email("a.b+c@x.io").as_deref(), Some("a.b+c@x.io"));
        for bad in [
            "", "x", "@x.io", "a@b", "a@@b.c", "a b@c.d", "a/b@c.d", "a@b.c/d", "a%2f@b.c",
        ] {
            assert_eq!(normalize_email(bad), None, "{bad}");
        }
    }
}
