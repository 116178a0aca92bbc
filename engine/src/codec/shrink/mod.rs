//! Shrink-on-load: decoding a JPEG at 1/2, 1/4 or 1/8 scale (DCT scaling, as libvips does) when
//! a downscale follows, so a huge photo never exists at full size in memory.
//!
//! `image`'s JPEG decoder (zune-jpeg 0.5) cannot scale while decoding. Two decoders here can:
//! - [`jpeg`], ours, for progressive files: a progressive decoder must hold every block's
//!   coefficients until the last scan, and ours keeps only those the smaller output uses (at 1/2
//!   scale a quarter of the luma's), so the 17.9 MP benchmark photo peaks at half the memory;
//! - `jpeg-decoder` (`Decoder::scale`) for baseline files, which it streams, faster than ours.
//!
//! Each falls back to the other. The caller finishes with the real resize (Lanczos3 by default),
//! from a frame at least as large as the target.

use std::io::Cursor;

use image::{DynamicImage, GrayImage, RgbImage};
use jpeg_decoder::{Decoder, PixelFormat};

mod huffman;
mod idct;
mod jpeg;

use super::orientation::{make_upright, swaps_sides};
use super::{Decoded, ImageInfo, InputFormat};

/// Decodes at the smallest DCT scale whose upright size is still at least `min` (width, height;
/// 0 = any), or `None` when no reduction of at least 2× applies or the file is not one the
/// reduced decoder reads exactly (CMYK, 16-bit, or an error: the normal decoder then decides).
pub(super) fn decode_reduced(bytes: &[u8], info: &ImageInfo, min: (u32, u32)) -> Option<Decoded> {
    if !applies(info, min) {
        return None;
    }
    let swapped = swaps_sides(info.orientation);
    let (stored, stored_min) = if swapped {
        ((info.height, info.width), (min.1, min.0))
    } else {
        ((info.width, info.height), min)
    };
    // Eighths kept by the IDCT: the fewest whose output still covers `min` in both dimensions.
    let eighths = [1u32, 2, 4]
        .into_iter()
        .find(|&e| scaled(stored.0, e) >= stored_min.0 && scaled(stored.1, e) >= stored_min.1)?;
    let ours = || {
        let r = jpeg::decode(bytes, eighths as usize, stored)?;
        Some(if r.gray {
            DynamicImage::ImageLuma8(GrayImage::from_raw(r.width, r.height, r.pixels)?)
        } else {
            DynamicImage::ImageRgb8(RgbImage::from_raw(r.width, r.height, r.pixels)?)
        })
    };
    let theirs = || decode_with_jpeg_decoder(bytes, stored, eighths);
    // Progressive files: ours, which keeps a fraction of the coefficients jpeg-decoder holds.
    // Baseline files: jpeg-decoder, which streams them as ours does, and faster (ours measured
    // 2× slower in wasm).
    let mut frame = if jpeg::is_progressive(bytes) {
        ours().or_else(theirs)
    } else {
        theirs().or_else(ours)
    }?;
    make_upright(&mut frame, info.orientation);
    Some(Decoded {
        frame,
        info: info.clone(),
    })
}

/// Whether the file is a sequential JPEG whose components come in separate scans, which
/// zune-jpeg 0.5 (`image`'s decoder) misreads; [`decode_split_scans`] reads it right.
pub(super) fn is_split_scan_jpeg(bytes: &[u8], info: &ImageInfo) -> bool {
    info.format == InputFormat::Jpeg && jpeg::has_split_sequential_scans(bytes)
}

/// The full-size decode of a file [`is_split_scan_jpeg`] accepts, with `jpeg-decoder`; `None`
/// when it cannot read the file either.
pub(super) fn decode_split_scans(bytes: &[u8], info: &ImageInfo) -> Option<Decoded> {
    let stored = if swaps_sides(info.orientation) {
        (info.height, info.width)
    } else {
        (info.width, info.height)
    };
    let mut frame = decode_with_jpeg_decoder(bytes, stored, 8)?;
    make_upright(&mut frame, info.orientation);
    Some(Decoded {
        frame,
        info: info.clone(),
    })
}

/// `jpeg-decoder`'s reduced decode: it scales too, but holds every coefficient of a progressive
/// file (and, natively, copies of them on their way to its IDCT threads).
fn decode_with_jpeg_decoder(
    bytes: &[u8],
    stored: (u32, u32),
    eighths: u32,
) -> Option<DynamicImage> {
    let mut decoder = Decoder::new(Cursor::new(bytes));
    decoder.read_info().ok()?;
    // `Decoder::scale` accepts a size when either side is large enough, so it is given the
    // exact size of the scale chosen.
    let (w, h) = decoder
        .scale(
            u16::try_from(scaled(stored.0, eighths)).ok()?,
            u16::try_from(scaled(stored.1, eighths)).ok()?,
        )
        .ok()?;
    let format = decoder.info()?.pixel_format;
    let pixels = decoder.decode().ok()?;
    let (w, h) = (u32::from(w), u32::from(h));
    match format {
        PixelFormat::RGB24 => Some(DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, pixels)?)),
        PixelFormat::L8 => Some(DynamicImage::ImageLuma8(GrayImage::from_raw(w, h, pixels)?)),
        _ => None,
    }
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

#[cfg(test)]
mod reduced_decoder_tests {
    use super::*;
    use crate::codec::{decode, Limits};

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/tests/fixtures/shrink/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// The full-size decode averaged over `8 / eighths` squares: what a reduced decode
    /// approximates (cropped to the reduced size).
    fn box_reference(bytes: &[u8], eighths: u32) -> RgbImage {
        let full = decode(bytes, &Limits::default()).unwrap().frame.to_rgb8();
        let f = 8 / eighths;
        let (w, h) = (
            scaled(full.width(), eighths),
            scaled(full.height(), eighths),
        );
        RgbImage::from_fn(w, h, |x, y| {
            let mut sum = [0u32; 3];
            let mut n = 0;
            for sy in y * f..((y + 1) * f).min(full.height()) {
                for sx in x * f..((x + 1) * f).min(full.width()) {
                    let p = full.get_pixel(sx, sy).0;
                    for c in 0..3 {
                        sum[c] += u32::from(p[c]);
                    }
                    n += 1;
                }
            }
            image::Rgb(sum.map(|s| ((s + n / 2) / n) as u8))
        })
    }

    fn mean_abs_diff(a: &RgbImage, b: &RgbImage) -> f64 {
        assert_eq!(a.dimensions(), b.dimensions());
        let total: u64 = a
            .as_raw()
            .iter()
            .zip(b.as_raw())
            .map(|(x, y)| u64::from(x.abs_diff(*y)))
            .sum();
        total as f64 / a.as_raw().len() as f64
    }

    #[test]
    fn every_layout_decodes_close_to_the_averaged_full_decode() {
        for name in [
            "p420.jpg",
            "p444-restart.jpg",
            "b422.jpg",
            "gray-progressive.jpg",
            "b420-restart.jpg",
            "rgb.jpg",
            "p411.jpg",
            "gray.jpg",
            "b420-three-scans.jpg",
        ] {
            let bytes = fixture(name);
            for eighths in [1u32, 2, 4] {
                let ours = jpeg::decode(&bytes, eighths as usize, (203, 157));
                if name == "p411.jpg" && eighths > 2 {
                    // 4:1:1 chroma would need 16 coefficients a row: declined.
                    assert!(ours.is_none());
                    continue;
                }
                let r = ours.unwrap_or_else(|| panic!("{name} at {eighths}/8"));
                assert_eq!(
                    (r.width, r.height),
                    (scaled(203, eighths), scaled(157, eighths))
                );
                assert_eq!(r.gray, name.starts_with("gray"));
                let frame = if r.gray {
                    DynamicImage::ImageLuma8(
                        GrayImage::from_raw(r.width, r.height, r.pixels).unwrap(),
                    )
                } else {
                    DynamicImage::ImageRgb8(
                        RgbImage::from_raw(r.width, r.height, r.pixels).unwrap(),
                    )
                };
                // The full-size decoder (zune-jpeg) misreads the three-scan file; its pixels
                // are those of the file it was made from (jpegtran is lossless).
                let reference = match name {
                    "b420-three-scans.jpg" => box_reference(&fixture("b420-restart.jpg"), eighths),
                    _ => box_reference(&bytes, eighths),
                };
                let diff = mean_abs_diff(&frame.to_rgb8(), &reference);
                let theirs = decode_with_jpeg_decoder(&bytes, (203, 157), eighths).unwrap();
                let their_diff = mean_abs_diff(&theirs.to_rgb8(), &reference);
                eprintln!("{name} {eighths}/8: ours {diff:.2}, jpeg-decoder {their_diff:.2}");
                assert!(
                    diff < 2.0,
                    "{name} at {eighths}/8: mean difference {diff:.2}"
                );
            }
        }
    }

    #[test]
    fn split_scan_files_decode_at_full_size_as_their_single_scan_original() {
        let split = decode(&fixture("b420-three-scans.jpg"), &Limits::default())
            .unwrap()
            .frame
            .to_rgb8();
        let whole = decode_with_jpeg_decoder(&fixture("b420-restart.jpg"), (203, 157), 8)
            .unwrap()
            .to_rgb8();
        let diff = mean_abs_diff(&split, &whole);
        assert!(diff < 0.5, "mean difference {diff:.2}");
    }

    #[test]
    fn unsupported_and_damaged_files_are_declined() {
        assert!(jpeg::decode(&fixture("arithmetic.jpg"), 4, (203, 157)).is_none());
        let bytes = fixture("p420.jpg");
        // A size other than the header's, a truncated file, garbage: no frame, no panic.
        assert!(jpeg::decode(&bytes, 4, (200, 157)).is_none());
        for cut in [2, 100, 400, bytes.len() / 2, bytes.len() - 200] {
            assert!(
                jpeg::decode(&bytes[..cut], 4, (203, 157)).is_none(),
                "cut at {cut}"
            );
        }
        let mut flipped = bytes.clone();
        for i in (300..flipped.len()).step_by(97) {
            flipped[i] ^= 0x5A;
        }
        let _ = jpeg::decode(&flipped, 2, (203, 157));
    }
}
