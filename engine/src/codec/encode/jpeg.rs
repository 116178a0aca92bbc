//! JPEG with `mozjpeg-rs`, a pure-Rust port of mozjpeg. Measured on the 13 shared photos at
//! 1024 px, quality 50–90, bytes at equal SSIMULACRA2 (`tests/bench/compression/run.sh`):
//!
//! - [`Effort::Fast`] (default): mozjpeg's quantisation tables and optimised Huffman tables,
//!   no trellis: 0.94× the bytes of libjpeg-turbo (sharp's default) and 0.83× those of
//!   `jpeg-encoder` (the engine's encoder before), in 0.9× its time natively but 1.6–1.9× in
//!   wasm32.
//! - [`Effort::Max`]: adds trellis quantisation and deringing, as mozjpeg does: 0.88× the bytes
//!   of libjpeg-turbo, 1.03× those of sharp's `mozjpeg: true`, in 3–5× the time of `Fast`.
//!
//! Baseline by default: progressive scans (an option) made files no smaller and took up to 1.7×
//! longer. Chroma is subsampled 4:2:0 below quality 97 and kept whole from 97: at q50–90 4:4:4
//! needed 29 % more bytes for the same SSIMULACRA2, and broke even only around q97 (a 6-photo
//! run up to q98).
//!
//! Quality numbers: mozjpeg's tables (ImageMagick's, as `cjpeg` and sharp's `mozjpeg: true`)
//! give with `Fast` about the SSIMULACRA2 of libjpeg-turbo at the same number (81.7 against 81.6
//! at q80); `Max`'s trellis gives up about one point of it for its smaller files, as mozjpeg does.
//!
//! zune-jpeg 0.5.15 (our decoder) misread `jpeg-encoder`'s optimised Huffman tables; it reads
//! mozjpeg-rs's correctly (the unit tests below, and every benchmark output agrees with Pillow).

use std::borrow::Cow;

use image::{DynamicImage, GrayAlphaImage, RgbaImage};
use mozjpeg_rs::{Encoder, Preset, Subsampling};

use super::EncodeOptions;
use crate::contract::{ChromaSubsampling, Effort};
use crate::error::{Error, Result};

/// JPEG cannot describe a side longer than this.
const MAX_SIDE: u32 = u16::MAX as u32;
/// From this quality on, chroma keeps full resolution by default.
const FULL_CHROMA_FROM: u8 = 97;

pub(crate) fn encode(frame: &DynamicImage, quality: u8, options: EncodeOptions) -> Result<Vec<u8>> {
    let (width, height) = (frame.width(), frame.height());
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(Error::Encode(format!(
            "JPEG cannot store an image of {width} × {height}; its sides are limited to {MAX_SIDE} px"
        )));
    }
    let (pixels, gray): (Cow<'_, [u8]>, bool) = match frame {
        DynamicImage::ImageLuma8(b) => (Cow::Borrowed(b.as_raw()), true),
        DynamicImage::ImageRgb8(b) => (Cow::Borrowed(b.as_raw()), false),
        DynamicImage::ImageLumaA8(b) => (Cow::Owned(flatten_gray_alpha(b)), true),
        DynamicImage::ImageRgba8(b) => (Cow::Owned(flatten_rgba(b)), false),
        other => (Cow::Owned(other.to_rgb8().into_raw()), false),
    };
    let chroma = options.chroma.unwrap_or(if quality < FULL_CHROMA_FROM {
        ChromaSubsampling::Half
    } else {
        ChromaSubsampling::Full
    });
    let encoder = match options.effort {
        Effort::Fast => Encoder::new(Preset::BaselineFastest).optimize_huffman(true),
        Effort::Max => Encoder::new(Preset::BaselineBalanced),
    }
    .progressive(options.progressive)
    .quality(quality)
    // 8-bit quantisation tables even at the lowest qualities: readable by every decoder.
    .force_baseline(true)
    .subsampling(match chroma {
        ChromaSubsampling::Half => Subsampling::S420,
        ChromaSubsampling::Full => Subsampling::S444,
    });
    let encoded = if gray {
        encoder.encode_gray(&pixels, width, height)
    } else {
        encoder.encode_rgb(&pixels, width, height)
    };
    encoded.map_err(|e| Error::Encode(format!("JPEG: {e}")))
}

/// `c` over white with coverage `a`, rounded.
fn over_white(c: u8, a: u8) -> u8 {
    let (c, a) = (u32::from(c), u32::from(a));
    ((c * a + 255 * (255 - a) + 127) / 255) as u8
}

fn flatten_gray_alpha(b: &GrayAlphaImage) -> Vec<u8> {
    b.as_raw()
        .chunks_exact(2)
        .map(|p| over_white(p[0], p[1]))
        .collect()
}

fn flatten_rgba(b: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.as_raw().len() / 4 * 3);
    for p in b.as_raw().chunks_exact(4) {
        out.extend([p[0], p[1], p[2]].map(|c| over_white(c, p[3])));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{decode, Limits};
    use image::{Rgb, RgbImage};

    #[test]
    fn alpha_flattens_onto_white() {
        assert_eq!(over_white(0, 0), 255);
        assert_eq!(over_white(0, 255), 0);
        assert_eq!(over_white(0, 128), 127);
        assert_eq!(over_white(200, 255), 200);
    }

    /// A white 16 × 16 square on saturated colours: the case that zune-jpeg 0.5.15 misread with
    /// `jpeg-encoder`'s optimised Huffman tables (the square came back green).
    fn squares() -> DynamicImage {
        DynamicImage::ImageRgb8(RgbImage::from_fn(64, 48, |x, y| {
            if (16..32).contains(&x) && (16..32).contains(&y) {
                Rgb([255, 255, 255])
            } else {
                Rgb([
                    (x * 4) as u8,
                    200 - (y * 3) as u8,
                    if x < 40 { 30 } else { 220 },
                ])
            }
        }))
    }

    #[test]
    fn every_setting_decodes_with_our_decoder() {
        let frame = squares();
        for effort in [Effort::Fast, Effort::Max] {
            for progressive in [true, false] {
                for chroma in [
                    None,
                    Some(ChromaSubsampling::Half),
                    Some(ChromaSubsampling::Full),
                ] {
                    for quality in [1, 50, 80, 97, 100] {
                        let options = EncodeOptions {
                            effort,
                            progressive,
                            chroma,
                        };
                        let what = format!("{options:?} q{quality}");
                        let bytes = encode(&frame, quality, options).expect(&what);
                        let back = decode(&bytes, &Limits::default()).expect(&what).frame;
                        let p = back.to_rgb8().get_pixel(24, 24).0;
                        assert!(p.iter().all(|&c| c > 230), "{what}: centre {p:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn baseline_and_progressive_are_marked_so() {
        let frame = squares();
        // SOF0 (baseline) or SOF2 (progressive) marker.
        let has = |bytes: &[u8], marker: u8| bytes.windows(2).any(|w| w == [0xFF, marker]);
        let base = encode(&frame, 80, EncodeOptions::default()).expect("baseline");
        let progressive = EncodeOptions {
            progressive: true,
            ..EncodeOptions::default()
        };
        let prog = encode(&frame, 80, progressive).expect("progressive");
        assert!(has(&base, 0xC0) && !has(&base, 0xC2));
        assert!(has(&prog, 0xC2));
    }
}
