//! Entry points for tests/bench/webp/compare.mjs: decode a photo once, then encode its pixels
//! with each encoder; Node does the timing. Panics (unwraps) are fine in a benchmark tool.
#![allow(clippy::unwrap_used)]

use wasm_bindgen::prelude::*;

/// Decodes a JPEG/WebP into RGB8; returns `[width, height]` and keeps the pixels for `pixels()`.
#[wasm_bindgen]
pub fn decode_rgb(bytes: &[u8]) -> Vec<u8> {
    image::load_from_memory(bytes).unwrap().to_rgb8().into_raw()
}

#[wasm_bindgen]
pub fn dimensions(bytes: &[u8]) -> Vec<u32> {
    let d = image::load_from_memory(bytes).unwrap();
    vec![d.width(), d.height()]
}

#[wasm_bindgen]
pub fn libwebp_lossy(rgb: &[u8], width: u32, height: u32, quality: f32, method: u8) -> Vec<u8> {
    retouch_webp::encode_lossy(rgb, width, height, retouch_webp::Channels::Rgb, quality, method).unwrap()
}

#[wasm_bindgen]
pub fn vaam_lossy(rgb: &[u8], width: u32, height: u32, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = image_webp::WebPEncoder::new(&mut out);
    let mut params = image_webp::EncoderParams::default();
    params.use_lossy = true;
    params.lossy_quality = quality;
    encoder.set_params(params);
    encoder.encode(rgb, width, height, image_webp::ColorType::Rgb8).unwrap();
    out
}

/// PSNR (dB, over R, G and B) of a WebP against the RGB8 source, decoded with `image`.
#[wasm_bindgen]
pub fn psnr(webp: &[u8], source_rgb: &[u8]) -> f64 {
    let back = image::load_from_memory_with_format(webp, image::ImageFormat::WebP).unwrap().to_rgb8();
    let sum: u64 = back.as_raw().iter().zip(source_rgb).map(|(&a, &b)| {
        let d = i64::from(a) - i64::from(b);
        (d * d) as u64
    }).sum();
    let mse = sum as f64 / source_rgb.len() as f64;
    10.0 * (255.0 * 255.0 / mse).log10()
}
