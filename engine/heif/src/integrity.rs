//! Whether a HEIF file holds its whole image: every top-level box must fit in the file (a cut
//! download ends inside `mdat`). heic-rs reads what it needs and would decode the pictures a cut
//! file still holds; this says the file is damaged instead.

/// What is wrong with a file, as the engine's damage levels know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// The file ends early (else: a corrupt box size).
    pub truncated: bool,
    /// What, as a sentence fragment: "the file ends after 3657 bytes, in the middle of …".
    pub message: String,
}

/// `None` for a file whose top-level boxes all fit.
pub fn check(bytes: &[u8]) -> Option<Damage> {
    let cut = |what: &str| {
        Some(Damage {
            truncated: true,
            message: format!("the file ends after {}, {what}", size_text(bytes.len())),
        })
    };
    let mut pos = 0usize;
    while pos < bytes.len() {
        let Some(head) = bytes.get(pos..pos + 8) else {
            return cut("in the middle of a box header");
        };
        let kind = String::from_utf8_lossy(&head[4..8]).into_owned();
        let size = match u32::from_be_bytes([head[0], head[1], head[2], head[3]]) {
            0 => (bytes.len() - pos) as u64,
            1 => match bytes.get(pos + 8..pos + 16) {
                Some(b) => u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
                None => return cut("in the middle of a box header"),
            },
            s => u64::from(s),
        };
        if size < 8 {
            return Some(Damage {
                truncated: false,
                message: format!(
                    "the HEIC box `{kind}` at byte {pos} declares a size of {size} bytes"
                ),
            });
        }
        let end = (pos as u64).saturating_add(size);
        if end > bytes.len() as u64 {
            return if kind == "mdat" {
                cut("in the middle of its image data (the HEIC `mdat` box)")
            } else {
                cut(&format!("in the middle of its `{kind}` box"))
            };
        }
        pos = end as usize;
    }
    None
}

/// "200 KB", "3.4 MB", "812 bytes" (as the engine says sizes).
fn size_text(len: usize) -> String {
    match len {
        0..=9_999 => format!("{len} bytes"),
        10_000..=999_999 => format!("{} KB", len / 1000),
        _ => format!("{:.1} MB", len as f64 / 1e6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_past_the_end_is_truncation() {
        let mut b = vec![0, 0, 0, 16];
        b.extend_from_slice(b"ftypheic\0\0\0\0");
        b.extend_from_slice(&100u32.to_be_bytes());
        b.extend_from_slice(b"mdat");
        b.extend_from_slice(&[0; 50]);
        let d = check(&b).expect("damaged");
        assert!(d.truncated);
        assert_eq!(
            d.message,
            "the file ends after 74 bytes, in the middle of its image data (the HEIC `mdat` box)"
        );
        b.truncate(16);
        assert_eq!(check(&b), None);
        b.extend_from_slice(&[0, 0, 0, 4]);
        b.extend_from_slice(b"free");
        assert!(check(&b).is_some_and(|d| !d.truncated));
    }
}
