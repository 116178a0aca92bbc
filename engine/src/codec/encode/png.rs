//! PNG with `image`'s encoder at its fast setting: PNG output is for exactness, not size, and the
//! fast deflate level costs a few percent of size for several times the speed.

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::DynamicImage;

use crate::error::{Error, Result};

pub(crate) fn encode(frame: &DynamicImage) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let encoder =
        PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive);
    frame
        .write_with_encoder(encoder)
        .map_err(|e| Error::Encode(format!("PNG: {e}")))?;
    Ok(out)
}
