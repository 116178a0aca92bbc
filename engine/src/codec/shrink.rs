//! Shrink-on-load: decoding a JPEG at 1/2, 1/4 or 1/8 scale (DCT scaling, as libvips does) when
//! a downscale follows, so a huge photo never exists at full size in memory.
//!
//! `image`'s JPEG decoder (zune-jpeg 0.5) cannot scale while decoding; `jpeg-decoder` can
//! (`Decoder::scale`), so the reduced path uses it. The caller finishes with the real resize
//! (Lanczos3 by default), from a frame at least as large as the target.

use std::io::Cursor;

use image::{DynamicImage, GrayImage, RgbImage};
use jpeg_decoder::{Decoder, PixelFormat};

use super::orientation::{make_upright, swaps_sides};
use super::{Decoded, ImageInfo, InputFormat};

/// Decodes at the smallest DCT scale whose upright size is still at least `min` (width, height;
/// 0 = any), or `None` when no reduction of at least 2× applies or the file is not one the
/// reduced decoder reads exactly (CMYK, 16-bit, or an error: the normal decoder then decides).
pub(super) fn decode_reduced(bytes: &[u8], info: &ImageInfo, min: (u32, u32)) -> Option<Decoded> {
    if !applies(info, min) {
        return None;
    }
    let stored_min = if swaps_sides(info.orientation) {
        (min.1, min.0)
    } else {
        min
    };
    let mut decoder = Decoder::new(Cursor::new(bytes));
    decoder.read_info().ok()?;
    let stored = decoder.info()?;
    let (sw, sh) = (u32::from(stored.width), u32::from(stored.height));
    // Eighths kept by the IDCT: the fewest whose output still covers `min` in both dimensions.
    // (`Decoder::scale` accepts a size when either side is large enough, so it is given the
    // exact size of the scale chosen here.)
    let eighths = [1u32, 2, 4]
        .into_iter()
        .find(|&e| scaled(sw, e) >= stored_min.0 && scaled(sh, e) >= stored_min.1)?;
    let (w, h) = decoder
        .scale(
            u16::try_from(scaled(sw, eighths)).ok()?,
            u16::try_from(scaled(sh, eighths)).ok()?,
        )
        .ok()?;
    let format = decoder.info()?.pixel_format;
    let pixels = decoder.decode().ok()?;
    let (w, h) = (u32::from(w), u32::from(h));
    let mut frame = match format {
        PixelFormat::RGB24 => DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, pixels)?),
        PixelFormat::L8 => DynamicImage::ImageLuma8(GrayImage::from_raw(w, h, pixels)?),
        _ => return None,
    };
    make_upright(&mut frame, info.orientation);
    Some(Decoded {
        frame,
        info: info.clone(),
    })
}

/// Whether a reduced decode may apply: a JPEG at least 2× larger than `min` in both dimensions.
pub(super) fn applies(info: &ImageInfo, min: (u32, u32)) -> bool {
    info.format == InputFormat::Jpeg
        && min.0.saturating_mul(2) <= info.width
        && min.1.saturating_mul(2) <= info.height
}

/// A side decoded with `eighths`/8 of its DCT coefficients, as the decoder rounds it.
fn scaled(len: u32, eighths: u32) -> u32 {
    (len * eighths).div_ceil(8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{encode, open, Limits};
    use crate::contract::{Format, Quality};

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let frame = DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        }));
        encode(&frame, Format::Jpg, Quality::saturating(90)).unwrap()
    }

    #[test]
    fn picks_the_smallest_scale_that_stays_above_the_target() {
        let bytes = jpeg(800, 600);
        let info = open(&bytes, &Limits::default()).unwrap().info().clone();
        let d = decode_reduced(&bytes, &info, (190, 0)).unwrap();
        assert_eq!((d.frame.width(), d.frame.height()), (200, 150));
        let d = decode_reduced(&bytes, &info, (201, 0)).unwrap();
        assert_eq!((d.frame.width(), d.frame.height()), (400, 300));
        assert!(
            decode_reduced(&bytes, &info, (401, 0)).is_none(),
            "less than 2×"
        );
        let d = decode_reduced(&bytes, &info, (1, 1)).unwrap();
        assert_eq!((d.frame.width(), d.frame.height()), (100, 75));
        // The colours survive the DCT scaling.
        let full = open(&bytes, &Limits::default()).unwrap().decode().unwrap();
        let a = full.frame.to_rgb8().get_pixel(400, 300).0;
        let b = d.frame.to_rgb8().get_pixel(50, 37).0;
        assert!(
            a.iter().zip(b).all(|(x, y)| x.abs_diff(y) < 24),
            "{a:?} {b:?}"
        );
    }
}
