//! Lossy WebP (VP8, with a lossless alpha plane when the frame has alpha) with the pure-Rust
//! `vaam-image-webp` encoder, which builds for wasm32 as well as native. `image`'s own WebP encoder
//! is lossless only, and the other pure-Rust lossy encoders measured either produced corrupt
//! output at some settings (webp-rust 0.3.2), need a newer compiler than ours (webpkit 0.1 wants
//! Rust 1.96), or are AGPL (zenwebp).
//!
//! Speed is this encoder's weak point: it searches modes by rate-distortion, and a 17.9 MP frame
//! takes about 11 s in wasm32 (see `engine/benches/wasm-w4`), far from the 2 s target; a faster
//! encoder is a follow-up.

use image::DynamicImage;
use image_webp::{ColorType, EncoderParams, WebPEncoder};

use crate::error::{Error, Result};

/// VP8 stores sides in 14 bits.
const MAX_SIDE: u32 = 16_383;

pub(crate) fn encode(frame: &DynamicImage, quality: u8) -> Result<Vec<u8>> {
    let (width, height) = (frame.width(), frame.height());
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(Error::Encode(format!(
            "WebP cannot store an image of {width} × {height}; its sides are limited to {MAX_SIDE} px"
        )));
    }
    let converted;
    let (pixels, color): (&[u8], ColorType) = match frame {
        DynamicImage::ImageLuma8(b) => (b.as_raw(), ColorType::L8),
        DynamicImage::ImageLumaA8(b) => (b.as_raw(), ColorType::La8),
        DynamicImage::ImageRgb8(b) => (b.as_raw(), ColorType::Rgb8),
        DynamicImage::ImageRgba8(b) => (b.as_raw(), ColorType::Rgba8),
        other => {
            converted = other.to_rgba8();
            (converted.as_raw(), ColorType::Rgba8)
        }
    };
    let mut out = Vec::with_capacity(pixels.len() / 16);
    let mut encoder = WebPEncoder::new(&mut out);
    let mut params = EncoderParams::default();
    params.use_lossy = true;
    params.lossy_quality = quality.min(100);
    encoder.set_params(params);
    encoder
        .encode(pixels, width, height, color)
        .map_err(|e| Error::Encode(format!("WebP: {e}")))?;
    Ok(out)
}
