//! Embedded ICC profiles: converting decoded pixels to sRGB with `moxcms`.
//!
//! Why moxcms: it is pure Rust, builds for wasm32, supports matrix-shaper and LUT profiles
//! (including CMYK), and is already in the dependency tree through `image`, so choosing it adds
//! no new crate to the wasm build; qcms (Firefox's) would add one. Perceptual intent, as
//! browsers use for photos (a CMYK profile's `A2B0` table), and no black-point compensation
//! (moxcms has none; Chrome's skcms neither); 8-bit transforms, fixed point for RGB profiles.
//!
//! Two entry points:
//! - [`to_srgb`]: an RGB frame tagged with an RGB profile (Display P3, Adobe RGB, …), in place.
//! - `CmykJpeg` (used by [`Header::decode`](super::Header::decode)): a CMYK or YCCK JPEG with
//!   an embedded CMYK profile is decoded to its CMYK samples with zune-jpeg directly (through
//!   `image` it gives only RGB, by the naive formula) and converted through the profile to sRGB.
//!   The samples are read as Photoshop writes them, inverted (255 = no ink), CMYK or YCCK as the
//!   Adobe APP14 transform flag says (0 or 2), with or without that segment, as `image`, Pillow
//!   and browsers do. A CMYK JPEG without a (usable) profile keeps the naive conversion.
//!
//! Conversion works band by band through one small buffer, so it costs no second frame.
//!
//! ```no_run
//! # let (mut frame, icc) = (image::DynamicImage::new_rgb8(1, 1), Vec::<u8>::new());
//! let converted = retouch_engine::codec::color::to_srgb(&mut frame, &icc);
//! ```

use std::sync::Arc;

use image::{DynamicImage, RgbImage};
use moxcms::{
    ColorProfile, DataColorSpace, Layout, RenderingIntent, Transform8BitExecutor, TransformOptions,
};
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

use super::metadata;

/// Pixels converted per transform call (bounded buffer).
const BAND_PIXELS: usize = 64 * 1024;

/// One rendering intent for every conversion (see the module notes).
fn options() -> TransformOptions {
    TransformOptions {
        rendering_intent: RenderingIntent::Perceptual,
        ..TransformOptions::default()
    }
}

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
    let Ok(transform) =
        source.create_transform_8bit(layout, &ColorProfile::new_srgb(), layout, options())
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

/// The conversion of a CMYK (or YCCK) JPEG through its embedded CMYK profile to sRGB.
pub(super) struct CmykJpeg(Arc<Transform8BitExecutor>);

impl CmykJpeg {
    /// The conversion for `bytes`, or `None` when it is not a four-component JPEG with a CMYK
    /// profile moxcms can use: the ordinary decoder then converts with the naive formula
    /// (R = 255 · (1 − C)(1 − K), …), so a hostile profile costs colour accuracy, never the
    /// picture.
    pub(super) fn with_profile(bytes: &[u8]) -> Option<Self> {
        if !is_cmyk_jpeg(bytes) {
            return None;
        }
        cmyk_transform(&metadata::read(bytes).icc?).map(Self)
    }

    /// Decodes `bytes` to an sRGB frame, as stored (the caller applies the EXIF orientation);
    /// `None` when the pixels cannot be decoded here.
    pub(super) fn decode(&self, bytes: &[u8]) -> Option<DynamicImage> {
        let (samples, width, height) = cmyk_samples(bytes)?;
        let rgb = cmyk_to_rgb_in_place(samples, self.0.as_ref())?;
        RgbImage::from_raw(width, height, rgb).map(DynamicImage::ImageRgb8)
    }
}

/// The CMYK samples of a CMYK or YCCK JPEG, 0 = no ink (the ICC convention), with the width and
/// height. zune-jpeg (`image`'s decoder) gives the samples as stored, a row of blocks at a time
/// for a baseline file (so the frame is the only large buffer): Photoshop's inverted CMYK, or
/// YCbCr of the inverted C, M, Y plus inverted K, which are undone here as libjpeg does.
fn cmyk_samples(bytes: &[u8]) -> Option<(Vec<u8>, u32, u32)> {
    let options = DecoderOptions::default()
        .set_strict_mode(false)
        .set_max_width(usize::MAX)
        .set_max_height(usize::MAX);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().ok()?;
    let stored = decoder.input_colorspace()?;
    if !matches!(stored, ColorSpace::CMYK | ColorSpace::YCCK) {
        return None;
    }
    decoder.set_options(options.jpeg_set_out_colorspace(stored));
    let mut samples = decoder.decode().ok()?;
    let (width, height) = decoder.dimensions()?;
    if samples.len() != width * height * 4 {
        return None;
    }
    for px in samples.chunks_exact_mut(4) {
        if stored == ColorSpace::YCCK {
            let cmy = ycbcr_to_rgb(px[0], px[1], px[2]);
            px[..3].copy_from_slice(&cmy);
        } else {
            px[..3].iter_mut().for_each(|v| *v = 255 - *v);
        }
        px[3] = 255 - px[3];
    }
    Some((
        samples,
        u32::try_from(width).ok()?,
        u32::try_from(height).ok()?,
    ))
}

/// JFIF's full-range BT.601 YCbCr → RGB, rounded.
fn ycbcr_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    let (y, cb, cr) = (f32::from(y), f32::from(cb) - 128.0, f32::from(cr) - 128.0);
    [
        y + 1.402 * cr,
        y - 0.344_136 * cb - 0.714_136 * cr,
        y + 1.772 * cb,
    ]
    .map(|v| v.round().clamp(0.0, 255.0) as u8)
}

/// Whether `bytes` is a JPEG with four colour components (CMYK or YCCK).
pub(crate) fn is_cmyk_jpeg(bytes: &[u8]) -> bool {
    metadata::jpeg_components(bytes) == Some(4)
}

/// CMYK samples (0 = no ink, the ICC convention) through `icc` to 8-bit sRGB.
fn cmyk_transform(icc: &[u8]) -> Option<Arc<Transform8BitExecutor>> {
    let source = ColorProfile::new_from_slice(icc).ok()?;
    if source.color_space != DataColorSpace::Cmyk {
        return None;
    }
    // moxcms reads four-channel CMYK with the RGBA layout. Floating-point LUT interpolation:
    // half the error of fixed point against littleCMS (ΔE76 mean 0.26 vs 0.57), same speed.
    let options = TransformOptions {
        prefer_fixed_point: false,
        ..options()
    };
    source
        .create_transform_8bit(
            Layout::Rgba,
            &ColorProfile::new_srgb(),
            Layout::Rgb,
            options,
        )
        .ok()
}

/// Converts CMYK samples to RGB in their own buffer: band `i`'s RGB is written over bytes the
/// CMYK of bands up to `i` used (3 bytes per pixel behind 4), so no second frame is allocated.
fn cmyk_to_rgb_in_place(
    mut samples: Vec<u8>,
    transform: &Transform8BitExecutor,
) -> Option<Vec<u8>> {
    let pixels = samples.len() / 4;
    let mut band = vec![0u8; BAND_PIXELS.min(pixels) * 3];
    let mut done = 0;
    while done < pixels {
        let count = BAND_PIXELS.min(pixels - done);
        let rgb = &mut band[..count * 3];
        transform
            .transform(&samples[done * 4..(done + count) * 4], rgb)
            .ok()?;
        samples[done * 3..(done + count) * 3].copy_from_slice(rgb);
        done += count;
    }
    samples.truncate(pixels * 3);
    samples.shrink_to_fit();
    Some(samples)
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

    /// The real CMYK profile of the test fixture (Ghostscript's SWOP profile, see its README).
    fn swop_profile() -> Vec<u8> {
        let jpeg = include_bytes!("../../tests/fixtures/cmyk/ladybird-swop.jpg");
        metadata::read(jpeg).icc.expect("the fixture has a profile")
    }

    /// A profile header (128 bytes, ICC v2.1 or v4) and tag table around `tags`.
    fn profile(space: &[u8; 4], version: u8, tags: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
        let mut out = vec![0u8; 128];
        out[8] = version;
        out[12..16].copy_from_slice(b"prtr");
        out[16..20].copy_from_slice(space);
        out[20..24].copy_from_slice(b"Lab ");
        out[36..40].copy_from_slice(b"acsp");
        out.extend((tags.len() as u32).to_be_bytes());
        let mut offset = 128 + 4 + 12 * tags.len();
        for (sig, data) in tags {
            out.extend(*sig);
            out.extend((offset as u32).to_be_bytes());
            out.extend((data.len() as u32).to_be_bytes());
            offset += data.len();
        }
        for (_, data) in tags {
            out.extend(data);
        }
        let len = out.len() as u32;
        out[..4].copy_from_slice(&len.to_be_bytes());
        out
    }

    /// An `mft2` (lut16) tag with `grid` points per input and only `data` bytes of tables.
    fn mft2(inputs: u8, grid: u8, entries: u16, data: usize) -> Vec<u8> {
        let mut t = b"mft2\0\0\0\0".to_vec();
        t.extend([inputs, 3, grid, 0]);
        for i in 0..9 {
            let one = if i % 4 == 0 { 0x0001_0000u32 } else { 0 };
            t.extend(one.to_be_bytes());
        }
        t.extend(entries.to_be_bytes());
        t.extend(entries.to_be_bytes());
        t.extend((0..data).map(|i| (i % 251) as u8));
        t
    }

    fn converts_or_refuses(icc: &[u8]) {
        if let Some(t) = cmyk_transform(icc) {
            let mut out = [0u8; 6];
            let _ = t.transform(&[0, 64, 128, 255, 255, 0, 30, 200], &mut out);
        }
    }

    #[test]
    fn swop_profile_converts_ink_to_the_colours_it_prints() {
        let t = cmyk_transform(&swop_profile()).expect("a usable CMYK profile");
        let mut rgb = [0u8; 9];
        // Paper white, full black ink, full cyan.
        t.transform(&[0, 0, 0, 0, 0, 0, 0, 255, 255, 0, 0, 0], &mut rgb)
            .expect("converts");
        assert!(rgb[..3].iter().all(|&v| v > 235), "paper: {rgb:?}");
        assert!(rgb[3..6].iter().all(|&v| v < 60), "black: {rgb:?}");
        assert!(rgb[6] < 60 && rgb[8] > 150, "cyan: {rgb:?}");
        // An RGB profile, or no profile, is not a CMYK transform.
        assert!(cmyk_transform(&profile_bytes(&ColorProfile::new_srgb())).is_none());
        assert!(cmyk_transform(b"").is_none());
    }

    #[test]
    fn band_conversion_in_place_equals_one_pass() {
        let t = cmyk_transform(&swop_profile()).expect("usable");
        let pixels = BAND_PIXELS * 2 + 77;
        let cmyk: Vec<u8> = (0..pixels * 4)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8)
            .collect();
        let mut whole = vec![0u8; pixels * 3];
        t.transform(&cmyk, &mut whole).expect("converts");
        assert_eq!(cmyk_to_rgb_in_place(cmyk, t.as_ref()), Some(whole));
    }

    #[test]
    fn hostile_cmyk_profiles_never_panic() {
        // Tables claiming far more than they hold (a 255⁴ grid is 25 GB), empty grids, tag
        // offsets past the end, absurd tag counts, and every truncation and many corruptions of
        // a real profile: each is refused (the naive conversion then applies) or converts.
        for grid in [0, 1, 2, 17, 255] {
            for entries in [0, 1, 2, 4096, u16::MAX] {
                for data in [0, 100, 10_000] {
                    let tag = mft2(4, grid, entries, data);
                    converts_or_refuses(&profile(b"CMYK", 2, &[(b"A2B0", tag.clone())]));
                    converts_or_refuses(&profile(b"CMYK", 4, &[(b"A2B0", tag)]));
                }
            }
        }
        converts_or_refuses(&profile(b"CMYK", 2, &[(b"A2B0", mft2(9, 255, 2, 50))]));
        let mut past_end = profile(b"CMYK", 2, &[(b"A2B0", mft2(4, 2, 2, 200))]);
        past_end[136..140].copy_from_slice(&u32::MAX.to_be_bytes());
        converts_or_refuses(&past_end);
        let mut many_tags = profile(b"CMYK", 2, &[]);
        many_tags[128..132].copy_from_slice(&u32::MAX.to_be_bytes());
        converts_or_refuses(&many_tags);

        let real = swop_profile();
        for cut in (0..real.len())
            .step_by(997)
            .chain([128, 131, 132, 143, 144])
        {
            converts_or_refuses(&real[..cut]);
        }
        let mut seed = 0x9E37_79B9u32;
        for _ in 0..40 {
            let mut bad = real.clone();
            for _ in 0..8 {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                // Mostly the header and tag table, where a flip changes how the rest is read.
                let at = (seed >> 8) as usize % if seed & 1 == 0 { 256 } else { bad.len() };
                bad[at] ^= (seed >> 24) as u8 | 1;
            }
            converts_or_refuses(&bad);
        }
    }
}
