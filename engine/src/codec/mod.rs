//! Decoding with limits and EXIF orientation; encoding to JPEG, PNG and lossy WebP.

use image::DynamicImage;

use crate::contract::{Format, Quality};
use crate::error::{Error, Result};

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

/// A format the engine can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputFormat {
    /// JPEG
    Jpeg,
    /// PNG
    Png,
    /// WebP
    Webp,
    /// GIF (first frame)
    Gif,
    /// BMP
    Bmp,
}

/// What the header says, read without decoding pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    /// The container format.
    pub format: InputFormat,
    /// Width as displayed (after EXIF orientation).
    pub width: u32,
    /// Height as displayed (after EXIF orientation).
    pub height: u32,
    /// EXIF orientation, 1 to 8 (1 when absent).
    pub orientation: u8,
    /// Whether the image has an alpha channel.
    pub has_alpha: bool,
}

/// Reads format, size, orientation and alpha from the header, checking `limits`; no pixel decode.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<ImageInfo> {
    let _ = (bytes, limits);
    Err(Error::Unsupported("being written".into()))
}

/// A decoded, upright frame (EXIF orientation applied) in one of the four 8-bit layouts.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The pixels.
    pub frame: DynamicImage,
    /// The header facts.
    pub info: ImageInfo,
}

/// Decodes after checking `limits` against the header.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Decoded> {
    let _ = (bytes, limits);
    Err(Error::Unsupported("being written".into()))
}

/// Encodes a frame. `quality` applies to JPEG and WebP.
pub fn encode(frame: &DynamicImage, format: Format, quality: Quality) -> Result<Vec<u8>> {
    let _ = (frame, format, quality);
    Err(Error::Unsupported("being written".into()))
}
