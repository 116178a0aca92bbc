//! Decoding with limits, EXIF orientation, and encoding.

/// Limits checked from the header, before any pixel is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most pixels (width × height) accepted. Default 100 million.
    pub max_pixels: u64,
    /// Longest side accepted, in pixels. Default 32768.
    pub max_dimension: u32,
    /// Largest input file accepted, in bytes. Default 256 MiB.
    pub max_input_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_pixels: 100_000_000,
            max_dimension: 32_768,
            max_input_bytes: 256 << 20,
        }
    }
}
