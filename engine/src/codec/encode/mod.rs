//! Encoders, one module per format. Each takes any of the four 8-bit layouts.

pub(super) mod jpeg;
pub(super) mod png;
pub(super) mod webp;

use crate::contract::{ChromaSubsampling, Effort};

/// How JPEG and WebP are written beyond their quality (the job options `effort`, `progressive`
/// and `chromaSubsampling`); PNG ignores them.
///
/// ```
/// use retouch_engine::codec::EncodeOptions;
/// use retouch_engine::contract::{ChromaSubsampling, Effort};
/// let smallest = EncodeOptions { effort: Effort::Max, ..EncodeOptions::default() };
/// let crisp = EncodeOptions { chroma: Some(ChromaSubsampling::Full), ..EncodeOptions::default() };
/// assert!(!EncodeOptions::default().progressive);
/// # let _ = (smallest, crisp);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EncodeOptions {
    /// Fast (default) or smallest files.
    pub effort: Effort,
    /// JPEG: progressive scans, or one baseline scan (default: as small, and faster to encode).
    pub progressive: bool,
    /// JPEG chroma resolution; `None`: 4:2:0 below quality 97, 4:4:4 from 97.
    pub chroma: Option<ChromaSubsampling>,
}
