//! The decoded-frame container: what the separately loaded HEIF wasm module hands to the base
//! engine, in place of the HEIF file.
//!
//! Layout (all integers little-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 8 | magic `RTFRAME1` |
//! | 1 | source format: 1 = HEIF |
//! | 1 | channels: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA (8 bits each) |
//! | 2 | zero |
//! | 4, 4 | width, height (upright: the file's rotation and mirror are applied) |
//! | 4 + n | ICC profile (n = 0: none) |
//! | 4 + n | EXIF as a TIFF structure (`II*\0` / `MM\0*`) |
//! | 4 + n | XMP packet |
//! | 4 + n | damage: n = 0 none, else a level byte (1 corrupt, 2 truncated) and a UTF-8 sentence |
//! | w·h·channels | pixels, rows top to bottom, no padding; none in a header-only frame |
//!
//! A header-only frame (no pixels) is what the HEIF module's probe gives: the engine reads the
//! size from it and checks its limits before the HEIF module decodes anything.
//!
//! Internal to Retouch (both ends are built from this crate at the same version); not a file
//! format anyone should store.

use crate::error::{Error, Result};

/// The first eight bytes of a frame.
pub const MAGIC: &[u8; 8] = b"RTFRAME1";

/// Source format code of a HEIF file.
pub const SOURCE_HEIF: u8 = 1;

const FIXED: usize = 8 + 4 + 8;

/// A frame read from its bytes (borrowing them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameRef<'a> {
    /// The format the pixels were decoded from ([`SOURCE_HEIF`]).
    pub source: u8,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// 1, 2, 3 or 4.
    pub channels: u8,
    /// The ICC profile the pixels are in, if any.
    pub icc: Option<&'a [u8]>,
    /// EXIF (TIFF structure).
    pub exif: Option<&'a [u8]>,
    /// XMP packet.
    pub xmp: Option<&'a [u8]>,
    /// What is wrong with the file the pixels come from (see [`crate::integrity`]): the engine
    /// applies its `failOn` policy to it as to any damaged file.
    pub damage: Option<(bool, &'a str)>,
    /// `width × height × channels` bytes.
    pub pixels: &'a [u8],
}

/// Whether `bytes` start like a frame.
pub fn is_frame(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Writes a frame. `pixels` must hold `width × height × channels` bytes, or none for a
/// header-only frame.
pub fn write(frame: &FrameRef<'_>) -> Vec<u8> {
    let damage = frame.damage.map(|(truncated, message)| {
        let mut d = vec![if truncated { 2 } else { 1 }];
        d.extend_from_slice(message.as_bytes());
        d
    });
    let blocks = [frame.icc, frame.exif, frame.xmp, damage.as_deref()];
    let extra: usize = blocks.iter().map(|b| 4 + b.map_or(0, <[u8]>::len)).sum();
    let mut out = Vec::with_capacity(FIXED + extra + frame.pixels.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[frame.source, frame.channels, 0, 0]);
    out.extend_from_slice(&frame.width.to_le_bytes());
    out.extend_from_slice(&frame.height.to_le_bytes());
    for block in blocks {
        let block = block.unwrap_or_default();
        out.extend_from_slice(&u32::try_from(block.len()).unwrap_or(0).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(frame.pixels);
    out
}

/// Reads the header and blocks of a frame; the pixels are checked for length only.
pub fn read(bytes: &[u8]) -> Result<FrameRef<'_>> {
    let short = || Error::Truncated("a decoded frame".into());
    if !is_frame(bytes) {
        return Err(Error::Malformed("not a decoded frame".into()));
    }
    let head = bytes.get(..FIXED).ok_or_else(short)?;
    let (source, channels) = (head[8], head[9]);
    if !(1..=4).contains(&channels) {
        return Err(Error::Malformed(format!(
            "a decoded frame with {channels} channels"
        )));
    }
    let word = |at: usize| u32::from_le_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    let (width, height) = (word(12), word(16));
    let mut rest = &bytes[FIXED..];
    let mut block = || -> Result<Option<&[u8]>> {
        let len = rest.get(..4).ok_or_else(short)?;
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let data = rest.get(4..4 + len).ok_or_else(short)?;
        rest = &rest[4 + len..];
        Ok((len > 0).then_some(data))
    };
    let (icc, exif, xmp, damage) = (block()?, block()?, block()?, block()?);
    let damage = match damage {
        None => None,
        Some(d) => {
            let message = std::str::from_utf8(&d[1..]).map_err(|_| {
                Error::Malformed("a decoded frame's damage note is not UTF-8".into())
            })?;
            Some((d[0] == 2, message))
        }
    };
    let expected = u64::from(width) * u64::from(height) * u64::from(channels);
    if !rest.is_empty() && rest.len() as u64 != expected {
        return Err(Error::Malformed(format!(
            "a decoded frame of {width} × {height} × {channels} holds {} bytes of pixels",
            rest.len()
        )));
    }
    Ok(FrameRef {
        source,
        width,
        height,
        channels,
        icc,
        exif,
        xmp,
        damage,
        pixels: rest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let pixels = [1u8, 2, 3, 4, 5, 6];
        let frame = FrameRef {
            source: SOURCE_HEIF,
            width: 2,
            height: 1,
            channels: 3,
            icc: Some(b"icc"),
            exif: None,
            xmp: Some(b"<x/>"),
            damage: Some((true, "cut")),
            pixels: &pixels,
        };
        let bytes = write(&frame);
        assert_eq!(read(&bytes), Ok(frame));
        let pixels_at = bytes.len() - pixels.len();
        for len in (0..pixels_at).chain(pixels_at + 1..bytes.len()) {
            assert!(read(&bytes[..len]).is_err(), "cut at {len}");
        }
        let mut bad = bytes.clone();
        bad[9] = 7;
        assert!(read(&bad).is_err());
        let header = write(&FrameRef {
            pixels: &[],
            ..frame
        });
        assert_eq!(read(&header).map(|f| f.pixels.len()), Ok(0));
    }
}
