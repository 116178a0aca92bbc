//! A shared secret and, during a rotation, the one it replaces.
//!
//! Rotating `JWT_SECRET` or `UPLOAD_SECRET` would sign everyone out and break every upload URL in
//! flight if only one key were accepted. A [`KeyRing`] signs with the current key and accepts a
//! MAC made with either key, so a rotation is: set `*_PREVIOUS` to the old value, set the new
//! value, wait out the longest token or URL lifetime, remove `*_PREVIOUS` (worker/README.md).
//!
//! ```
//! use hmac::Mac;
//! use retouch_worker::keyring::KeyRing;
//! let old = KeyRing::single(b"old");
//! let mut mac = retouch_worker::keyring::hmac_sha256(old.current());
//! mac.update(b"message");
//! let tag = mac.finalize().into_bytes();
//! let rotating = KeyRing::new(b"new".to_vec(), Some(b"old".to_vec()));
//! assert!(rotating.verifies(b"message", &tag));
//! assert!(!KeyRing::single(b"new").verifies(b"message", &tag));
//! ```

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The key that signs and, while a rotation lasts, the previous one (accepted, never used to sign).
#[derive(Clone, PartialEq, Eq)]
pub struct KeyRing {
    current: Vec<u8>,
    previous: Option<Vec<u8>>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key bytes: a Debug print may end up in a log.
        f.debug_struct("KeyRing")
            .field("rotating", &self.previous.is_some())
            .finish_non_exhaustive()
    }
}

impl KeyRing {
    /// The current key and, during a rotation, the previous one (an empty previous key is none).
    pub fn new(current: Vec<u8>, previous: Option<Vec<u8>>) -> Self {
        Self {
            current,
            previous: previous.filter(|p| !p.is_empty()),
        }
    }

    /// One key, no rotation.
    pub fn single(key: &[u8]) -> Self {
        Self::new(key.to_vec(), None)
    }

    /// The key new signatures are made with.
    pub fn current(&self) -> &[u8] {
        &self.current
    }

    /// Whether a rotation is under way (a previous key is still accepted).
    pub fn is_rotating(&self) -> bool {
        self.previous.is_some()
    }

    /// Whether `tag` is the HMAC-SHA256 of `message` under the current or the previous key
    /// (each compared in constant time).
    pub fn verifies(&self, message: &[u8], tag: &[u8]) -> bool {
        std::iter::once(&self.current)
            .chain(self.previous.as_ref())
            .any(|key| {
                let mut mac = hmac_sha256(key);
                mac.update(message);
                mac.verify_slice(tag).is_ok()
            })
    }
}

/// HMAC-SHA256 keyed with `key`.
pub fn hmac_sha256(key: &[u8]) -> Hmac<Sha256> {
    #[allow(clippy::expect_used)]
    Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &[u8], message: &[u8]) -> Vec<u8> {
        let mut mac = hmac_sha256(key);
        mac.update(message);
        mac.finalize().into_bytes().to_vec()
    }

    #[test]
    fn accepts_the_current_and_the_previous_key_only() {
        let ring = KeyRing::new(b"new".to_vec(), Some(b"old".to_vec()));
        assert!(ring.verifies(b"m", &tag(b"new", b"m")));
        assert!(ring.verifies(b"m", &tag(b"old", b"m")));
        assert!(!ring.verifies(b"m", &tag(b"older", b"m")));
        assert!(!ring.verifies(b"other", &tag(b"old", b"m")));
        assert!(!ring.verifies(b"m", b""));
        assert_eq!(ring.current(), b"new");
    }

    #[test]
    fn without_a_rotation_the_old_key_fails() {
        let ring = KeyRing::new(b"new".to_vec(), Some(Vec::new()));
        assert!(!ring.is_rotating());
        assert!(!ring.verifies(b"m", &tag(b"old", b"m")));
    }

    #[test]
    fn debug_shows_no_key() {
        let shown = format!(
            "{:?}",
            KeyRing::new(b"s3cret".to_vec(), Some(b"0ld".to_vec()))
        );
        assert!(
            !shown.contains("s3cret") && !shown.contains("0ld"),
            "{shown}"
        );
        assert!(!shown.contains("115"), "{shown}"); // the bytes as numbers
    }
}
