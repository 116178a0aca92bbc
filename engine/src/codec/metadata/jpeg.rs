//! JPEG APP segments: APP1 `Exif`, APP1 XMP, APP2 `ICC_PROFILE` (in chunks), APP13 Photoshop
//! IPTC (resource 0x0404).

use super::{iptc, Metadata};

const EXIF_ID: &[u8] = b"Exif\0\0";
const XMP_ID: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const ICC_ID: &[u8] = b"ICC_PROFILE\0";
const PHOTOSHOP_ID: &[u8] = b"Photoshop 3.0\0";
/// A segment's length field counts itself: 65535 - 2 bytes of payload at most.
const MAX_PAYLOAD: usize = 65_533;

/// The segments before the scan: `(marker, payload, start, end)` of each.
fn segments(bytes: &[u8]) -> Vec<(u8, &[u8], usize, usize)> {
    let mut out = Vec::new();
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return out;
    }
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let end = at + 2 + len;
        if len < 2 || end > bytes.len() {
            break;
        }
        out.push((marker, &bytes[at + 4..end], at, end));
        at = end;
    }
    out
}

/// The number of colour components in a JPEG's frame header (1 grey, 3 YCbCr or RGB, 4 CMYK or
/// YCCK), `None` when no frame header comes before the scan.
pub(crate) fn components(bytes: &[u8]) -> Option<u8> {
    segments(bytes)
        .into_iter()
        .find_map(|(marker, payload, _, _)| {
            // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC).
            let sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
            sof.then(|| payload.get(5).copied()).flatten()
        })
}

pub(super) fn read(bytes: &[u8]) -> Metadata {
    let mut m = Metadata::default();
    let mut icc_chunks: Vec<(u8, &[u8])> = Vec::new();
    for (marker, payload, _, _) in segments(bytes) {
        match marker {
            0xE1 if payload.starts_with(EXIF_ID) && m.exif.is_none() => {
                m.exif = Some(payload[EXIF_ID.len()..].to_vec());
            }
            0xE1 if payload.starts_with(XMP_ID) && m.xmp.is_none() => {
                m.xmp = Some(payload[XMP_ID.len()..].to_vec());
            }
            0xE2 if payload.starts_with(ICC_ID) && payload.len() > ICC_ID.len() + 2 => {
                icc_chunks.push((payload[ICC_ID.len()], &payload[ICC_ID.len() + 2..]));
            }
            0xED if payload.starts_with(PHOTOSHOP_ID) && m.iptc.is_none() => {
                m.iptc = iptc::from_photoshop(&payload[PHOTOSHOP_ID.len()..]);
            }
            _ => {}
        }
    }
    if !icc_chunks.is_empty() {
        icc_chunks.sort_by_key(|(seq, _)| *seq);
        m.icc = Some(
            icc_chunks
                .iter()
                .flat_map(|(_, c)| c.iter().copied())
                .collect(),
        );
    }
    m
}

/// `jpeg` with every metadata segment (APP1–APP13, APP15, COM) replaced by `meta`'s, placed after
/// SOI and any JFIF APP0; APP0 and APP14 (Adobe, which says how colours are stored) stay. A block
/// too large for one segment (EXIF, XMP over 64 KB) is left out.
pub(super) fn write(jpeg: &[u8], meta: &Metadata) -> Option<Vec<u8>> {
    if !jpeg.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let segs = segments(jpeg);
    let header_end = segs.last().map_or(2, |s| s.3);
    let mut out = Vec::with_capacity(jpeg.len() + meta.len() + 64);
    out.extend_from_slice(&jpeg[..2]);
    let mut ours_written = false;
    for (marker, _, start, end) in &segs {
        if matches!(marker, 0xE1..=0xED | 0xEF | 0xFE) {
            continue;
        }
        if !ours_written && *marker != 0xE0 {
            put_ours(&mut out, meta);
            ours_written = true;
        }
        out.extend_from_slice(&jpeg[*start..*end]);
    }
    if !ours_written {
        put_ours(&mut out, meta);
    }
    out.extend_from_slice(jpeg.get(header_end..)?);
    Some(out)
}

fn put_ours(out: &mut Vec<u8>, meta: &Metadata) {
    if let Some(exif) = &meta.exif {
        segment(out, 0xE1, &[EXIF_ID, exif]);
    }
    if let Some(xmp) = &meta.xmp {
        segment(out, 0xE1, &[XMP_ID, xmp]);
    }
    if let Some(icc) = &meta.icc {
        let per = MAX_PAYLOAD - ICC_ID.len() - 2;
        let chunks: Vec<&[u8]> = icc.chunks(per).collect();
        if chunks.len() <= 255 {
            for (i, c) in chunks.iter().enumerate() {
                segment(out, 0xE2, &[ICC_ID, &[i as u8 + 1, chunks.len() as u8], c]);
            }
        }
    }
    if let Some(iptc) = &meta.iptc {
        let resource = iptc::to_photoshop(iptc);
        segment(out, 0xED, &[PHOTOSHOP_ID, &resource]);
    }
}

/// Writes one segment from `parts`, unless it is too large.
fn segment(out: &mut Vec<u8>, marker: u8, parts: &[&[u8]]) {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    if len > MAX_PAYLOAD {
        return;
    }
    out.extend([0xFF, marker]);
    out.extend(((len + 2) as u16).to_be_bytes());
    for p in parts {
        out.extend_from_slice(p);
    }
}
