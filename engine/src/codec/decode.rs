//! The pixel decode after the header checks (see `probe`): pixels, 8 bits, upright.
//! HEIC (no `image` decoder) goes to `heif`.

use image::{DynamicImage, ImageDecoder};

use super::orientation::make_upright;
use super::probe::decode_error;
use super::{Decoded, ImageInfo, Limits};
use crate::error::Result;

pub(super) fn decode_pixels(
    decoder: Option<Box<dyn ImageDecoder + '_>>,
    info: ImageInfo,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Decoded> {
    let Some(decoder) = decoder else {
        return super::heif::decode(bytes, &info, limits.max_pixels);
    };
    let frame = DynamicImage::from_decoder(decoder).map_err(|e| decode_error(e, info.format))?;
    let mut frame = to_8bit(frame);
    make_upright(&mut frame, info.orientation);
    Ok(Decoded { frame, info })
}

/// One of the four 8-bit layouts the operations handle; deeper or float layouts are reduced.
fn to_8bit(frame: DynamicImage) -> DynamicImage {
    match frame {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageRgb8(_)
        | DynamicImage::ImageRgba8(_) => frame,
        DynamicImage::ImageLuma16(_) => DynamicImage::ImageLuma8(frame.into_luma8()),
        DynamicImage::ImageLumaA16(_) => DynamicImage::ImageLumaA8(frame.into_luma_alpha8()),
        f if f.color().has_alpha() => DynamicImage::ImageRgba8(f.into_rgba8()),
        f => DynamicImage::ImageRgb8(f.into_rgb8()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Luma, Rgba};

    #[test]
    fn sixteen_bits_become_eight() {
        let g16 = DynamicImage::ImageLuma16(ImageBuffer::from_pixel(2, 2, Luma([65535u16])));
        let g8 = to_8bit(g16);
        assert_eq!(
            g8.as_luma8().map(|b| b.as_raw().clone()),
            Some(vec![255; 4])
        );
        let c16 = DynamicImage::ImageRgba16(ImageBuffer::from_pixel(
            1,
            1,
            Rgba([0u16, 32896, 65535, 65535]),
        ));
        assert_eq!(
            to_8bit(c16).as_rgba8().map(|b| b.as_raw().clone()),
            Some(vec![0, 128, 255, 255])
        );
    }
}
