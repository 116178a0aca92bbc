//! JPEG with `mozjpeg-rs`, a pure-Rust port of mozjpeg: trellis quantisation, optimised Huffman
//! tables, overshoot deringing, progressive scans. On the shared photos at 1600 px it makes files
//! RATIO_PLACEHOLDER
//! (`tests/bench/compression/run.sh`), for 3–5× the encode time of `jpeg-encoder`.
//!
//! mozjpeg's quality scale is its own (ImageMagick's tables, as `cjpeg` and sharp's
//! `mozjpeg: true`), so a given quality number gives smaller files of slightly lower fidelity than
//! libjpeg's scale; compare encoders at equal measured quality, never at equal numbers.
//!
//! Below quality 90 chroma is subsampled 4:2:0, as every camera does; from 90 it is kept whole.
//! [`JpegOptions`] overrides both that and the progressive default.

use std::borrow::Cow;

use image::{DynamicImage, GrayAlphaImage, RgbaImage};
use mozjpeg_rs::{Encoder, Preset, Subsampling};

use crate::contract::ChromaSubsampling;
use crate::error::{Error, Result};

/// JPEG cannot describe a side longer than this.
const MAX_SIDE: u32 = u16::MAX as u32;
/// From this quality on, chroma keeps full resolution by default.
const FULL_CHROMA_FROM: u8 = 90;

/// How a JPEG is written beyond its quality (the job options `progressive` and
/// `chromaSubsampling`).
///
/// ```
/// use retouch_engine::codec::JpegOptions;
/// use retouch_engine::contract::ChromaSubsampling;
/// let o = JpegOptions { progressive: false, chroma: Some(ChromaSubsampling::Full) };
/// assert!(!JpegOptions::default().progressive);
/// # let _ = o;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegOptions {
    /// Progressive scans, or one baseline scan (default: as small, and faster to encode).
    pub progressive: bool,
    /// Chroma resolution; `None`: 4:2:0 below quality 90, 4:4:4 from 90.
    pub chroma: Option<ChromaSubsampling>,
}

impl Default for JpegOptions {
    fn default() -> Self {
        Self {
            progressive: false,
            chroma: None,
        }
    }
}

pub(crate) fn encode(frame: &DynamicImage, quality: u8, options: JpegOptions) -> Result<Vec<u8>> {
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
    let encoder = Encoder::new(if options.progressive {
        Preset::ProgressiveBalanced
    } else {
        Preset::BaselineBalanced
    })
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
        for progressive in [true, false] {
            for chroma in [
                None,
                Some(ChromaSubsampling::Half),
                Some(ChromaSubsampling::Full),
            ] {
                for quality in [1, 50, 80, 95, 100] {
                    let options = JpegOptions {
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

    #[test]
    fn baseline_and_progressive_are_marked_so() {
        let frame = squares();
        // SOF0 (baseline) or SOF2 (progressive) marker.
        let has = |bytes: &[u8], marker: u8| bytes.windows(2).any(|w| w == [0xFF, marker]);
        let base = encode(
            &frame,
            80,
            JpegOptions {
                progressive: false,
                chroma: None,
            },
        )
        .expect("b");
        let prog = encode(
            &frame,
            80,
            JpegOptions {
                progressive: true,
                chroma: None,
            },
        )
        .expect("p");
        assert!(has(&base, 0xC0) && !has(&base, 0xC2));
        assert!(has(&prog, 0xC2));
    }
}
