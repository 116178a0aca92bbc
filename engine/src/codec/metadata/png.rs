//! PNG chunks: `eXIf` (EXIF), `iTXt` with keyword `XML:com.adobe.xmp` (XMP), `iCCP` (ICC,
//! zlib-compressed). IPTC has no standard PNG chunk: its creator and copyright travel in XMP.

use super::Metadata;

const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const XMP_KEYWORD: &[u8] = b"XML:com.adobe.xmp";
/// Largest decompressed ICC profile accepted.
const MAX_ICC: usize = 16 << 20;

/// The chunks: `(type, data, start, end)`.
fn chunks(bytes: &[u8]) -> Vec<([u8; 4], &[u8], usize, usize)> {
    let mut out = Vec::new();
    if !bytes.starts_with(SIGNATURE) {
        return out;
    }
    let mut at = SIGNATURE.len();
    while at + 12 <= bytes.len() {
        let len = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let Some(end) = (len as usize)
            .checked_add(at + 12)
            .filter(|e| *e <= bytes.len())
        else {
            break;
        };
        let kind = [bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]];
        out.push((kind, &bytes[at + 8..end - 4], at, end));
        at = end;
        if &kind == b"IEND" {
            break;
        }
    }
    out
}

pub(super) fn read(bytes: &[u8]) -> Metadata {
    let mut m = Metadata::default();
    for (kind, data, _, _) in chunks(bytes) {
        match &kind {
            b"eXIf" if m.exif.is_none() => m.exif = Some(data.to_vec()),
            b"iCCP" if m.icc.is_none() => {
                let Some(nul) = data.iter().position(|&b| b == 0) else {
                    continue;
                };
                m.icc = data.get(nul + 2..).and_then(|z| {
                    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(z, MAX_ICC).ok()
                });
            }
            b"iTXt" if m.xmp.is_none() && data.starts_with(XMP_KEYWORD) => {
                m.xmp = itxt_text(data);
            }
            b"IDAT" => break,
            _ => {}
        }
    }
    m
}

/// The text of an iTXt chunk: keyword\0, compression flag, method, language\0, translated\0, text.
fn itxt_text(data: &[u8]) -> Option<Vec<u8>> {
    let mut at = data.iter().position(|&b| b == 0)? + 1;
    let compressed = *data.get(at)? == 1;
    at += 2;
    for _ in 0..2 {
        at += data.get(at..)?.iter().position(|&b| b == 0)? + 1;
    }
    let text = data.get(at..)?;
    if compressed {
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(text, MAX_ICC).ok()
    } else {
        Some(text.to_vec())
    }
}

/// `png` with `meta`'s chunks placed after IHDR, replacing every metadata chunk (`eXIf`, `iCCP`,
/// text chunks, `tIME`; `sRGB` too when an ICC profile is written: the two must not both be
/// present).
pub(super) fn write(png: &[u8], meta: &Metadata) -> Option<Vec<u8>> {
    let list = chunks(png);
    let (ihdr_kind, _, _, ihdr_end) = list.first()?;
    if ihdr_kind != b"IHDR" {
        return None;
    }
    let mut out = Vec::with_capacity(png.len() + meta.len() + 64);
    out.extend_from_slice(&png[..*ihdr_end]);
    if let Some(icc) = &meta.icc {
        let mut data = b"ICC profile\0\0".to_vec();
        data.extend(miniz_oxide::deflate::compress_to_vec_zlib(icc, 6));
        chunk(&mut out, b"iCCP", &data);
    }
    if let Some(exif) = &meta.exif {
        chunk(&mut out, b"eXIf", exif);
    }
    if let Some(xmp) = &meta.xmp {
        let mut data = XMP_KEYWORD.to_vec();
        data.extend([0, 0, 0, 0, 0]); // \0, uncompressed, method 0, no language, no translation
        data.extend_from_slice(xmp);
        chunk(&mut out, b"iTXt", &data);
    }
    for (kind, _, start, end) in &list[1..] {
        let replaced = match kind {
            b"eXIf" | b"iCCP" | b"iTXt" | b"tEXt" | b"zTXt" | b"tIME" => true,
            b"sRGB" => meta.icc.is_some(),
            _ => false,
        };
        if !replaced {
            out.extend_from_slice(&png[*start..*end]);
        }
    }
    Some(out)
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[start..]);
    out.extend(crc.to_be_bytes());
}
