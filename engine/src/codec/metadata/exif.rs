//! EXIF as a TIFF structure: resetting Orientation, removing the GPS IFD and the thumbnail, and
//! building a copyright-only block. Edits are made in place on a copy, so offsets that other
//! parts of the block rely on (maker notes) stay valid; what is removed is also zeroed, so no
//! coordinate or old thumbnail survives as stray bytes.
//!
//! Every read is bounds-checked; a block that cannot be walked returns `None` (dropped), since
//! the engine cannot then promise what it contains.

/// Tag numbers used here.
const ORIENTATION: u16 = 0x0112;
const ARTIST: u16 = 0x013B;
const COPYRIGHT: u16 = 0x8298;
const GPS_IFD: u16 = 0x8825;
const THUMB_OFFSET: u16 = 0x0201;
const THUMB_LENGTH: u16 = 0x0202;
/// TIFF type ASCII and SHORT.
const ASCII: u16 = 2;
const SHORT: u16 = 3;
const ENTRY: usize = 12;

/// A read-only or writable view of a TIFF block with its byte order.
#[derive(Clone, Copy)]
struct Order {
    little: bool,
}

impl Order {
    fn of(tiff: &[u8]) -> Option<Self> {
        match tiff.get(..4)? {
            [b'I', b'I', 42, 0] => Some(Self { little: true }),
            [b'M', b'M', 0, 42] => Some(Self { little: false }),
            _ => None,
        }
    }

    fn u16(self, b: &[u8], at: usize) -> Option<u16> {
        let s: [u8; 2] = b.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if self.little {
            u16::from_le_bytes(s)
        } else {
            u16::from_be_bytes(s)
        })
    }

    fn u32(self, b: &[u8], at: usize) -> Option<u32> {
        let s: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if self.little {
            u32::from_le_bytes(s)
        } else {
            u32::from_be_bytes(s)
        })
    }

    fn put_u16(self, b: &mut [u8], at: usize, v: u16) -> Option<()> {
        let bytes = if self.little {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        };
        b.get_mut(at..at + 2)?.copy_from_slice(&bytes);
        Some(())
    }

    fn put_u32(self, b: &mut [u8], at: usize, v: u32) -> Option<()> {
        let bytes = if self.little {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        };
        b.get_mut(at..at + 4)?.copy_from_slice(&bytes);
        Some(())
    }
}

/// One IFD entry as stored.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Where the 12-byte entry starts.
    at: usize,
    tag: u16,
    kind: u16,
    count: u32,
}

impl Entry {
    /// Byte size of the value, or `None` for unknown types.
    fn value_len(self) -> Option<usize> {
        let unit = match self.kind {
            1 | 2 | 6 | 7 => 1,
            3 | 8 => 2,
            4 | 9 | 11 | 13 => 4,
            5 | 10 | 12 => 8,
            _ => return None,
        };
        usize::try_from(self.count).ok()?.checked_mul(unit)
    }

    /// Where the value lies: inline in the entry (≤ 4 bytes) or at the stored offset.
    fn value_range(self, o: Order, b: &[u8]) -> Option<std::ops::Range<usize>> {
        let len = self.value_len()?;
        let start = if len <= 4 {
            self.at + 8
        } else {
            o.u32(b, self.at + 8)? as usize
        };
        let end = start.checked_add(len)?;
        (end <= b.len()).then_some(start..end)
    }
}

/// An IFD: its entries and where it starts.
struct Ifd {
    at: usize,
    entries: Vec<Entry>,
}

impl Ifd {
    fn read(o: Order, b: &[u8], at: usize) -> Option<Self> {
        let n = usize::from(o.u16(b, at)?);
        let end = at + 2 + n * ENTRY + 4;
        if end > b.len() {
            return None;
        }
        let entries = (0..n)
            .map(|i| {
                let e = at + 2 + i * ENTRY;
                Some(Entry {
                    at: e,
                    tag: o.u16(b, e)?,
                    kind: o.u16(b, e + 2)?,
                    count: o.u32(b, e + 4)?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Self { at, entries })
    }

    fn next_at(&self) -> usize {
        self.at + 2 + self.entries.len() * ENTRY
    }

    fn find(&self, tag: u16) -> Option<Entry> {
        self.entries.iter().copied().find(|e| e.tag == tag)
    }

    /// Zeroes the IFD, its out-of-line values and (for IFD1) the thumbnail it points at.
    fn wipe(&self, o: Order, b: &mut [u8]) -> Option<()> {
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        for e in &self.entries {
            if e.value_len().is_some_and(|l| l > 4) {
                ranges.push(e.value_range(o, b)?);
            }
        }
        if let (Some(off), Some(len)) = (self.find(THUMB_OFFSET), self.find(THUMB_LENGTH)) {
            let start = o.u32(b, off.at + 8)? as usize;
            let len = o.u32(b, len.at + 8)? as usize;
            ranges.push(start..start.saturating_add(len).min(b.len()));
        }
        ranges.push(self.at..self.next_at() + 4);
        for r in ranges {
            b.get_mut(r)?.fill(0);
        }
        Some(())
    }
}

fn ifd0(o: Order, b: &[u8]) -> Option<Ifd> {
    Ifd::read(o, b, o.u32(b, 4)? as usize)
}

/// The block with Orientation set to 1 and the thumbnail (IFD1, which shows the unedited
/// picture) removed; the GPS IFD removed too unless `keep_gps`. `None` if the block is malformed.
///
/// ```ignore
/// let kept = keep(&tiff, false)?; // no GPS, Orientation 1, no thumbnail
/// ```
pub(super) fn keep(tiff: &[u8], keep_gps: bool) -> Option<Vec<u8>> {
    let o = Order::of(tiff)?;
    let mut b = tiff.to_vec();
    let ifd = ifd0(o, &b)?;
    if let Some(e) = ifd.find(ORIENTATION) {
        if e.kind == SHORT && e.count == 1 {
            o.put_u16(&mut b, e.at + 8, 1)?;
        }
    }
    // The thumbnail.
    let next = o.u32(&b, ifd.next_at())? as usize;
    if next != 0 {
        if let Some(ifd1) = Ifd::read(o, &b, next) {
            ifd1.wipe(o, &mut b)?;
        }
        o.put_u32(&mut b, ifd.next_at(), 0)?;
    }
    if !keep_gps {
        if let Some(e) = ifd.find(GPS_IFD) {
            let gps_at = o.u32(&b, e.at + 8)? as usize;
            // A GPS IFD that cannot be read cannot be proven gone: drop the whole block.
            Ifd::read(o, &b, gps_at)?.wipe(o, &mut b)?;
            remove_entry(&mut b, &ifd, e)?;
        }
    }
    Some(b)
}

/// Removes `e` from `ifd` by shifting the later entries and the next-IFD pointer up one place.
fn remove_entry(b: &mut [u8], ifd: &Ifd, e: Entry) -> Option<()> {
    let o = Order::of(b)?;
    let end = ifd.next_at() + 4;
    b.copy_within(e.at + ENTRY..end, e.at);
    b.get_mut(end - ENTRY..end)?.fill(0);
    o.put_u16(b, ifd.at, (ifd.entries.len() - 1) as u16)
}

/// A new block holding only Artist and Copyright (as ASCII), or `None` when neither is present.
pub(super) fn copyright_only(tiff: &[u8]) -> Option<Vec<u8>> {
    let o = Order::of(tiff)?;
    let ifd = ifd0(o, tiff)?;
    let values: Vec<(u16, &[u8])> = [ARTIST, COPYRIGHT]
        .into_iter()
        .filter_map(|tag| {
            let e = ifd.find(tag).filter(|e| e.kind == ASCII)?;
            Some((tag, &tiff[e.value_range(o, tiff)?]))
        })
        .collect();
    if values.is_empty() {
        return None;
    }
    let mut b = tiff[..4].to_vec();
    b.extend([0; 4]);
    o.put_u32(&mut b, 4, 8)?;
    let data_at = 8 + 2 + values.len() * ENTRY + 4;
    b.resize(data_at, 0);
    o.put_u16(&mut b, 8, values.len() as u16)?;
    for (i, (tag, value)) in values.iter().enumerate() {
        let at = 10 + i * ENTRY;
        o.put_u16(&mut b, at, *tag)?;
        o.put_u16(&mut b, at + 2, ASCII)?;
        o.put_u32(&mut b, at + 4, value.len() as u32)?;
        if value.len() <= 4 {
            b[at + 8..at + 8 + value.len()].copy_from_slice(value);
        } else {
            let off = b.len();
            o.put_u32(&mut b, at + 8, off as u32)?;
            b.extend_from_slice(value);
            if b.len() % 2 == 1 {
                b.push(0);
            }
        }
    }
    Some(b)
}

/// The Orientation tag of IFD0, when present.
pub(super) fn orientation(tiff: &[u8]) -> Option<u16> {
    let o = Order::of(tiff)?;
    let e = ifd0(o, tiff)?.find(ORIENTATION)?;
    o.u16(tiff, e.at + 8)
}

/// Whether IFD0 points at a GPS IFD.
pub(super) fn has_gps(tiff: &[u8]) -> bool {
    Order::of(tiff)
        .and_then(|o| ifd0(o, tiff))
        .is_some_and(|ifd| ifd.find(GPS_IFD).is_some())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A little-endian TIFF with Orientation 6, Artist, Copyright, a GPS IFD holding a latitude
    /// reference and a rational latitude, and a thumbnail IFD1.
    pub(crate) fn sample() -> Vec<u8> {
        let mut b = b"II*\0".to_vec();
        b.extend(8u32.to_le_bytes());
        let entry = |b: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
            b.extend(tag.to_le_bytes());
            b.extend(kind.to_le_bytes());
            b.extend(count.to_le_bytes());
            b.extend(value.to_le_bytes());
        };
        // IFD0 at 8: 4 entries → ends at 8+2+48+4 = 62.
        b.extend(4u16.to_le_bytes());
        entry(&mut b, ORIENTATION, SHORT, 1, 6);
        entry(&mut b, ARTIST, ASCII, 8, 100); // "Jo Rust\0"
        entry(&mut b, COPYRIGHT, ASCII, 3, u32::from_le_bytes(*b"CC\0\0"));
        entry(&mut b, GPS_IFD, 4, 1, 120);
        b.extend(62u32.to_le_bytes()); // IFD1
                                       // IFD1 at 62: 2 entries → ends at 62+2+24+4 = 92; thumbnail at 92, 8 bytes.
        b.extend(2u16.to_le_bytes());
        entry(&mut b, THUMB_OFFSET, 4, 1, 92);
        entry(&mut b, THUMB_LENGTH, 4, 1, 8);
        b.extend(0u32.to_le_bytes());
        b.extend([0xAB; 8]);
        b.resize(100, 0);
        b.extend(b"Jo Rust\0");
        b.resize(120, 0);
        // GPS IFD at 120: 2 entries → ends at 150; latitude rationals at 150 (24 bytes).
        b.extend(2u16.to_le_bytes());
        entry(&mut b, 1, ASCII, 2, u32::from_le_bytes(*b"N\0\0\0"));
        entry(&mut b, 2, 5, 3, 150);
        b.extend(0u32.to_le_bytes());
        for v in [48u32, 1, 51, 1, 30, 1] {
            b.extend(v.to_le_bytes());
        }
        b
    }

    #[test]
    fn keep_resets_orientation_and_removes_gps_and_thumbnail() {
        let t = sample();
        assert_eq!(orientation(&t), Some(6));
        assert!(has_gps(&t));
        let k = keep(&t, false).unwrap();
        assert_eq!(k.len(), t.len());
        assert_eq!(orientation(&k), Some(1));
        assert!(!has_gps(&k));
        assert!(k[120..].iter().all(|&x| x == 0), "GPS bytes zeroed");
        assert!(!k.windows(8).any(|w| w == [0xAB; 8]), "thumbnail zeroed");
        assert!(k.windows(7).any(|w| w == b"Jo Rust"));
        let ifd = ifd0(Order::of(&k).unwrap(), &k).unwrap();
        assert_eq!(ifd.entries.len(), 3);
        assert_eq!(Order::of(&k).unwrap().u32(&k, ifd.next_at()), Some(0));
    }

    #[test]
    fn keep_gps_keeps_it() {
        let k = keep(&sample(), true).unwrap();
        assert!(has_gps(&k));
        assert_eq!(orientation(&k), Some(1));
    }

    #[test]
    fn copyright_only_has_two_tags() {
        let c = copyright_only(&sample()).unwrap();
        let o = Order::of(&c).unwrap();
        let ifd = ifd0(o, &c).unwrap();
        let tags: Vec<u16> = ifd.entries.iter().map(|e| e.tag).collect();
        assert_eq!(tags, [ARTIST, COPYRIGHT]);
        let artist = ifd.find(ARTIST).unwrap().value_range(o, &c).unwrap();
        assert_eq!(&c[artist], b"Jo Rust\0");
        assert!(!has_gps(&c));
    }

    #[test]
    fn malformed_blocks_are_dropped_without_panic() {
        let t = sample();
        for cut in 0..t.len() {
            let _ = keep(&t[..cut], false);
            let _ = copyright_only(&t[..cut]);
        }
        assert!(keep(b"nope", false).is_none());
        // A GPS pointer past the end: the block cannot be cleaned, so it is dropped.
        let mut bad = t.clone();
        bad[8 + 2 + 3 * ENTRY + 8..8 + 2 + 3 * ENTRY + 12].copy_from_slice(&9999u32.to_le_bytes());
        assert!(keep(&bad, false).is_none());
    }
}
