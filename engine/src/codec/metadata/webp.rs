//! WebP RIFF chunks: `EXIF`, `XMP `, `ICCP`. Writing any of them needs the extended layout: a
//! simple file (one `VP8 ` or `VP8L` chunk) gets a `VP8X` header with the canvas size read from
//! the bitstream. IPTC has no WebP chunk: its creator and copyright travel in XMP.

use super::Metadata;

const ICC_FLAG: u8 = 0x20;
const ALPHA_FLAG: u8 = 0x10;
const EXIF_FLAG: u8 = 0x08;
const XMP_FLAG: u8 = 0x04;

/// The chunks after `RIFF size WEBP`: `(fourcc, data, start, end)` with `end` after padding.
fn chunks(bytes: &[u8]) -> Vec<([u8; 4], &[u8], usize, usize)> {
    let mut out = Vec::new();
    if bytes.len() < 12 || &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return out;
    }
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let kind = [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]];
        let len = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]])
            as usize;
        let Some(data_end) = (at + 8).checked_add(len).filter(|e| *e <= bytes.len()) else {
            break;
        };
        let end = (data_end + (len & 1)).min(bytes.len());
        out.push((kind, &bytes[at + 8..data_end], at, end));
        at = end;
    }
    out
}

pub(super) fn read(bytes: &[u8]) -> Metadata {
    let mut m = Metadata::default();
    for (kind, data, _, _) in chunks(bytes) {
        match &kind {
            b"EXIF" if m.exif.is_none() => {
                // Some writers keep JPEG's "Exif\0\0" prefix.
                m.exif = Some(data.strip_prefix(b"Exif\0\0").unwrap_or(data).to_vec());
            }
            b"XMP " if m.xmp.is_none() => m.xmp = Some(data.to_vec()),
            b"ICCP" if m.icc.is_none() => m.icc = Some(data.to_vec()),
            _ => {}
        }
    }
    m
}

/// Canvas size and alpha of a bitstream chunk.
fn canvas(kind: &[u8; 4], data: &[u8]) -> Option<(u32, u32, bool)> {
    match kind {
        b"VP8 " => {
            let b = data.get(6..10)?;
            let w = u32::from(u16::from_le_bytes([b[0], b[1]]) & 0x3FFF);
            let h = u32::from(u16::from_le_bytes([b[2], b[3]]) & 0x3FFF);
            Some((w, h, false))
        }
        b"VP8L" => {
            let b = data.get(1..5)?;
            let bits = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            Some((
                (bits & 0x3FFF) + 1,
                ((bits >> 14) & 0x3FFF) + 1,
                bits >> 28 & 1 == 1,
            ))
        }
        _ => None,
    }
}

/// `webp` in the extended layout with `meta`'s chunks (ICCP before the image, EXIF and XMP
/// after), replacing any it had. A simple file stays simple when there is nothing to add.
pub(super) fn write(webp: &[u8], meta: &Metadata) -> Option<Vec<u8>> {
    let list = chunks(webp);
    let (first_kind, first_data, _, _) = list.first()?;
    if meta.is_empty() && first_kind != b"VP8X" {
        return Some(webp.to_vec());
    }
    let mut vp8x = match first_kind {
        b"VP8X" => first_data.get(..10)?.to_vec(),
        other => {
            let (w, h, alpha) = canvas(other, first_data)?;
            let mut v = vec![if alpha { ALPHA_FLAG } else { 0 }, 0, 0, 0];
            v.extend(&(w - 1).to_le_bytes()[..3]);
            v.extend(&(h - 1).to_le_bytes()[..3]);
            v
        }
    };
    let set = |flags: &mut u8, flag: u8, on: bool| {
        if on {
            *flags |= flag;
        } else {
            *flags &= !flag;
        }
    };
    set(&mut vp8x[0], ICC_FLAG, meta.icc.is_some());
    set(&mut vp8x[0], EXIF_FLAG, meta.exif.is_some());
    set(&mut vp8x[0], XMP_FLAG, meta.xmp.is_some());

    let mut body = Vec::with_capacity(webp.len() + meta.len() + 64);
    chunk(&mut body, b"VP8X", &vp8x);
    if let Some(icc) = &meta.icc {
        chunk(&mut body, b"ICCP", icc);
    }
    for (kind, _, start, end) in &list {
        if !matches!(kind, b"VP8X" | b"ICCP" | b"EXIF" | b"XMP ") {
            body.extend_from_slice(&webp[*start..*end]);
        }
    }
    if let Some(exif) = &meta.exif {
        chunk(&mut body, b"EXIF", exif);
    }
    if let Some(xmp) = &meta.xmp {
        chunk(&mut body, b"XMP ", xmp);
    }
    let mut out = b"RIFF".to_vec();
    out.extend(u32::try_from(body.len() + 4).ok()?.to_le_bytes());
    out.extend(b"WEBP");
    out.extend(body);
    Some(out)
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(kind);
    out.extend((data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}
