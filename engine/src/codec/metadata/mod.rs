//! Metadata at the byte level: reading EXIF, XMP, IPTC and ICC from JPEG, PNG and WebP
//! containers, filtering them by a [`MetadataPolicy`], and splicing them into encoded bytes.
//!
//! It works on containers, not pixels, so any encoder's output can be given metadata afterwards.
//! Reading never fails (a block that cannot be read is absent); filtering drops a block it cannot
//! walk safely rather than risk leaking what the policy removes.
//!
//! | policy | EXIF | XMP | IPTC (JPEG only) | ICC |
//! |---|---|---|---|---|
//! | `Strip` (default) | – | – | – | – (the caller adds it back when pixels stay in their profile) |
//! | `Keep` | Orientation 1, no GPS unless `keep_gps`, no thumbnail | GPS removed unless `keep_gps`, Orientation 1 | kept | kept, unless CMYK (see [`is_ink_profile`]) |
//! | `Copyright` | Artist and Copyright only | `dc:creator` and `dc:rights` only | By-line and Copyright Notice only | – |
//!
//! ```
//! use retouch_engine::codec::metadata::{self, MetadataPolicy, MetadataMode};
//! use retouch_engine::contract::Format;
//! # let (input, output) = (Vec::<u8>::new(), Vec::<u8>::new());
//! let meta = metadata::read(&input).filtered(MetadataPolicy { mode: MetadataMode::Keep, keep_gps: false });
//! let with_meta = metadata::embed(output, Format::Jpg, &meta);
//! ```

mod exif;
mod iptc;
mod jpeg;
mod png;
mod webp;
mod xmp;

pub(crate) use jpeg::components as jpeg_components;

use crate::contract::Format;

/// The metadata blocks of a file, each as raw bytes of its standard form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// EXIF as a TIFF structure (starting `II*\0` or `MM\0*`, without JPEG's `Exif\0\0`).
    pub exif: Option<Vec<u8>>,
    /// The XMP packet (UTF-8 XML).
    pub xmp: Option<Vec<u8>>,
    /// IPTC-IIM datasets.
    pub iptc: Option<Vec<u8>>,
    /// The ICC profile.
    pub icc: Option<Vec<u8>>,
}

/// What a job does with metadata.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MetadataMode {
    /// Nothing but pixels (and the colour profile where the pixels need it).
    #[default]
    Strip,
    /// EXIF, XMP, IPTC and ICC carried over; Orientation reset to 1; GPS removed unless asked.
    Keep,
    /// Only the creator and copyright fields.
    Copyright,
}

/// A [`MetadataMode`] and whether `Keep` keeps GPS.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MetadataPolicy {
    /// What is kept.
    pub mode: MetadataMode,
    /// With `Keep`: keep the GPS position too. Default false.
    pub keep_gps: bool,
}

impl Metadata {
    /// Total bytes of the blocks.
    pub fn len(&self) -> usize {
        [&self.exif, &self.xmp, &self.iptc, &self.icc]
            .iter()
            .map(|b| b.as_ref().map_or(0, Vec::len))
            .sum()
    }

    /// Whether no block is present.
    pub fn is_empty(&self) -> bool {
        self.exif.is_none() && self.xmp.is_none() && self.iptc.is_none() && self.icc.is_none()
    }

    /// The blocks the policy lets through, edited as the policy says.
    pub fn filtered(&self, policy: MetadataPolicy) -> Self {
        match policy.mode {
            MetadataMode::Strip => Self::default(),
            MetadataMode::Keep => Self {
                exif: self
                    .exif
                    .as_deref()
                    .and_then(|e| exif::keep(e, policy.keep_gps)),
                xmp: self
                    .xmp
                    .as_deref()
                    .and_then(|x| xmp::keep(x, policy.keep_gps)),
                iptc: self.iptc.clone(),
                icc: self.icc.clone().filter(|p| !is_ink_profile(p)),
            },
            MetadataMode::Copyright => Self {
                exif: self.exif.as_deref().and_then(exif::copyright_only),
                xmp: self.xmp.as_deref().and_then(xmp::copyright_only),
                iptc: self.iptc.as_deref().and_then(iptc::copyright_only),
                icc: None,
            },
        }
    }

    /// The EXIF Orientation, when the file has one.
    pub fn orientation(&self) -> Option<u16> {
        self.exif.as_deref().and_then(exif::orientation)
    }

    /// Whether the EXIF block has a GPS IFD.
    pub fn has_gps(&self) -> bool {
        self.exif.as_deref().is_some_and(exif::has_gps)
    }
}

/// Whether an ICC profile describes printing inks (CMYK, CMY or n-colour, from its header's
/// colour space field). Such a profile never goes into an output: CMYK input is converted to sRGB
/// on decode, so output pixels are RGB or grey whatever the policy.
pub fn is_ink_profile(icc: &[u8]) -> bool {
    match icc.get(16..20) {
        Some(b"CMYK" | b"CMY ") => true,
        Some([n, b'C', b'L', b'R']) => matches!(n, b'2'..=b'9' | b'A'..=b'F'),
        _ => false,
    }
}

/// Reads the metadata of a JPEG, PNG, WebP or HEIC file (empty for other formats or unreadable blocks).
pub fn read(bytes: &[u8]) -> Metadata {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg::read(bytes)
    } else if bytes.starts_with(b"\x89PNG") {
        png::read(bytes)
    } else if bytes.starts_with(b"RIFF") {
        webp::read(bytes)
    } else if bytes.get(4..8) == Some(b"ftyp") || super::heif::is_frame(bytes) {
        super::heif::metadata(bytes)
    } else {
        Metadata::default()
    }
}

/// `encoded` (a file of `format`) with exactly `meta`'s blocks: every metadata block it had is
/// replaced. When the container cannot be walked the bytes come back unchanged. IPTC is written
/// to JPEG only (PNG and WebP have no IPTC chunk; XMP carries the same fields).
pub fn embed(encoded: Vec<u8>, format: Format, meta: &Metadata) -> Vec<u8> {
    let spliced = match format {
        Format::Jpg => jpeg::write(&encoded, meta),
        Format::Png => png::write(&encoded, meta),
        Format::Webp => webp::write(&encoded, meta),
    };
    spliced.unwrap_or(encoded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, RgbImage, RgbaImage};

    fn sample_meta() -> Metadata {
        Metadata {
            exif: Some(exif::tests::sample()),
            xmp: Some(b"<x:xmpmeta><dc:creator>Jo</dc:creator></x:xmpmeta>".to_vec()),
            iptc: Some(vec![0x1C, 2, 80, 0, 2, b'J', b'o']),
            icc: Some((0..70_000u32).map(|i| (i % 251) as u8).collect()),
        }
    }

    fn encoded(format: Format, alpha: bool) -> Vec<u8> {
        let frame = if alpha {
            DynamicImage::ImageRgba8(RgbaImage::from_pixel(8, 6, image::Rgba([1, 2, 3, 128])))
        } else {
            DynamicImage::ImageRgb8(RgbImage::from_pixel(8, 6, image::Rgb([200, 100, 50])))
        };
        crate::codec::encode(&frame, format, crate::contract::Quality::saturating(80))
            .expect("encodes")
    }

    #[test]
    fn every_format_round_trips_and_still_decodes() {
        for format in [Format::Jpg, Format::Png, Format::Webp] {
            for alpha in [false, true] {
                let mut meta = sample_meta();
                if format != Format::Jpg {
                    meta.iptc = None;
                }
                let out = embed(encoded(format, alpha), format, &meta);
                assert_eq!(read(&out), meta, "{format:?} alpha {alpha}");
                let img = image::load_from_memory(&out).expect("still decodes");
                assert_eq!((img.width(), img.height()), (8, 6));
                // Embedding again replaces rather than duplicates.
                let again = embed(out.clone(), format, &meta);
                assert_eq!(again.len(), out.len(), "{format:?}");
                // Embedding nothing strips everything.
                assert!(read(&embed(out, format, &Metadata::default())).is_empty());
            }
        }
    }

    #[test]
    fn policies() {
        let m = sample_meta();
        assert!(m.filtered(MetadataPolicy::default()).is_empty());
        let keep = m.filtered(MetadataPolicy {
            mode: MetadataMode::Keep,
            keep_gps: false,
        });
        assert!(!keep.has_gps());
        assert_eq!(keep.orientation(), Some(1));
        assert!(keep.icc.is_some() && keep.iptc.is_some());
        let mut cmyk_profile = vec![0u8; 128];
        cmyk_profile[16..20].copy_from_slice(b"CMYK");
        let cmyk = Metadata {
            icc: Some(cmyk_profile),
            ..sample_meta()
        };
        let kept = cmyk.filtered(MetadataPolicy {
            mode: MetadataMode::Keep,
            keep_gps: false,
        });
        assert!(
            kept.icc.is_none(),
            "a CMYK profile never reaches an RGB output"
        );
        let c = m.filtered(MetadataPolicy {
            mode: MetadataMode::Copyright,
            keep_gps: true,
        });
        assert!(c.icc.is_none() && !c.has_gps() && c.orientation().is_none());
        assert!(c.exif.is_some() && c.iptc.is_some());
    }

    #[test]
    fn garbage_never_panics() {
        let meta = sample_meta();
        for format in [Format::Jpg, Format::Png, Format::Webp] {
            let good = encoded(format, false);
            for cut in [0, 1, 5, 12, 20, 33, good.len() / 2] {
                let _ = read(&good[..cut.min(good.len())]);
                let _ = embed(good[..cut.min(good.len())].to_vec(), format, &meta);
            }
        }
    }
}
