//! The engine's one error type.
//!
//! Every failure the engine reports is an [`Error`], grouped by cause the way image-rs groups its
//! errors: the input could not be decoded, it is over a limit, the tool calls are invalid, the
//! request is unsupported, encoding failed, the caller cancelled, or the edit needs the backend's
//! generative provider. [`Error::kind`] gives the cause as a stable [`ErrorKind`] whose
//! [`ErrorKind::as_str`] is the `kind` that the wasm package, the worker and the CLI show; the
//! `Display` text is a sentence for people, naming the field or the file at fault.
//!
//! Errors become HTTP statuses or JS exceptions only at the edges (the worker and the wasm crate);
//! nothing inside the engine panics on input.

use std::fmt;

/// The cause of an [`Error`], stable across releases: callers match on it, and its
/// [`as_str`](ErrorKind::as_str) form is part of the wire contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not an image the engine can read (corrupt, truncated, unknown format).
    Decode,
    /// The image is over a pixel, dimension or byte limit; refused before it is decoded.
    Limits,
    /// A tool call or job option is malformed or out of range.
    InvalidParams,
    /// The request is well formed but the engine cannot do it (e.g. an output format it lacks).
    Unsupported,
    /// Encoding the result failed.
    Encode,
    /// The caller cancelled the job.
    Cancelled,
    /// A `generate_with_llm` step: only the backend's generative provider can do it.
    NeedsGenerative,
    /// A size target (`maxBytes`) cannot be met by this format at any allowed setting.
    TargetUnreachable,
}

impl ErrorKind {
    /// The kind as the snake_case word used on the wire, e.g. `"invalid_params"`.
    ///
    /// ```
    /// use retouch_contract::ErrorKind;
    /// assert_eq!(ErrorKind::InvalidParams.as_str(), "invalid_params");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Decode => "decode",
            Self::Limits => "limits",
            Self::InvalidParams => "invalid_params",
            Self::Unsupported => "unsupported",
            Self::Encode => "encode",
            Self::Cancelled => "cancelled",
            Self::NeedsGenerative => "needs_generative",
            Self::TargetUnreachable => "target_unreachable",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An engine error: a cause and a message for people.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not a readable image.
    #[error("cannot decode image: {0}")]
    Decode(String),
    /// The input is over a limit (pixels, a dimension, or bytes).
    #[error("{0}")]
    Limits(String),
    /// A field is invalid. `path` names it the way a person would find it in the request,
    /// e.g. `toolCalls[2].params.width`; `message` says what was expected and what came.
    #[error("{path}: {message}")]
    InvalidParams {
        /// Where the bad value is, e.g. `toolCalls[2].params.width` or `options.quality`.
        path: String,
        /// What was expected and what was received.
        message: String,
    },
    /// The engine cannot do what was asked.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// Encoding the result failed.
    #[error("cannot encode image: {0}")]
    Encode(String),
    /// The caller cancelled.
    #[error("cancelled")]
    Cancelled,
    /// The step needs the generative provider, which only the backend has.
    #[error(
        "step {step} (generate_with_llm) needs the backend's generative provider: \"{prompt}\""
    )]
    NeedsGenerative {
        /// The zero-based index of the step in the tool-call list.
        step: usize,
        /// The prompt the step carries.
        prompt: String,
    },
    /// A `maxBytes` target cannot be reached.
    #[error("{0}")]
    TargetUnreachable(String),
}

impl Error {
    /// The stable cause of this error.
    ///
    /// ```
    /// use retouch_contract::{Error, ErrorKind};
    /// let e = Error::invalid("options.quality", "expected an integer from 1 to 100, got 0");
    /// assert_eq!(e.kind(), ErrorKind::InvalidParams);
    /// assert_eq!(e.to_string(), "options.quality: expected an integer from 1 to 100, got 0");
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Decode(_) => ErrorKind::Decode,
            Self::Limits(_) => ErrorKind::Limits,
            Self::InvalidParams { .. } => ErrorKind::InvalidParams,
            Self::Unsupported(_) => ErrorKind::Unsupported,
            Self::Encode(_) => ErrorKind::Encode,
            Self::Cancelled => ErrorKind::Cancelled,
            Self::NeedsGenerative { .. } => ErrorKind::NeedsGenerative,
            Self::TargetUnreachable(_) => ErrorKind::TargetUnreachable,
        }
    }

    /// An [`Error::InvalidParams`] for the field at `path`.
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::InvalidParams {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The path of the offending field, for [`Error::InvalidParams`].
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::InvalidParams { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
