//! The format and size of an image read from its header, without decoding a pixel.
//!
//! The worker links the engine without its codecs, so it reads the few header bytes itself: a PNG's
//! `IHDR`, a JPEG's first start-of-frame marker, a WebP's `VP8 `/`VP8L`/`VP8X` chunk. That is
//! enough to refuse what a generative provider must never be trusted with: an HTML page served as
//! an image, a 1 × 1 placeholder, or a small file that claims 20000 × 20000 pixels.
//!
//! ```
//! use retouch_worker::image_probe::{probe, ImageKind};
//! let png = retouch_worker::image_probe::tests_support::png_header(640, 480);
//! let p = probe(&png).unwrap();
//! assert_eq!((p.kind, p.width, p.height), (ImageKind::Png, 640, 480));
//! assert!(probe(b"<!DOCTYPE html><html>").is_err());
//! ```

/// The image formats a provider may answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// PNG
    Png,
    /// JPEG
    Jpeg,
    /// WebP
    Webp,
}

impl ImageKind {
    /// The MIME type.
    pub const fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
        }
    }

    /// The file extension, as the engine names formats.
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Webp => "webp",
        }
    }
}

/// What a header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probed {
    /// The container format.
    pub kind: ImageKind,
    /// Width in pixels as stored (EXIF orientation is not applied).
    pub width: u32,
    /// Height in pixels as stored.
    pub height: u32,
}

/// Why bytes are not an image this probe can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeError {
    /// No bytes at all.
    Empty,
    /// The bytes look like an HTML or JSON document, not an image.
    Document,
    /// Not PNG, JPEG or WebP.
    UnknownFormat,
    /// The header ends early or is malformed.
    BadHeader(&'static str),
}

impl std::fmt::Display for ProbeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => f.write_str("the body is empty"),
            Self::Document => f.write_str("the body is an HTML or JSON document, not an image"),
            Self::UnknownFormat => f.write_str("the body is not a PNG, JPEG or WebP image"),
            Self::BadHeader(what) => write!(f, "the image header is damaged ({what})"),
        }
    }
}

impl std::error::Error for ProbeError {}

/// Reads the format and size from the first bytes of `bytes`.
pub fn probe(bytes: &[u8]) -> Result<Probed, ProbeError> {
    if bytes.is_empty() {
        return Err(ProbeError::Empty);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return png(bytes);
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        return jpeg(bytes);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return webp(bytes);
    }
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |i| &bytes[i..]);
    if start
        .first()
        .is_some_and(|b| matches!(b, b'<' | b'{' | b'['))
    {
        return Err(ProbeError::Document);
    }
    Err(ProbeError::UnknownFormat)
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(
        b.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(u32::from(s[0]) | u32::from(s[1]) << 8 | u32::from(s[2]) << 16)
}

fn sized(kind: ImageKind, width: u32, height: u32) -> Result<Probed, ProbeError> {
    if width == 0 || height == 0 {
        return Err(ProbeError::BadHeader("zero width or height"));
    }
    Ok(Probed {
        kind,
        width,
        height,
    })
}

fn png(b: &[u8]) -> Result<Probed, ProbeError> {
    if b.get(12..16) != Some(b"IHDR") {
        return Err(ProbeError::BadHeader("no IHDR chunk"));
    }
    let (Some(w), Some(h)) = (be32(b, 16), be32(b, 20)) else {
        return Err(ProbeError::BadHeader("IHDR ends early"));
    };
    sized(ImageKind::Png, w, h)
}

fn jpeg(b: &[u8]) -> Result<Probed, ProbeError> {
    let mut i = 2;
    loop {
        // Markers may be padded with extra 0xFF bytes.
        while b.get(i) == Some(&0xFF) && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (b.get(i), b.get(i + 1)) else {
            return Err(ProbeError::BadHeader("no start-of-frame marker"));
        };
        // Markers without a length.
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            i += 2;
            continue;
        }
        if marker == 0xD9 || marker == 0xDA {
            return Err(ProbeError::BadHeader("no start-of-frame before the scan"));
        }
        let len = usize::from(be16(b, i + 2).ok_or(ProbeError::BadHeader("segment ends early"))?);
        if len < 2 {
            return Err(ProbeError::BadHeader("segment length below 2"));
        }
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let (Some(h), Some(w)) = (be16(b, i + 5), be16(b, i + 7)) else {
                return Err(ProbeError::BadHeader("start-of-frame ends early"));
            };
            return sized(ImageKind::Jpeg, u32::from(w), u32::from(h));
        }
        i += 2 + len;
    }
}

fn webp(b: &[u8]) -> Result<Probed, ProbeError> {
    let early = ProbeError::BadHeader("WebP chunk ends early");
    match b.get(12..16) {
        Some(b"VP8 ") => {
            if b.get(23..26) != Some(&[0x9D, 0x01, 0x2A]) {
                return Err(ProbeError::BadHeader("no VP8 key frame"));
            }
            let w = le16(b, 26).ok_or(early.clone())? & 0x3FFF;
            let h = le16(b, 28).ok_or(early)? & 0x3FFF;
            sized(ImageKind::Webp, w, h)
        }
        Some(b"VP8L") => {
            if b.get(20) != Some(&0x2F) {
                return Err(ProbeError::BadHeader("no VP8L signature"));
            }
            let s = b.get(21..25).ok_or(early)?;
            let bits = u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
            sized(
                ImageKind::Webp,
                (bits & 0x3FFF) + 1,
                ((bits >> 14) & 0x3FFF) + 1,
            )
        }
        Some(b"VP8X") => {
            let w = le24(b, 24).ok_or(early.clone())? + 1;
            let h = le24(b, 27).ok_or(early)? + 1;
            sized(ImageKind::Webp, w, h)
        }
        _ => Err(ProbeError::BadHeader("unknown WebP chunk")),
    }
}

/// Headers for tests and examples.
#[doc(hidden)]
pub mod tests_support {
    /// The first 33 bytes of a PNG (signature and IHDR) claiming `w` × `h`.
    pub fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::png_header;
    use super::*;

    #[test]
    fn png_sizes() {
        let p = probe(&png_header(20_000, 20_000)).unwrap();
        assert_eq!((p.width, p.height), (20_000, 20_000));
        assert_eq!(
            probe(&png_header(0, 5)),
            Err(ProbeError::BadHeader("zero width or height"))
        );
        assert!(matches!(
            probe(&png_header(4, 4)[..18]),
            Err(ProbeError::BadHeader(_))
        ));
    }

    #[test]
    fn jpeg_skips_segments_to_the_frame() {
        let mut j = vec![
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xFF, 0xC2, 0, 11, 8,
        ];
        j.extend_from_slice(&300u16.to_be_bytes());
        j.extend_from_slice(&400u16.to_be_bytes());
        j.extend_from_slice(&[3, 1, 0x22, 0]);
        let p = probe(&j).unwrap();
        assert_eq!((p.kind, p.width, p.height), (ImageKind::Jpeg, 400, 300));
        assert!(probe(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2]).is_err());
        assert!(probe(&[0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF]).is_err());
    }

    #[test]
    fn webp_forms() {
        let mut lossy = b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0\x9d\x01\x2a".to_vec();
        lossy.extend_from_slice(&640u16.to_le_bytes());
        lossy.extend_from_slice(&480u16.to_le_bytes());
        assert_eq!(
            (probe(&lossy).unwrap().width, probe(&lossy).unwrap().height),
            (640, 480)
        );
        let bits: u32 = 99 | (49 << 14);
        let mut lossless = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f".to_vec();
        lossless.extend_from_slice(&bits.to_le_bytes());
        let p = probe(&lossless).unwrap();
        assert_eq!((p.width, p.height), (100, 50));
        let mut ext = b"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\0\0\0\0".to_vec();
        ext.extend_from_slice(&[0x1F, 0x4E, 0, 0x1F, 0x4E, 0]);
        let p = probe(&ext).unwrap();
        assert_eq!((p.width, p.height), (20_000, 20_000));
    }

    #[test]
    fn documents_and_garbage() {
        assert_eq!(
            probe(b"  <!DOCTYPE html><h1>502 Bad Gateway</h1>"),
            Err(ProbeError::Document)
        );
        assert_eq!(
            probe(br#"{"error":"overloaded"}"#),
            Err(ProbeError::Document)
        );
        assert_eq!(probe(b"GIF89a"), Err(ProbeError::UnknownFormat));
        assert_eq!(probe(b""), Err(ProbeError::Empty));
    }
}
