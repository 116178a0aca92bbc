//! HEIC/HEIF input, through `retouch-heif`.
//!
//! Two ways in, one result. Natively (feature `heif`) the file is decoded here. In the browser
//! the base wasm package carries no HEVC decoder: the npm package's JS sees the HEIF signature,
//! loads the separately built HEIF module, which decodes the file into a decoded-frame container
//! (`retouch_heif::frame`: upright 8-bit pixels, ICC, EXIF, XMP), and hands that to the engine
//! in place of the file. Both are `InputFormat::Heic` from here on.
//!
//! HEIF's own rotation and mirror properties make a picture upright; the EXIF Orientation of a
//! HEIC is informative only (libheif and browsers ignore it too), so the orientation reported is
//! always 1.

use image::{DynamicImage, GrayAlphaImage, GrayImage, RgbImage, RgbaImage};
use retouch_heif::frame;

use super::integrity::{Damage, DamageLevel};
use super::metadata::Metadata;
use super::{Decoded, ImageInfo, InputFormat};
use crate::error::{Error, Result};

/// What an ISO base media file (`ftyp` first) holds, from its brands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Brand {
    /// HEVC-coded HEIF: what phones write.
    Heic,
    /// AV1-coded HEIF.
    Avif,
    /// Some other ISO media file (a video, a HEIF without a brand we know).
    Other,
}

/// The brand of an ISO base media file; `None` when `bytes` are not one.
pub(super) fn brand(bytes: &[u8]) -> Option<Brand> {
    if bytes.get(4..8) != Some(b"ftyp") {
        return None;
    }
    let size = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let end = size.clamp(16, bytes.len().max(16)).min(bytes.len());
    let major = bytes.get(8..12)?;
    let compatible = bytes.get(16..end).unwrap_or_default();
    let brands = std::iter::once(major).chain(compatible.chunks_exact(4));
    let (mut heic, mut avif) = (false, false);
    for b in brands {
        match b {
            b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" => heic = true,
            b"avif" | b"avis" => avif = true,
            _ => {}
        }
    }
    let mif = matches!(major, b"mif1" | b"msf1");
    Some(if matches!(major, b"avif" | b"avis") || (avif && !heic) {
        Brand::Avif
    } else if heic || mif {
        Brand::Heic
    } else {
        Brand::Other
    })
}

/// Whether `bytes` are a decoded-frame container (from the HEIF wasm module).
pub(super) fn is_frame(bytes: &[u8]) -> bool {
    frame::is_frame(bytes)
}

/// "This is a HEIC photo with 16-bit samples, which we can't read yet".
#[cfg(feature = "heif")]
fn unsupported(e: retouch_heif::Error) -> Error {
    match e {
        retouch_heif::Error::Unsupported(what) => Error::Unsupported(format!(
            "This is a HEIC photo with {what}, which we can't read yet"
        )),
        retouch_heif::Error::Truncated(_) => {
            Error::Decode("the HEIC file ends too early (truncated or incomplete)".into())
        }
        retouch_heif::Error::TooLarge { width, height } => {
            Error::Limits(format!("HEIC image is {width} × {height}, over the limit"))
        }
        other => Error::Decode(format!("corrupt HEIC data: {other}")),
    }
}

/// The header facts of a HEIF file or a decoded frame: stored size, alpha; no pixel decode.
pub(super) fn probe(bytes: &[u8]) -> Result<ImageInfo> {
    if is_frame(bytes) {
        let f = frame::read(bytes).map_err(|e| Error::Decode(format!("decoded frame: {e}")))?;
        return Ok(info(f.width, f.height, f.channels % 2 == 0));
    }
    probe_file(bytes)
}

fn info(width: u32, height: u32, has_alpha: bool) -> ImageInfo {
    ImageInfo {
        format: InputFormat::Heic,
        width,
        height,
        orientation: 1,
        has_alpha,
    }
}

#[cfg(feature = "heif")]
fn probe_file(bytes: &[u8]) -> Result<ImageInfo> {
    let i = retouch_heif::probe(bytes).map_err(unsupported)?;
    Ok(info(i.width, i.height, i.has_alpha))
}

#[cfg(not(feature = "heif"))]
fn probe_file(_bytes: &[u8]) -> Result<ImageInfo> {
    Err(Error::Unsupported(
        "This is a HEIC photo; this build reads HEIC through its separate HEIF module \
         (the npm package loads it by itself)"
            .into(),
    ))
}

/// Decodes a HEIF file (checked by [`probe`] against the limits) or a decoded frame.
pub(super) fn decode(bytes: &[u8], info: &ImageInfo, max_pixels: u64) -> Result<Decoded> {
    let (width, height, channels, pixels) = if is_frame(bytes) {
        let f = frame::read(bytes).map_err(|e| Error::Decode(format!("decoded frame: {e}")))?;
        if f.pixels.is_empty() {
            return Err(Error::Decode(
                "a HEIC header without its pixels (the HEIF module's probe, not its decode)".into(),
            ));
        }
        (f.width, f.height, f.channels, f.pixels.to_vec())
    } else {
        decode_file(bytes, max_pixels)?
    };
    let bad = || Error::Decode("the HEIC decoder gave a picture of the wrong size".into());
    let frame = match channels {
        1 => DynamicImage::ImageLuma8(GrayImage::from_raw(width, height, pixels).ok_or_else(bad)?),
        2 => DynamicImage::ImageLumaA8(
            GrayAlphaImage::from_raw(width, height, pixels).ok_or_else(bad)?,
        ),
        3 => DynamicImage::ImageRgb8(RgbImage::from_raw(width, height, pixels).ok_or_else(bad)?),
        _ => DynamicImage::ImageRgba8(RgbaImage::from_raw(width, height, pixels).ok_or_else(bad)?),
    };
    Ok(Decoded {
        info: ImageInfo {
            width,
            height,
            has_alpha: channels % 2 == 0,
            format: info.format,
            orientation: info.orientation,
        },
        frame,
    })
}

#[cfg(feature = "heif")]
fn decode_file(bytes: &[u8], max_pixels: u64) -> Result<(u32, u32, u8, Vec<u8>)> {
    let image = retouch_heif::decode(bytes, max_pixels).map_err(unsupported)?;
    Ok((image.width, image.height, image.channels, image.pixels))
}

#[cfg(not(feature = "heif"))]
fn decode_file(bytes: &[u8], _max_pixels: u64) -> Result<(u32, u32, u8, Vec<u8>)> {
    probe_file(bytes).map(|_| (0, 0, 0, Vec::new()))
}

/// The metadata blocks of a HEIF file or decoded frame (empty when unreadable).
pub(crate) fn metadata(bytes: &[u8]) -> Metadata {
    if is_frame(bytes) {
        let Ok(f) = frame::read(bytes) else {
            return Metadata::default();
        };
        return Metadata {
            icc: f.icc.map(<[u8]>::to_vec),
            exif: f.exif.map(<[u8]>::to_vec),
            xmp: f.xmp.map(<[u8]>::to_vec),
            iptc: None,
        };
    }
    file_metadata(bytes)
}

#[cfg(feature = "heif")]
fn file_metadata(bytes: &[u8]) -> Metadata {
    let m = retouch_heif::metadata(bytes).unwrap_or_default();
    Metadata {
        icc: m.icc,
        exif: m.exif,
        xmp: m.xmp,
        iptc: None,
    }
}

#[cfg(not(feature = "heif"))]
fn file_metadata(_bytes: &[u8]) -> Metadata {
    Metadata::default()
}

/// What is wrong with a HEIF file (its top-level boxes, see `retouch_heif::integrity`), or
/// what the HEIF module found wrong with the file a decoded frame comes from.
pub(super) fn integrity(bytes: &[u8]) -> Option<Damage> {
    let (truncated, message) = if is_frame(bytes) {
        let (truncated, message) = frame::read(bytes).ok()?.damage?;
        (truncated, message.to_owned())
    } else {
        let d = retouch_heif::integrity::check(bytes)?;
        (d.truncated, d.message)
    };
    Some(Damage {
        level: if truncated {
            DamageLevel::Truncated
        } else {
            DamageLevel::Error
        },
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let mut b = Vec::new();
        let size = 16 + 4 * compatible.len() as u32;
        b.extend_from_slice(&size.to_be_bytes());
        b.extend_from_slice(b"ftyp");
        b.extend_from_slice(major);
        b.extend_from_slice(&[0; 4]);
        for c in compatible {
            b.extend_from_slice(*c);
        }
        b
    }

    #[test]
    fn brands_say_heic_avif_or_other() {
        assert_eq!(brand(&ftyp(b"heic", &[b"mif1"])), Some(Brand::Heic));
        assert_eq!(brand(&ftyp(b"mif1", &[b"heic"])), Some(Brand::Heic));
        assert_eq!(brand(&ftyp(b"mif1", &[b"avif"])), Some(Brand::Avif));
        assert_eq!(brand(&ftyp(b"avif", &[b"mif1"])), Some(Brand::Avif));
        assert_eq!(brand(&ftyp(b"isom", &[b"mp41"])), Some(Brand::Other));
        assert_eq!(brand(b"\xff\xd8\xff"), None);
    }
}
