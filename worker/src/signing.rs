//! Signed, expiring URLs for putting a result into storage and reading it back.
//!
//! A [`Grant`] binds one method, one object key (`userId/sessionId/name.format`), one content
//! type, a size limit, the image it is for and its tags, and an expiry. Its HMAC-SHA256 over a
//! canonical string travels in the query (`sig`); changing any part breaks the signature.
//!
//! ```
//! use retouch_worker::keyring::KeyRing;
//! use retouch_worker::signing::{Grant, Method};
//! let keys = KeyRing::single(b"secret");
//! let g = Grant::put("ana@x.io/ses_0123456789abcdef01234567/a-1200w.png", "image/png", 1000, 60)
//!     .for_image("img_1", &["beach".into(), "edited".into()]);
//! let q = g.query(b"secret");
//! let back = Grant::verify(Method::Put, &g.key, &q, &keys, 59).unwrap();
//! assert_eq!(back, g);
//! assert!(Grant::verify(Method::Put, &g.key, &q, &keys, 61).is_err()); // expired
//! assert!(Grant::verify(Method::Get, &g.key, &q, &keys, 1).is_err()); // other method
//! ```

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::Mac;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::keyring::{hmac_sha256, KeyRing};

/// What a signed URL allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Put the object (once per URL lifetime; a later put replaces it).
    Put,
    /// Read the object.
    Get,
}

impl Method {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Put => "PUT",
            Self::Get => "GET",
        }
    }
}

/// A signed permission for one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// What it allows.
    pub method: Method,
    /// The object key, `userId/sessionId/name.format`.
    pub key: String,
    /// The exact Content-Type a put must carry (empty for a get).
    pub content_type: String,
    /// The largest body a put may carry, in bytes (0 for a get).
    pub max_bytes: u64,
    /// The image the object is the result of (empty if none).
    pub image_id: String,
    /// Tags stored with the object, comma-separated (empty if none).
    pub tags: String,
    /// Expiry, seconds since the epoch: valid while `now < expires`.
    pub expires: i64,
}

/// Why a signed URL was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantError {
    /// A required query parameter is missing or malformed.
    Malformed(&'static str),
    /// The signature does not match (tampered with, or signed for something else).
    BadSignature,
    /// The URL has expired.
    Expired,
}

impl std::fmt::Display for GrantError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed(what) => write!(f, "the signed URL's {what} is missing or malformed"),
            Self::BadSignature => f.write_str("the URL's signature does not match"),
            Self::Expired => f.write_str("the signed URL has expired"),
        }
    }
}

impl Grant {
    /// A put grant for `key` of type `content_type`, at most `max_bytes`, valid until `expires`.
    pub fn put(key: impl Into<String>, content_type: &str, max_bytes: u64, expires: i64) -> Self {
        Self {
            method: Method::Put,
            key: key.into(),
            content_type: content_type.to_owned(),
            max_bytes,
            image_id: String::new(),
            tags: String::new(),
            expires,
        }
    }

    /// A read grant for `key`, valid until `expires`.
    pub fn get(key: impl Into<String>, expires: i64) -> Self {
        Self {
            method: Method::Get,
            key: key.into(),
            content_type: String::new(),
            max_bytes: 0,
            image_id: String::new(),
            tags: String::new(),
            expires,
        }
    }

    /// Binds the grant to an image id and the tags to store.
    #[must_use]
    pub fn for_image(mut self, image_id: &str, tags: &[String]) -> Self {
        image_id.clone_into(&mut self.image_id);
        self.tags = tags.join(",");
        self
    }

    fn canonical(&self) -> String {
        // Newlines cannot occur inside any field (keys, MIME types, ids and tags are checked
        // before signing), so the joined string is unambiguous.
        format!(
            "retouch-grant-v1\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
            self.method.as_str(),
            self.key,
            self.content_type,
            self.max_bytes,
            self.image_id,
            self.tags,
            self.expires
        )
    }

    fn signature(&self, secret: &[u8]) -> Vec<u8> {
        let mut mac = hmac_sha256(secret);
        mac.update(self.canonical().as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// The URL query that carries the grant (without `?`).
    pub fn query(&self, secret: &[u8]) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        if self.method == Method::Put {
            q.append_pair("ct", &self.content_type);
            q.append_pair("max", &self.max_bytes.to_string());
        }
        if !self.image_id.is_empty() {
            q.append_pair("img", &self.image_id);
        }
        if !self.tags.is_empty() {
            q.append_pair("tags", &self.tags);
        }
        q.append_pair("exp", &self.expires.to_string());
        q.append_pair("sig", &URL_SAFE_NO_PAD.encode(self.signature(secret)));
        q.finish()
    }

    /// The URL path for `key` under `prefix` (e.g. `/uploads`), each key segment percent-encoded.
    pub fn path(prefix: &str, key: &str) -> String {
        let mut p = prefix.trim_end_matches('/').to_owned();
        for seg in key.split('/') {
            p.push('/');
            p.extend(utf8_percent_encode(seg, SEGMENT));
        }
        p
    }

    /// Checks a query for `method` on `key` at time `now` and returns the grant it carries. The
    /// signature may be made with the current key or, during a rotation, the previous one.
    pub fn verify(
        method: Method,
        key: &str,
        query: &str,
        keys: &KeyRing,
        now: i64,
    ) -> Result<Self, GrantError> {
        let mut g = match method {
            Method::Put => Self::put(key, "", 0, 0),
            Method::Get => Self::get(key, 0),
        };
        let mut sig = None;
        let mut seen_exp = false;
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            match (&*k, method) {
                ("ct", Method::Put) => g.content_type = v.into_owned(),
                ("max", Method::Put) => {
                    g.max_bytes = v.parse().map_err(|_| GrantError::Malformed("max"))?;
                }
                ("img", _) => g.image_id = v.into_owned(),
                ("tags", _) => g.tags = v.into_owned(),
                ("exp", _) => {
                    g.expires = v.parse().map_err(|_| GrantError::Malformed("exp"))?;
                    seen_exp = true;
                }
                ("sig", _) => {
                    sig = Some(
                        URL_SAFE_NO_PAD
                            .decode(v.as_bytes())
                            .map_err(|_| GrantError::Malformed("sig"))?,
                    );
                }
                _ => {}
            }
        }
        let sig = sig.ok_or(GrantError::Malformed("sig"))?;
        if !seen_exp {
            return Err(GrantError::Malformed("exp"));
        }
        if !keys.verifies(g.canonical().as_bytes(), &sig) {
            return Err(GrantError::BadSignature);
        }
        if now >= g.expires {
            return Err(GrantError::Expired);
        }
        Ok(g)
    }
}

/// Characters escaped in a path segment: everything but unreserved ones and `@`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'@')
    .remove(b'+');

/// Splits a decoded object key `userId/sessionId/file` into its parts, refusing anything else.
///
/// ```
/// use retouch_worker::signing::split_key;
/// assert_eq!(split_key("a@b.c/ses_1/x.png"), Some(("a@b.c", "ses_1", "x.png")));
/// assert_eq!(split_key("a@b.c/../x.png"), None);
/// ```
pub fn split_key(key: &str) -> Option<(&str, &str, &str)> {
    let mut it = key.split('/');
    let (user, session, file) = (it.next()?, it.next()?, it.next()?);
    let ok = |s: &str| {
        !s.is_empty() && s != "." && s != ".." && !s.chars().any(|c| c.is_control() || c == '\\')
    };
    (it.next().is_none() && ok(user) && ok(session) && ok(file)).then_some((user, session, file))
}

/// Decodes the percent-encoded segments of a URL path tail into an object key.
pub fn key_from_path(tail: &str) -> Option<String> {
    let mut parts = Vec::new();
    for seg in tail.split('/') {
        parts.push(
            percent_encoding::percent_decode_str(seg)
                .decode_utf8()
                .ok()?
                .into_owned(),
        );
    }
    let key = parts.join("/");
    split_key(&key).map(|_| key.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ana@x.io/ses_0123456789abcdef01234567/a-1200w.png";

    fn k() -> KeyRing {
        KeyRing::single(b"k")
    }

    #[test]
    fn urls_signed_before_a_rotation_still_work_during_it() {
        let g = Grant::put(KEY, "image/png", 1000, 100);
        let rotating = KeyRing::new(b"new".to_vec(), Some(b"k".to_vec()));
        assert_eq!(
            Grant::verify(Method::Put, KEY, &g.query(b"k"), &rotating, 1),
            Ok(g.clone())
        );
        assert_eq!(
            Grant::verify(Method::Put, KEY, &g.query(b"new"), &rotating, 1),
            Ok(g.clone())
        );
        assert_eq!(
            Grant::verify(Method::Put, KEY, &g.query(b"forged"), &rotating, 1),
            Err(GrantError::BadSignature)
        );
        // After the rotation window, the old key's URLs are refused.
        assert_eq!(
            Grant::verify(
                Method::Put,
                KEY,
                &g.query(b"k"),
                &KeyRing::single(b"new"),
                1
            ),
            Err(GrantError::BadSignature)
        );
    }

    #[test]
    fn every_field_is_covered_by_the_signature() {
        let g = Grant::put(KEY, "image/png", 1000, 100).for_image("img_1", &["a".into()]);
        let q = g.query(b"k");
        for (from, to) in [
            ("ct=image%2Fpng", "ct=image%2Fjpeg"),
            ("max=1000", "max=100000"),
            ("img=img_1", "img=img_2"),
            ("tags=a", "tags=b"),
            ("exp=100", "exp=1000"),
        ] {
            assert!(q.contains(from), "{q}");
            let bad = q.replace(from, to);
            assert_eq!(
                Grant::verify(Method::Put, KEY, &bad, &k(), 1),
                Err(GrantError::BadSignature)
            );
        }
        let other_key = KEY.replace("a-1200w", "b");
        assert_eq!(
            Grant::verify(Method::Put, &other_key, &q, &k(), 1),
            Err(GrantError::BadSignature)
        );
        assert_eq!(
            Grant::verify(Method::Put, KEY, &q, &KeyRing::single(b"other"), 1),
            Err(GrantError::BadSignature)
        );
        assert_eq!(
            Grant::verify(Method::Put, KEY, &q, &k(), 100),
            Err(GrantError::Expired)
        );
        assert_eq!(
            Grant::verify(Method::Put, KEY, "exp=1", &k(), 0),
            Err(GrantError::Malformed("sig"))
        );
        assert_eq!(
            Grant::verify(Method::Put, KEY, "sig=AAAA", &k(), 0),
            Err(GrantError::Malformed("exp"))
        );
    }

    #[test]
    fn get_grants() {
        let g = Grant::get(KEY, 50);
        let q = g.query(b"k");
        assert!(!q.contains("ct="));
        assert_eq!(Grant::verify(Method::Get, KEY, &q, &k(), 10), Ok(g));
    }

    #[test]
    fn paths_round_trip() {
        let p = Grant::path("/uploads/", "a+b@x.io/ses_1/ä b.png");
        assert_eq!(p, "/uploads/a+b@x.io/ses_1/%C3%A4%20b.png");
        let tail = p.strip_prefix("/uploads/").unwrap();
        assert_eq!(
            key_from_path(tail).as_deref(),
            Some("a+b@x.io/ses_1/ä b.png")
        );
        assert_eq!(key_from_path("a/%2e%2e/c"), None);
        assert_eq!(key_from_path("a/b%2Fc/d"), None);
        assert_eq!(key_from_path("a/b"), None);
    }
}
