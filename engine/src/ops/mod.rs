//! Pixel operations: one module per idea, all on 8-bit frames.
//!
//! A frame is an [`image::DynamicImage`] in one of four layouts — `ImageLuma8`, `ImageLumaA8`,
//! `ImageRgb8`, `ImageRgba8` — which the decoder guarantees. Operations keep alpha when the input
//! has it, may change the layout where that is the point (grayscale gives Luma, a coloured border
//! on a grey frame gives RGB, a transparent background gives alpha), and never panic on any size
//! or parameter the contract allows. Impossible requests are errors: a crop outside the image is
//! [`Error::InvalidParams`](crate::Error::InvalidParams) with a path such as `params.width`; an
//! output over the size limits is [`Error::Limits`](crate::Error::Limits).
//!
//! ```
//! use image::{DynamicImage, RgbImage};
//! use retouch_engine::contract::parse_tool_calls;
//! use retouch_engine::ops;
//!
//! let frame = DynamicImage::ImageRgb8(RgbImage::new(400, 300));
//! let calls = parse_tool_calls(r#"[{"tool":"resize","params":{"width":200}},
//!                                  {"tool":"rotate","params":{"degrees":90}}]"#)?;
//! let mut frame = frame;
//! for call in &calls {
//!     frame = ops::apply(frame, &call.tool)?;
//! }
//! assert_eq!((frame.width(), frame.height()), (150, 200));
//! # Ok::<(), retouch_engine::Error>(())
//! ```

// Tests may unwrap; the library build is still checked without this.

mod adjust;
mod blur;
mod border;
mod canvas;
mod crop;
mod filter;
mod fit;
mod geometry;
mod resize;
mod rotate;
mod text;

use image::DynamicImage;

use crate::contract::Tool;
use crate::error::Result;
use canvas::Raster;

/// Applies one pixel tool to a frame.
///
/// `convert_format`, `adjust_quality` and `generate_with_llm` change no pixels: the pipeline
/// handles them and this returns the frame unchanged for them.
pub fn apply(frame: DynamicImage, tool: &Tool) -> Result<DynamicImage> {
    let src = Raster::from_image;
    let out = match tool {
        Tool::ConvertFormat(_) | Tool::AdjustQuality(_) | Tool::GenerateWithLlm(_) => {
            return Ok(frame)
        }
        Tool::Resize(p) => resize::resize(src(frame), p)?,
        Tool::Rotate(p) => rotate::rotate(src(frame), p)?,
        Tool::Flip(p) => geometry::flip(src(frame), p.direction),
        Tool::Crop(p) => crop::crop(&src(frame), p)?,
        Tool::ApplyFilter(p) => filter::apply_filter(src(frame), p),
        Tool::AddBorder(p) => border::add_border(src(frame), p)?,
        Tool::AddText(p) => text::add_text(src(frame), p)?,
        Tool::Adjust(p) => adjust::adjust(src(frame), p),
    };
    Ok(out.into_image())
}

/// Scales a frame down (never up) so it fits inside `max_width` × `max_height`, keeping its aspect
/// ratio, with the high-quality filter (Lanczos3). `None` leaves that side free.
///
/// ```
/// use image::{DynamicImage, RgbImage};
/// let frame = DynamicImage::ImageRgb8(RgbImage::new(4000, 3000));
/// let small = retouch_engine::ops::fit_inside(frame, Some(800), Some(800))?;
/// assert_eq!((small.width(), small.height()), (800, 600));
/// # Ok::<(), retouch_engine::Error>(())
/// ```
pub fn fit_inside(
    frame: DynamicImage,
    max_width: Option<u32>,
    max_height: Option<u32>,
) -> Result<DynamicImage> {
    Ok(resize::fit_inside(Raster::from_image(frame), max_width, max_height)?.into_image())
}
