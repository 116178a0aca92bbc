//! Fitting an encode under a byte budget (`maxBytes`): bisection on quality, then smaller scales.
//!
//! The search is a pure function over an `encode(quality, scale)` closure, so it is tested without
//! images and works with any encoder. For a lossy format it bisects quality between `min_quality`
//! and the requested quality at scale 1 (at most [`MAX_QUALITY_PROBES`] encodes); when even
//! `min_quality` is too large it scales down by [`SCALE_STEP`] and searches again, down to
//! [`MIN_SCALE`]. A lossless format is tried at its one setting per scale.
//!
//! ```
//! use retouch_engine::codec::size_target::{fit, Target};
//! // A fake encoder: bytes proportional to quality × scale².
//! let encode = |q: u8, s: f32| Ok(vec![0u8; (q as f32 * 100.0 * s * s) as usize]);
//! let target = Target { max_bytes: 5_000, min_quality: 40, quality: 90, lossy: true };
//! let fitted = fit(&target, encode).unwrap();
//! assert_eq!((fitted.quality, fitted.scale), (50, 1.0));
//! assert!(fitted.bytes.len() <= 5_000);
//! ```

use crate::error::{Error, Result};

/// Quality probes per scale: enough to pin quality to one step between 1 and 100.
pub const MAX_QUALITY_PROBES: usize = 7;
/// Each scale step keeps this fraction of width and height.
pub const SCALE_STEP: f32 = 0.75;
/// The smallest scale tried before giving up.
pub const MIN_SCALE: f32 = 0.05;

/// What to fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// The budget in bytes.
    pub max_bytes: usize,
    /// The lowest quality accepted before scaling down (lossy formats).
    pub min_quality: u8,
    /// The quality asked for: the search never goes above it.
    pub quality: u8,
    /// Whether quality changes the size (JPEG, WebP) or not (PNG).
    pub lossy: bool,
}

/// The encode that fits, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// The encoded bytes, at most `max_bytes` long.
    pub bytes: Vec<u8>,
    /// The quality used.
    pub quality: u8,
    /// The scale used, 1 for full size.
    pub scale: f32,
    /// How many encodes the search made.
    pub encodes: usize,
}

/// Finds the highest quality (up to `target.quality`) at the largest scale whose encode fits.
///
/// Errors: whatever `encode` returns, or [`Error::TargetUnreachable`] when a lossless format
/// does not fit at full size (lossless output is never scaled silently) or nothing fits down to
/// [`MIN_SCALE`].
pub fn fit(target: &Target, mut encode: impl FnMut(u8, f32) -> Result<Vec<u8>>) -> Result<Fitted> {
    let top = target.quality.max(1);
    let floor = target.min_quality.clamp(1, top);
    let mut encodes = 0;
    let mut scale = 1.0f32;
    loop {
        let found = if target.lossy {
            best_quality(
                target.max_bytes,
                floor,
                top,
                scale,
                &mut encode,
                &mut encodes,
            )?
        } else {
            encodes += 1;
            let bytes = encode(top, scale)?;
            (bytes.len() <= target.max_bytes).then_some((top, bytes))
        };
        if let Some((quality, bytes)) = found {
            return Ok(Fitted {
                bytes,
                quality,
                scale,
                encodes,
            });
        }
        if !target.lossy {
            return Err(Error::TargetUnreachable(format!(
                "a lossless file of this image cannot fit in {} bytes; choose JPEG or WebP, or a \
                 smaller size",
                target.max_bytes
            )));
        }
        scale *= SCALE_STEP;
        if scale < MIN_SCALE {
            return Err(Error::TargetUnreachable(format!(
                "the image does not fit in {} bytes even at quality {floor} and {:.0}% of its size",
                target.max_bytes,
                scale / SCALE_STEP * 100.0
            )));
        }
    }
}

/// Bisection on quality in `floor..=top` at one scale: the highest quality that fits, if any.
fn best_quality(
    max: usize,
    floor: u8,
    top: u8,
    scale: f32,
    encode: &mut impl FnMut(u8, f32) -> Result<Vec<u8>>,
    encodes: &mut usize,
) -> Result<Option<(u8, Vec<u8>)>> {
    let mut probe = |q: u8| -> Result<Vec<u8>> {
        *encodes += 1;
        encode(q, scale)
    };
    let at_top = probe(top)?;
    if at_top.len() <= max {
        return Ok(Some((top, at_top)));
    }
    let at_floor = probe(floor)?;
    if at_floor.len() > max {
        return Ok(None);
    }
    // Invariant: `lo` fits (its bytes in `best`), `hi` does not.
    let (mut lo, mut hi, mut best) = (floor, top, at_floor);
    for _ in 2..MAX_QUALITY_PROBES {
        if hi - lo <= 1 {
            break;
        }
        let mid = lo + (hi - lo) / 2;
        let bytes = probe(mid)?;
        if bytes.len() <= max {
            (lo, best) = (mid, bytes);
        } else {
            hi = mid;
        }
    }
    Ok(Some((lo, best)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn model(q: u8, s: f32) -> Result<Vec<u8>> {
        Ok(vec![0; (f32::from(q) * 1000.0 * s * s) as usize])
    }

    fn target(max_bytes: usize, lossy: bool) -> Target {
        Target {
            max_bytes,
            min_quality: 40,
            quality: 90,
            lossy,
        }
    }

    #[test]
    fn fits_at_requested_quality_with_one_encode() {
        let f = fit(&target(1_000_000, true), model).unwrap();
        assert_eq!((f.quality, f.scale, f.encodes), (90, 1.0, 1));
    }

    #[test]
    fn bisects_quality_within_the_probe_budget() {
        for max in [40_000, 55_555, 70_000, 89_999] {
            let f = fit(&target(max, true), model).unwrap();
            assert!(f.bytes.len() <= max);
            assert!(f.encodes <= MAX_QUALITY_PROBES, "{}", f.encodes);
            // Within one quality step of the best possible (the last one may be cut off by the
            // probe budget: two steps).
            assert!(
                usize::from(f.quality + 2) * 1000 > max,
                "{max}: q{}",
                f.quality
            );
        }
    }

    #[test]
    fn scales_down_when_min_quality_is_too_big() {
        let f = fit(&target(10_000, true), model).unwrap();
        assert!(f.scale < 1.0 && f.bytes.len() <= 10_000);
        assert!(f.quality >= 40);
        // One scale step larger would not have fitted at min quality.
        assert!(model(40, f.scale / SCALE_STEP).unwrap().len() > 10_000);
    }

    #[test]
    fn lossless_that_cannot_fit_is_an_error_not_a_bigger_file() {
        let e = fit(&target(10_000, false), model).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TargetUnreachable);
        assert!(fit(&target(100_000, false), model).is_ok());
    }

    #[test]
    fn impossible_target_is_unreachable() {
        let e = fit(&target(1, true), |_, _| Ok(vec![0; 10])).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TargetUnreachable);
    }

    #[test]
    fn encoder_errors_pass_through() {
        let e = fit(&target(1, true), |_, _| Err(Error::Encode("x".into()))).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Encode);
    }
}
