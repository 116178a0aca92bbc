//! The structured log: one JSON line per request.
//!
//! ```text
//! {"kind":"request","requestId":"8f3a…","method":"POST","route":"/image-edit","status":202,
//!  "latencyMs":41,"user":"u_5c1e0a9b2f7d4e61","parser":"rules","llm":"off"}
//! ```
//!
//! What a line may hold is decided here, by type: the route's pattern (never the path, which
//! carries emails and session ids), the status, the latency, the user as a salted hash, which
//! parser answered, how the LLM did, and for an error its stable code (`error`, e.g.
//! `invalid_field`) — never a message, a token, a signed URL, an email or a body.

use hmac::Mac;
use serde_json::{json, Value};

use crate::keyring::hmac_sha256;

/// How the LLM did on a request that parsed a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LlmOutcome {
    /// No LLM is configured, or the request asked for the rules parser.
    Off,
    /// The LLM's tool calls were used.
    Ok,
    /// The LLM failed (its failure kind, e.g. `timeout`); the rules answered or the request failed.
    Failed(&'static str),
}

impl LlmOutcome {
    /// The word in the log line: `off`, `ok`, or the failure kind.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Ok => "ok",
            Self::Failed(kind) => kind,
        }
    }
}

/// One request's log line.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestLine {
    /// The request's id (Cloudflare's `cf-ray` when there is one).
    pub request_id: String,
    /// The HTTP method.
    pub method: String,
    /// The route's pattern, e.g. `/image-edit/{sessionId}` (see [`crate::route::Route`]).
    pub route: &'static str,
    /// The response status.
    pub status: u16,
    /// From the request's arrival to the response, in milliseconds.
    pub latency_ms: i64,
    /// The signed-in user as [`user_hash`], if the request authenticated.
    pub user: Option<String>,
    /// `llm`, `rules` or `client`, when the request parsed or carried tool calls.
    pub parser: Option<&'static str>,
    /// How the LLM did, when a command was parsed.
    pub llm: Option<LlmOutcome>,
    /// The error's stable code, for an error answer.
    pub error: Option<String>,
}

impl RequestLine {
    /// The line as JSON (absent facts are left out).
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "kind": "request",
            "requestId": self.request_id,
            "method": self.method,
            "route": self.route,
            "status": self.status,
            "latencyMs": self.latency_ms,
        });
        if let Some(u) = &self.user {
            v["user"] = json!(u);
        }
        if let Some(p) = self.parser {
            v["parser"] = json!(p);
        }
        if let Some(l) = self.llm {
            v["llm"] = json!(l.as_str());
        }
        if let Some(e) = &self.error {
            v["error"] = json!(e);
        }
        v
    }
}

/// `text` with every word that could be personal or secret replaced by `<redacted>`: anything
/// with an `@` (an email, or an object key that starts with one), and any `sig=`, `access_token=`
/// or `Bearer` value. For error messages from the runtime, which the worker does not write itself.
///
/// ```
/// use retouch_worker::log::redact;
/// assert_eq!(
///     redact("put ana@x.io/ses_1/a.png?exp=1&sig=AbC failed; Bearer eyJ.x.y"),
///     "put <redacted> failed; Bearer <redacted>"
/// );
/// ```
pub fn redact(text: &str) -> String {
    let word_char = |c: char| c.is_ascii_alphanumeric() || "._%+-@/?&=:~".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut after_bearer = false;
    let flush = |word: &mut String, out: &mut String, after_bearer: &mut bool| {
        if word.is_empty() {
            return;
        }
        let secret = *after_bearer
            || word.contains('@')
            || word.contains("sig=")
            || word.contains("access_token=");
        *after_bearer = word.eq_ignore_ascii_case("bearer");
        out.push_str(if secret { "<redacted>" } else { word });
        word.clear();
    };
    for c in text.chars() {
        if word_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out, &mut after_bearer);
            out.push(c);
        }
    }
    flush(&mut word, &mut out, &mut after_bearer);
    out
}

/// The JSON line of an internal error (kind `internal_error`), its message redacted.
pub fn internal_error_line(source: &str, message: &str) -> Value {
    json!({"kind": "internal_error", "source": source, "error": redact(message)})
}

/// Writes [`internal_error_line`] to the log (`console.error` on Workers, stderr natively).
pub fn internal_error(source: &str, message: &str) {
    let line = internal_error_line(source, message).to_string();
    #[cfg(target_arch = "wasm32")]
    worker::console_error!("{line}");
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("{line}");
}

/// The user id (an email) as it appears in logs: `u_` and 16 hex digits of its HMAC-SHA256
/// under `salt`. The same user gives the same hash (so a user's requests can be followed), and
/// without the salt an email cannot be tested against it.
///
/// ```
/// use retouch_worker::log::user_hash;
/// let h = user_hash(b"salt", "ana@example.com");
/// assert_eq!(h.len(), 18);
/// assert_eq!(h, user_hash(b"salt", "ana@example.com"));
/// assert_ne!(h, user_hash(b"pepper", "ana@example.com"));
/// ```
pub fn user_hash(salt: &[u8], user: &str) -> String {
    let mut mac = hmac_sha256(salt);
    mac.update(user.as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut out = String::from("u_");
    for b in &digest[..8] {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_holds_only_its_fields() {
        let line = RequestLine {
            request_id: "r1".into(),
            method: "PUT".into(),
            route: "/uploads/{key}",
            status: 403,
            latency_ms: 7,
            user: Some(user_hash(b"s", "ana@x.io")),
            parser: None,
            llm: Some(LlmOutcome::Failed("timeout")),
            error: Some("forbidden".into()),
        };
        let v = line.to_json();
        assert_eq!(v["kind"], "request");
        assert_eq!(v["route"], "/uploads/{key}");
        assert_eq!(v["llm"], "timeout");
        assert_eq!(v["error"], "forbidden");
        assert!(v.get("parser").is_none());
        let text = v.to_string();
        assert!(!text.contains("ana@x.io"), "{text}");
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 9);
    }

    #[test]
    fn redaction_keeps_the_words_that_help() {
        assert_eq!(
            redact("D1_ERROR: no such table: sessions"),
            "D1_ERROR: no such table: sessions"
        );
        assert_eq!(
            redact("object \"bob@y.org/ses_2/b.webp\" not found"),
            "object \"<redacted>\" not found"
        );
        assert_eq!(
            redact("GET /image-edit/progress/ses_1?access_token=eyJ"),
            "GET <redacted>"
        );
        let v = internal_error_line("runtime", "ana@x.io failed");
        assert_eq!(v["kind"], "internal_error");
        assert_eq!(v["error"], "<redacted> failed");
    }

    #[test]
    fn user_hashes_depend_on_the_salt_and_hide_the_email() {
        let a = user_hash(b"salt", "ana@x.io");
        assert!(a.starts_with("u_") && a[2..].chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, user_hash(b"salt", "bob@x.io"));
        assert!(!a.contains("ana"));
    }
}
