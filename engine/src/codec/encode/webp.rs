//! Lossy WebP (VP8, with a lossless alpha plane when the frame has alpha) with libwebp, the
//! reference encoder the peers use, through the safe wrapper `retouch-webp` (engine/webp).
//!
//! libwebp replaced the pure-Rust `vaam-image-webp`, which took ~5.4 s of CPU in wasm32 for the
//! 17.9 MP photo at q80 (libwebp method 4: 2.2 s, method 2: 1.1 s) and, at the same quality
//! setting, made files of a lower PSNR (32.1 dB against 35.7) than libwebp (numbers from
//! `tests/bench/webp/run.sh`).

use image::DynamicImage;
use retouch_webp::{encode_lossy, Channels, MAX_SIDE};

use crate::contract::Effort;
use crate::error::{Error, Result};

/// libwebp's method (effort) 0–6 for [`Effort::Fast`]; its default, and the peers', is 4.
/// Method 2 skips the rate-distortion refinement of 3–4: measured on the 4 MP and 17.9 MP photos
/// at q80 it encodes 2.1–2.7× faster (wasm32 and native); method 3 is no faster than 4. Method 4
/// would put the 17.9 MP encode alone (2.2 s in wasm32) over the 2.1 s budget of W4. At equal
/// SSIMULACRA2 (`tests/bench/compression/run.sh`, 13 photos at 1024 px, q50–90) method 2 needs
/// 1.06× sharp's bytes (method 4): about equal at q50–60, 8 % more at q80, 13 % more at q90.
const FAST_METHOD: u8 = 2;
/// libwebp's method for [`Effort::Max`]: 0.97× sharp's bytes at equal SSIMULACRA2, in about 4×
/// the time of method 2.
const MAX_METHOD: u8 = 6;

pub(crate) fn encode(frame: &DynamicImage, quality: u8, effort: Effort) -> Result<Vec<u8>> {
    let (width, height) = (frame.width(), frame.height());
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(Error::Encode(format!(
            "WebP cannot store an image of {width} × {height}; its sides are limited to {MAX_SIDE} px"
        )));
    }
    let converted;
    let (pixels, channels): (&[u8], Channels) = match frame {
        DynamicImage::ImageRgb8(b) => (b.as_raw(), Channels::Rgb),
        DynamicImage::ImageRgba8(b) => (b.as_raw(), Channels::Rgba),
        other if other.color().has_alpha() => {
            converted = other.to_rgba8().into_raw();
            (&converted, Channels::Rgba)
        }
        other => {
            converted = other.to_rgb8().into_raw();
            (&converted, Channels::Rgb)
        }
    };
    encode_lossy(
        pixels,
        width,
        height,
        channels,
        f32::from(quality.min(100)),
        match effort {
            Effort::Fast => FAST_METHOD,
            Effort::Max => MAX_METHOD,
        },
    )
    .map_err(|e| Error::Encode(format!("WebP: {e}")))
}
