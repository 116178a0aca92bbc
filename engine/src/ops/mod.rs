//! Pixel operations: one module per idea, all on 8-bit frames.
//!
//! A frame is an [`image::DynamicImage`] in one of four layouts — `ImageLuma8`, `ImageLumaA8`,
//! `ImageRgb8`, `ImageRgba8` — which the decoder guarantees. Operations keep alpha when the input
//! has it, may change the layout where that is the point (grayscale gives Luma), and never panic on
//! any size or parameter the contract allows.

use image::DynamicImage;

use crate::contract::Tool;
use crate::error::{Error, Result};

/// Applies one pixel tool to a frame.
///
/// `convert_format`, `adjust_quality` and `generate_with_llm` change no pixels: the pipeline
/// handles them and this returns the frame unchanged for them.
pub fn apply(frame: DynamicImage, tool: &Tool) -> Result<DynamicImage> {
    match tool {
        Tool::ConvertFormat(_) | Tool::AdjustQuality(_) | Tool::GenerateWithLlm(_) => Ok(frame),
        other => Err(Error::Unsupported(format!(
            "{} is being written",
            other.name()
        ))),
    }
}

/// Scales a frame down (never up) so it fits inside `max_width` × `max_height`, keeping its aspect
/// ratio, with the high-quality filter. `None` leaves that side free.
pub fn fit_inside(
    frame: DynamicImage,
    max_width: Option<u32>,
    max_height: Option<u32>,
) -> Result<DynamicImage> {
    let _ = (max_width, max_height);
    Ok(frame)
}
