//! IPTC-IIM records: found in JPEG's Photoshop resource 0x0404, filtered to the creator and
//! copyright datasets for the `copyright` policy.

/// Photoshop's resource id for IPTC-IIM.
const IPTC_RESOURCE: u16 = 0x0404;
/// Datasets kept by `copyright`: 1:90 (character set), 2:0 (record version), 2:80 (By-line),
/// 2:116 (Copyright Notice).
const COPYRIGHT_DATASETS: [(u8, u8); 4] = [(1, 90), (2, 0), (2, 80), (2, 116)];

/// The IPTC data of the 0x0404 resource in Photoshop `8BIM` resources.
pub(super) fn from_photoshop(mut b: &[u8]) -> Option<Vec<u8>> {
    while b.len() >= 12 && b.starts_with(b"8BIM") {
        let id = u16::from_be_bytes([b[4], b[5]]);
        let name_len = usize::from(b[6]);
        // The Pascal name (length byte + text) is padded to an even size.
        let name_total = (1 + name_len + 1) & !1;
        let size_at = 6 + name_total;
        let size = u32::from_be_bytes(b.get(size_at..size_at + 4)?.try_into().ok()?) as usize;
        let data_at = size_at + 4;
        let data = b.get(data_at..data_at.checked_add(size)?)?;
        if id == IPTC_RESOURCE {
            return Some(data.to_vec());
        }
        b = b.get(data_at + ((size + 1) & !1)..)?;
    }
    None
}

/// One `8BIM` 0x0404 resource holding `iptc`.
pub(super) fn to_photoshop(iptc: &[u8]) -> Vec<u8> {
    let mut out = b"8BIM".to_vec();
    out.extend(IPTC_RESOURCE.to_be_bytes());
    out.extend([0, 0]); // empty name, padded
    out.extend((iptc.len() as u32).to_be_bytes());
    out.extend_from_slice(iptc);
    if iptc.len() % 2 == 1 {
        out.push(0);
    }
    out
}

/// Only the creator and copyright datasets, or `None` when neither is there.
pub(super) fn copyright_only(iptc: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut has_any = false;
    let mut at = 0;
    while at + 5 <= iptc.len() && iptc[at] == 0x1C {
        let (record, dataset) = (iptc[at + 1], iptc[at + 2]);
        let size = usize::from(u16::from_be_bytes([iptc[at + 3], iptc[at + 4]]));
        if size & 0x8000 != 0 {
            break; // extended datasets are not creator or copyright fields
        }
        let end = (at + 5 + size).min(iptc.len());
        if COPYRIGHT_DATASETS.contains(&(record, dataset)) {
            has_any |= record == 2 && dataset != 0;
            out.extend_from_slice(&iptc[at..end]);
        }
        at = end;
    }
    has_any.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset(record: u8, id: u8, v: &[u8]) -> Vec<u8> {
        let mut d = vec![0x1C, record, id];
        d.extend((v.len() as u16).to_be_bytes());
        d.extend_from_slice(v);
        d
    }

    #[test]
    fn copyright_filter_and_photoshop_round_trip() {
        let mut iptc = dataset(2, 0, &[0, 4]);
        iptc.extend(dataset(2, 80, b"Jo Rust"));
        iptc.extend(dataset(2, 90, b"Paris"));
        iptc.extend(dataset(2, 116, b"(c) Jo"));
        let c = copyright_only(&iptc).unwrap();
        assert!(c.windows(7).any(|w| w == b"Jo Rust"));
        assert!(!c.windows(5).any(|w| w == b"Paris"));
        let ps = to_photoshop(&iptc);
        assert_eq!(from_photoshop(&ps), Some(iptc));
        assert!(copyright_only(&dataset(2, 90, b"Paris")).is_none());
        for cut in 0..ps.len() {
            let _ = from_photoshop(&ps[..cut]);
        }
    }
}
