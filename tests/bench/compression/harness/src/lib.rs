//! JPEG encoder settings as one wasm function, for timing in Node (see ../wasm-speed.mjs).

use mozjpeg_rs::{Encoder, Preset};
use wasm_bindgen::prelude::*;

/// Encodes RGB `pixels` with `setting`: `jpeg-encoder` (the engine's old encoder), `fast`
/// (mozjpeg-rs without trellis, optimised Huffman tables), `trellis` (mozjpeg-rs baseline with
/// trellis quantisation) or `trellis-progressive`; all 4:2:0.
#[wasm_bindgen]
pub fn encode(setting: &str, pixels: &[u8], width: u32, height: u32, quality: u8) -> Result<Vec<u8>, String> {
    let mozjpeg = |e: Encoder| {
        e.quality(quality)
            .encode_rgb(pixels, width, height)
            .map_err(|e| e.to_string())
    };
    match setting {
        "jpeg-encoder" => {
            let mut out = Vec::new();
            let mut enc = jpeg_encoder::Encoder::new(&mut out, quality);
            enc.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
            enc.encode(pixels, width as u16, height as u16, jpeg_encoder::ColorType::Rgb)
                .map_err(|e| e.to_string())?;
            Ok(out)
        }
        "fast" => mozjpeg(Encoder::new(Preset::BaselineFastest).optimize_huffman(true)),
        "trellis" => mozjpeg(Encoder::new(Preset::BaselineBalanced)),
        "trellis-progressive" => mozjpeg(Encoder::new(Preset::ProgressiveBalanced)),
        other => Err(format!("unknown setting {other}")),
    }
}
