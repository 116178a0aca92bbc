//! Damage checks: whether a file holds its whole image, read from the container's structure.
//!
//! Decoders are lenient on purpose — `image`'s JPEG decoder fills the rows a truncated file
//! lacks with flat grey and reports success. These checks walk the container (JPEG markers,
//! PNG chunks and their CRCs, the RIFF size of a WebP, GIF blocks, the BMP file size, the
//! top-level boxes of a HEIC) and say
//! what is missing, so that a damaged photo fails with a message instead of becoming a
//! "successful" edit with grey rows. They read the bytes once, allocate nothing, and never
//! panic; an intact file of any supported format gives `None`.
//!
//! ```
//! use retouch_engine::codec::{check_integrity, DamageLevel, InputFormat};
//! let png = [137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];
//! let damage = check_integrity(&png, InputFormat::Png).expect("ends inside IHDR");
//! assert_eq!(damage.level, DamageLevel::Truncated);
//! ```

use image::DynamicImage;

use super::InputFormat;

/// How serious a [`Damage`] is, in the order of sharp's `failOn` levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DamageLevel {
    /// Something a strict reader complains about, the pixels being complete (a GIF without its
    /// trailer, a PNG ancillary chunk with a bad checksum).
    Warning,
    /// Data inside the file is corrupt (a PNG image chunk with a bad checksum).
    Error,
    /// The file ends before its image does: an interrupted download or copy.
    Truncated,
}

/// What is wrong with a file, for people: "the file ends after 200 KB, before the end of its
/// image data".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// How serious it is.
    pub level: DamageLevel,
    /// What is wrong, as a sentence fragment after "cannot decode image: ".
    pub message: String,
}

impl Damage {
    fn truncated(len: usize, what: &str) -> Self {
        Self {
            level: DamageLevel::Truncated,
            message: format!("the file ends after {}, {what}", size_text(len)),
        }
    }

    /// The message with how much of the picture the decoder could not read, e.g. "…; about 27 %
    /// of the rows are missing".
    pub(crate) fn with_missing_rows(mut self, fraction: f64) -> Self {
        if fraction > 0.0 {
            let percent = (fraction * 100.0).round().max(1.0);
            self.message
                .push_str(&format!("; about {percent} % of the rows are missing"));
        }
        self
    }
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Checks that `bytes`, a file of `format`, holds its whole image; `None` when it does.
pub fn check_integrity(bytes: &[u8], format: InputFormat) -> Option<Damage> {
    match format {
        InputFormat::Jpeg => jpeg(bytes),
        InputFormat::Png => png(bytes),
        InputFormat::Webp => webp(bytes),
        InputFormat::Gif => gif(bytes),
        InputFormat::Bmp => bmp(bytes),
        InputFormat::Heic => super::heif::integrity(bytes),
    }
}

/// "200 KB", "3.4 MB", "812 bytes".
fn size_text(len: usize) -> String {
    match len {
        0..=9_999 => format!("{len} bytes"),
        10_000..=999_999 => format!("{} KB", len / 1000),
        _ => format!("{:.1} MB", len as f64 / 1e6),
    }
}

fn u16_be(b: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(u16::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
    ])))
}

fn u32_at(b: &[u8], at: usize, big_endian: bool) -> Option<usize> {
    let four: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
    let v = if big_endian {
        u32::from_be_bytes(four)
    } else {
        u32::from_le_bytes(four)
    };
    usize::try_from(v).ok()
}

/// A JPEG ends with EOI after its last scan; every segment's length stays inside the file.
fn jpeg(b: &[u8]) -> Option<Damage> {
    const MISSING_END: &str = "before the end of its image data (the JPEG end marker is missing)";
    let mut pos = 2; // after SOI
    let mut scans = 0usize;
    loop {
        // The next marker: 0xFF (any number of fill bytes) and a code; stray bytes are skipped
        // as decoders skip them.
        let Some(ff) = b.get(pos..)?.iter().position(|&x| x == 0xFF) else {
            return Some(Damage::truncated(b.len(), MISSING_END));
        };
        pos += ff;
        while b.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&code) = b.get(pos) else {
            return Some(Damage::truncated(b.len(), MISSING_END));
        };
        pos += 1;
        match code {
            0xD9 => return None,
            // Standalone markers: TEM, RSTn, a stray SOI.
            0x01 | 0xD0..=0xD8 => {}
            _ => {
                let Some(len) = u16_be(b, pos).filter(|&l| l >= 2) else {
                    return Some(Damage::truncated(b.len(), MISSING_END));
                };
                if pos + len > b.len() {
                    return Some(Damage::truncated(b.len(), MISSING_END));
                }
                pos += len;
                if code == 0xDA {
                    scans += 1;
                    match entropy_data_end(b, pos) {
                        Some(end) => pos = end,
                        None => {
                            let what = if scans == 1 {
                                "in the middle of its image data (the JPEG end marker is missing)"
                                    .to_owned()
                            } else {
                                format!(
                                    "in the middle of scan {scans} of its image data (the JPEG \
                                     end marker is missing)"
                                )
                            };
                            return Some(Damage::truncated(b.len(), &what));
                        }
                    }
                }
            }
        }
    }
}

/// Where a scan's entropy-coded data ends: the first marker other than a stuffed 0xFF00 or a
/// restart marker; `None` when the file ends first.
fn entropy_data_end(b: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        pos += b.get(pos..)?.iter().position(|&x| x == 0xFF)?;
        match b.get(pos + 1)? {
            0x00 | 0xD0..=0xD7 | 0xFF => pos += 1,
            _ => return Some(pos),
        }
    }
}

/// A PNG is chunks up to IEND, each inside the file with a matching CRC.
fn png(b: &[u8]) -> Option<Damage> {
    let mut pos = 8; // after the signature
    let mut damage = None;
    loop {
        let (Some(len), Some(kind)) = (u32_at(b, pos, true), b.get(pos + 4..pos + 8)) else {
            let what = if pos == b.len() {
                "before its end chunk (IEND)"
            } else {
                "in the middle of a chunk"
            };
            return Some(Damage::truncated(b.len(), what));
        };
        let data_end = pos.saturating_add(8).saturating_add(len);
        let Some(stored_crc) = u32_at(b, data_end, true) else {
            let what = match kind {
                b"IDAT" => "in the middle of its image data",
                _ => "in the middle of a chunk",
            };
            return Some(Damage::truncated(b.len(), what));
        };
        let crc = crc32fast::hash(&b[pos + 4..data_end]);
        if usize::try_from(crc).ok() != Some(stored_crc) && damage.is_none() {
            let name = String::from_utf8_lossy(kind);
            // Upper case first letter: critical (IHDR, PLTE, IDAT, IEND); else ancillary.
            let critical = kind[0].is_ascii_uppercase();
            damage = Some(Damage {
                level: if critical {
                    DamageLevel::Error
                } else {
                    DamageLevel::Warning
                },
                message: format!("its {name} chunk is corrupt (checksum mismatch)"),
            });
        }
        if kind == b"IEND" {
            return damage;
        }
        pos = data_end + 4;
    }
}

/// A WebP's RIFF header gives the file's size.
fn webp(b: &[u8]) -> Option<Damage> {
    let riff_size = u32_at(b, 4, false)?;
    (b.len() < riff_size.saturating_add(8))
        .then(|| Damage::truncated(b.len(), "before the end of its image data"))
}

/// A GIF is blocks up to its trailer (0x3B); the first frame is the one decoded.
fn gif(b: &[u8]) -> Option<Damage> {
    const FRAME: &str = "before the end of its first frame";
    let Some(flags) = b.get(10) else {
        return Some(Damage::truncated(b.len(), FRAME));
    };
    let mut pos = 13 + color_table_len(*flags);
    let mut frames = 0;
    loop {
        let missing = if frames == 0 {
            Damage::truncated(b.len(), FRAME)
        } else {
            Damage {
                level: DamageLevel::Warning,
                message: "the file ends before the GIF trailer".to_owned(),
            }
        };
        let Some(&block) = b.get(pos) else {
            return Some(missing);
        };
        pos = match block {
            0x3B => return None,
            0x21 => match skip_sub_blocks(b, pos + 2) {
                Some(end) => end,
                None => return Some(missing),
            },
            0x2C => {
                let Some(&flags) = b.get(pos + 9) else {
                    return Some(missing);
                };
                // Descriptor (10), local colour table, LZW code size (1), then data sub-blocks.
                match skip_sub_blocks(b, pos + 11 + color_table_len(flags)) {
                    Some(end) => {
                        frames += 1;
                        end
                    }
                    None => return Some(missing),
                }
            }
            _ => {
                return Some(Damage {
                    level: DamageLevel::Error,
                    message: format!("it has an unknown GIF block (0x{block:02X})"),
                })
            }
        };
    }
}

fn color_table_len(flags: u8) -> usize {
    if flags & 0x80 == 0 {
        0
    } else {
        3 << ((flags & 7) + 1)
    }
}

/// Skips GIF data sub-blocks starting at `pos`; the position after the terminator.
fn skip_sub_blocks(b: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        let len = usize::from(*b.get(pos)?);
        pos += 1;
        if len == 0 {
            return Some(pos);
        }
        pos += len;
    }
}

/// A BMP's header gives its file size.
fn bmp(b: &[u8]) -> Option<Damage> {
    let declared = u32_at(b, 2, false)?;
    (b.len() < declared).then(|| Damage::truncated(b.len(), "before the end of its pixel rows"))
}

/// The fraction of a leniently decoded frame's rows that the decoder filled in: the run of
/// identical rows at the edge the file's last rows are on (`orientation` is the EXIF one the
/// upright `frame` was turned by). A decoder fills what a truncated file lacks with one flat
/// colour; a real photo's last rows are never all one colour.
pub(crate) fn missing_rows(frame: &DynamicImage, orientation: u8) -> f64 {
    let rgba = frame.to_rgba8();
    let (w, h) = rgba.dimensions();
    let px = |x: u32, y: u32| rgba.get_pixel(x, y).0;
    // The stored bottom row is, once upright: 1, 2 bottom; 3, 4 top; 5, 8 right; 6, 7 left.
    let (lines, len, at): (u32, u32, &dyn Fn(u32, u32) -> [u8; 4]) = match orientation {
        3 | 4 => (h, w, &|i, j| px(j, i)),
        5 | 8 => (w, h, &|i, j| px(w - 1 - i, j)),
        6 | 7 => (w, h, &|i, j| px(i, j)),
        _ => (h, w, &|i, j| px(j, h - 1 - i)),
    };
    if lines < 2 || len == 0 {
        return 0.0;
    }
    let fill = at(0, 0);
    let flat = (0..lines)
        .take_while(|&i| (0..len).all(|j| at(i, j) == fill))
        .count();
    // One flat line can be a real edge; the filled region of a cut file is at least a block row.
    if flat < 8 {
        0.0
    } else {
        flat as f64 / f64::from(lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut typed = kind.to_vec();
        typed.extend_from_slice(data);
        out.extend_from_slice(&crc32fast::hash(&typed).to_be_bytes());
        out
    }

    fn tiny_png() -> Vec<u8> {
        let mut png = vec![137, 80, 78, 71, 13, 10, 26, 10];
        png.extend(png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
        png.extend(png_chunk(b"tEXt", b"Comment\0hello"));
        png.extend(png_chunk(
            b"IDAT",
            &[0x78, 0x9C, 0x63, 0x60, 0, 0, 0, 2, 0, 1],
        ));
        png.extend(png_chunk(b"IEND", &[]));
        png
    }

    #[test]
    fn intact_png_has_no_damage() {
        assert_eq!(check_integrity(&tiny_png(), InputFormat::Png), None);
    }

    #[test]
    fn every_cut_of_a_png_is_truncated() {
        let png = tiny_png();
        for len in 8..png.len() {
            let d = check_integrity(&png[..len], InputFormat::Png).expect("damaged");
            assert_eq!(d.level, DamageLevel::Truncated, "cut at {len}");
        }
    }

    #[test]
    fn png_checksums_tell_critical_from_ancillary() {
        let png = tiny_png();
        let text_at = png.windows(4).position(|w| w == b"tEXt").unwrap_or(0) + 6;
        let mut bad_text = png.clone();
        bad_text[text_at] ^= 1;
        let d = check_integrity(&bad_text, InputFormat::Png).expect("damaged");
        assert_eq!(d.level, DamageLevel::Warning);
        assert_eq!(d.message, "its tEXt chunk is corrupt (checksum mismatch)");
        let idat_at = png.windows(4).position(|w| w == b"IDAT").unwrap_or(0) + 5;
        let mut bad_idat = png;
        bad_idat[idat_at] ^= 1;
        let d = check_integrity(&bad_idat, InputFormat::Png).expect("damaged");
        assert_eq!(d.level, DamageLevel::Error);
    }

    fn tiny_jpeg() -> Vec<u8> {
        // SOI, an APP0 segment, SOS with entropy data holding a stuffed byte and a restart, EOI.
        let mut j = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, b'J', b'F'];
        j.extend_from_slice(&[
            0xFF, 0xDA, 0, 4, 1, 2, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56,
        ]);
        j.extend_from_slice(&[0xFF, 0xD9]);
        j
    }

    #[test]
    fn intact_jpeg_has_no_damage_even_with_trailing_bytes() {
        let mut j = tiny_jpeg();
        assert_eq!(check_integrity(&j, InputFormat::Jpeg), None);
        j.extend_from_slice(b"trailing data some phones append");
        assert_eq!(check_integrity(&j, InputFormat::Jpeg), None);
    }

    #[test]
    fn every_cut_of_a_jpeg_is_truncated() {
        let j = tiny_jpeg();
        for len in 2..j.len() {
            let d = check_integrity(&j[..len], InputFormat::Jpeg).expect("damaged");
            assert_eq!(d.level, DamageLevel::Truncated, "cut at {len}");
        }
        let d = check_integrity(&j[..16], InputFormat::Jpeg).expect("damaged");
        assert_eq!(
            d.message,
            "the file ends after 16 bytes, in the middle of its image data (the JPEG end marker is missing)"
        );
    }

    #[test]
    fn missing_rows_are_told_in_percent() {
        let d =
            Damage::truncated(200_512, "in the middle of its image data").with_missing_rows(0.273);
        assert_eq!(
            d.message,
            "the file ends after 200 KB, in the middle of its image data; about 27 % of the rows are missing"
        );
    }

    #[test]
    fn gif_and_webp_and_bmp_cuts() {
        // GIF89a 1×1, no colour table, one frame, trailer.
        let gif = [
            b'G', b'I', b'F', b'8', b'9', b'a', 1, 0, 1, 0, 0, 0, 0, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0,
            0, 2, 2, 0x44, 0x01, 0, 0x3B,
        ];
        assert_eq!(check_integrity(&gif, InputFormat::Gif), None);
        let no_trailer = check_integrity(&gif[..gif.len() - 1], InputFormat::Gif);
        assert_eq!(no_trailer.map(|d| d.level), Some(DamageLevel::Warning));
        let cut = check_integrity(&gif[..20], InputFormat::Gif);
        assert_eq!(cut.map(|d| d.level), Some(DamageLevel::Truncated));

        let mut webp = b"RIFF\x0c\0\0\0WEBPVP8L".to_vec();
        webp.extend_from_slice(&[0; 4]);
        assert_eq!(check_integrity(&webp, InputFormat::Webp), None);
        let cut = check_integrity(&webp[..18], InputFormat::Webp);
        assert_eq!(cut.map(|d| d.level), Some(DamageLevel::Truncated));

        let bmp = [b'B', b'M', 60, 0, 0, 0];
        let cut = check_integrity(&bmp, InputFormat::Bmp);
        assert_eq!(cut.map(|d| d.level), Some(DamageLevel::Truncated));
    }
}
