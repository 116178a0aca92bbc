//! The API's one error type and its JSON form `{"error": {"code", "message", "field"?}}`.
//!
//! Handlers return [`ApiError`]; only the HTTP edge turns it into a response. Codes are stable
//! snake_case words (clients match on them); messages are sentences for people and, for a bad
//! request, name the exact field, e.g. `images[3].id`.

use std::fmt;

use serde_json::{json, Value};

/// An error answer: an HTTP status, a stable code, a message and, for a bad field, its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status, e.g. 400.
    pub status: u16,
    /// The stable code, e.g. `invalid_field`.
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
    /// The path of the offending field in the request, e.g. `operation.command`.
    pub field: Option<String>,
    /// For 429: seconds until the next request is allowed.
    pub retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    /// 400: a field is missing, of the wrong type or out of range.
    ///
    /// ```
    /// let e = retouch_worker::error::ApiError::field("images", "expected 1 to 50 images, got 0");
    /// assert_eq!(e.to_json()["error"]["field"], "images");
    /// assert_eq!(e.message, "images: expected 1 to 50 images, got 0");
    /// ```
    pub fn field(path: impl Into<String>, message: impl fmt::Display) -> Self {
        let path = path.into();
        Self {
            message: format!("{path}: {message}"),
            field: Some(path),
            ..Self::new(400, "invalid_field", "")
        }
    }

    /// 400: the body is not JSON.
    pub fn invalid_json(message: impl fmt::Display) -> Self {
        Self::new(
            400,
            "invalid_json",
            format!("the body is not valid JSON: {message}"),
        )
    }

    /// 400: a command the parsers could not turn into any tool call.
    pub fn command_not_understood(unparsed: &[String]) -> Self {
        let what = if unparsed.is_empty() {
            String::new()
        } else {
            format!(" (not understood: {})", unparsed.join("; "))
        };
        Self {
            field: Some("operation.command".into()),
            ..Self::new(
                400,
                "command_not_understood",
                format!("operation.command: no edit could be read from the command{what}"),
            )
        }
    }

    /// 401: no credentials, or credentials that do not verify.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(401, "unauthorized", message)
    }

    /// 403: authenticated, but the thing belongs to someone else or the signature is wrong.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(403, "forbidden", message)
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "not_found", message)
    }

    /// 405.
    pub fn method_not_allowed(method: &str, path: &str) -> Self {
        Self::new(
            405,
            "method_not_allowed",
            format!("{method} is not allowed on {path}"),
        )
    }

    /// 409: the request conflicts with the session's state.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(409, "conflict", message)
    }

    /// 410 `expired`: a signed URL past its expiry (what it pointed at is gone for good).
    pub fn expired(message: impl Into<String>) -> Self {
        Self::new(410, "expired", message)
    }

    /// 429 `too_many_streams`: a session's open progress streams are at their limit.
    pub fn too_many_listeners(max: usize) -> Self {
        Self {
            retry_after: Some(30),
            ..Self::new(
                429,
                "too_many_streams",
                format!("this session already has {max} open progress streams; close one first"),
            )
        }
    }

    /// 400 `invalid_image`: an upload whose body is not a real image (empty, a document, a
    /// damaged header, a size over the limits).
    pub fn invalid_image(message: impl Into<String>) -> Self {
        Self::new(400, "invalid_image", message)
    }

    /// 411: an upload without a Content-Length.
    pub fn length_required() -> Self {
        Self::new(
            411,
            "length_required",
            "an upload needs a Content-Length header",
        )
    }

    /// 413: a body over its size limit.
    pub fn too_large(what: &str, limit: u64) -> Self {
        Self::new(
            413,
            "payload_too_large",
            format!("{what} is larger than the limit of {limit} bytes"),
        )
    }

    /// 415: the wrong Content-Type.
    pub fn unsupported_media_type(message: impl Into<String>) -> Self {
        Self::new(415, "unsupported_media_type", message)
    }

    /// 429: the user's rate limit is used up.
    pub fn rate_limited(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(
                429,
                "rate_limited",
                format!("too many requests; try again in {retry_after} s"),
            )
        }
    }

    /// 429: the user's AI edits for the day are used up; `retry_after` is the time to midnight UTC.
    pub fn quota_exceeded(limit: u32, retry_after: u64) -> Self {
        let hours = retry_after.div_ceil(3600);
        Self {
            retry_after: Some(retry_after),
            ..Self::new(
                429,
                "quota_exceeded",
                format!(
                    "you have used your {limit} AI edits for today; more in {hours} h (at midnight UTC)"
                ),
            )
        }
    }

    /// 502 or 504: the AI image service failed; `code` says how (see `generative::GenFailure`).
    pub fn generative(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self::new(status, code, message)
    }

    /// 502: the LLM was required (`"parser": "llm"`) and failed.
    pub fn llm_failed(message: impl Into<String>) -> Self {
        Self::new(502, "llm_failed", message)
    }

    /// 500.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "internal", message)
    }

    /// 503: the deployment lacks a setting this endpoint needs.
    pub fn not_configured(message: impl Into<String>) -> Self {
        Self::new(503, "not_configured", message)
    }

    /// The JSON body.
    pub fn to_json(&self) -> Value {
        let mut err = json!({ "code": self.code, "message": self.message });
        if let Some(f) = &self.field {
            err["field"] = json!(f);
        }
        json!({ "error": err })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

impl From<retouch_contract::Error> for ApiError {
    fn from(e: retouch_contract::Error) -> Self {
        match e.path() {
            Some(path) => {
                let msg = e.to_string();
                let detail = msg
                    .strip_prefix(path)
                    .and_then(|m| m.strip_prefix(": "))
                    .unwrap_or(&msg)
                    .to_owned();
                Self::field(path, detail)
            }
            None => Self::new(400, e.kind().as_str(), e.to_string()),
        }
    }
}

/// The result type of request handling.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_keep_their_path() {
        let e: ApiError =
            retouch_contract::Error::invalid("options.quality", "expected 1 to 100").into();
        assert_eq!(e.status, 400);
        assert_eq!(e.field.as_deref(), Some("options.quality"));
        assert_eq!(e.message, "options.quality: expected 1 to 100");
    }

    #[test]
    fn json_shape() {
        let v = ApiError::rate_limited(7).to_json();
        assert_eq!(v["error"]["code"], "rate_limited");
        assert!(v["error"].get("field").is_none());
    }
}
