//! Embedded ICC profiles: converting decoded pixels to sRGB with `moxcms`.
//!
//! Why moxcms: it is pure Rust, builds for wasm32, supports matrix-shaper and LUT profiles
//! (including CMYK), and is already in the dependency tree through `image`, so choosing it adds
//! no new crate to the wasm build; qcms (Firefox's) would add one. Perceptual intent, as
//! browsers use for photos; 8-bit fixed-point transforms.
//!
//! Conversion works row band by row band through one small buffer, so it costs no second frame.
//!
//! ```no_run
//! # let (mut frame, icc) = (image::DynamicImage::new_rgb8(1, 1), Vec::<u8>::new());
//! let converted = retouch_engine::codec::color::to_srgb(&mut frame, &icc);
//! ```

use image::DynamicImage;
use moxcms::{ColorProfile, DataColorSpace, Layout, RenderingIntent, TransformOptions};

/// Pixels converted per transform call (bounded buffer).
const BAND_PIXELS: usize = 64 * 1024;

/// Converts an RGB or RGBA frame from the colour space of `icc` to sRGB, in place. Returns
/// whether the pixels were converted: `false` when the profile is unreadable, not an RGB profile,
/// or the frame is grey (left as stored, which viewers read as sRGB).
pub fn to_srgb(frame: &mut DynamicImage, icc: &[u8]) -> bool {
    let Ok(source) = ColorProfile::new_from_slice(icc) else {
        return false;
    };
    if source.color_space != DataColorSpace::Rgb {
        return false;
    }
    let (layout, channels, raw): (Layout, usize, &mut [u8]) = match frame {
        DynamicImage::ImageRgb8(b) => (Layout::Rgb, 3, &mut **b),
        DynamicImage::ImageRgba8(b) => (Layout::Rgba, 4, &mut **b),
        _ => return false,
    };
    let options = TransformOptions {
        rendering_intent: RenderingIntent::Perceptual,
        ..TransformOptions::default()
    };
    let Ok(transform) =
        source.create_transform_8bit(layout, &ColorProfile::new_srgb(), layout, options)
    else {
        return false;
    };
    let mut out = vec![0u8; BAND_PIXELS * channels];
    for band in raw.chunks_mut(BAND_PIXELS * channels) {
        let dst = &mut out[..band.len()];
        if transform.transform(band, dst).is_err() {
            return false;
        }
        band.copy_from_slice(dst);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::RgbImage;

    fn profile_bytes(p: &ColorProfile) -> Vec<u8> {
        p.encode().expect("encodes")
    }

    #[test]
    fn display_p3_red_becomes_out_of_srgb_red() {
        let mut f = DynamicImage::ImageRgb8(RgbImage::from_pixel(3, 2, image::Rgb([255, 0, 0])));
        assert!(to_srgb(
            &mut f,
            &profile_bytes(&ColorProfile::new_display_p3())
        ));
        let p = f.as_rgb8().unwrap().get_pixel(0, 0).0;
        // P3 red is outside sRGB: clipped to full red with no green or blue.
        assert!(p[0] == 255 && p[1] < 10 && p[2] < 10, "{p:?}");
        let mut g = DynamicImage::ImageRgb8(RgbImage::from_pixel(1, 1, image::Rgb([0, 128, 0])));
        assert!(to_srgb(
            &mut g,
            &profile_bytes(&ColorProfile::new_display_p3())
        ));
        let q = g.as_rgb8().unwrap().get_pixel(0, 0).0;
        assert!(
            q[0] < 40 && q[1] > 128,
            "P3 green is greener than sRGB green: {q:?}"
        );
    }

    #[test]
    fn srgb_is_identity_and_garbage_is_ignored() {
        let px = image::Rgb([10, 128, 240]);
        let mut f = DynamicImage::ImageRgb8(RgbImage::from_pixel(2, 2, px));
        assert!(to_srgb(&mut f, &profile_bytes(&ColorProfile::new_srgb())));
        let p = f.as_rgb8().unwrap().get_pixel(1, 1).0;
        assert!(p.iter().zip(px.0).all(|(a, b)| a.abs_diff(b) <= 1), "{p:?}");
        assert!(!to_srgb(&mut f, b"not a profile"));
    }
}
