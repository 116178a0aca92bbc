//! The crate's one error type.

/// Why a HEIF file (or a decoded frame) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file ends before the data it declares.
    #[error("the file ends too early ({0})")]
    Truncated(String),
    /// The bytes contradict the format.
    #[error("{0}")]
    Malformed(String),
    /// A valid file using a feature this decoder does not implement; the text names it as a
    /// phrase that follows "with", e.g. `16-bit samples`.
    #[error("{0}")]
    Unsupported(String),
    /// The image declares more pixels than allowed.
    #[error("the image is {width} × {height}, over the pixel limit")]
    TooLarge {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
    },
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
