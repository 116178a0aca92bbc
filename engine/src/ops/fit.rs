//! The arithmetic of `resize`: from a source size, a target box and a [`Fit`], the size to
//! resample to and the final canvas — following sharp's rules (`ResolveShrink` in sharp's
//! `common.cc`, then its crop and embed steps), with `inside` as our default fit.
//!
//! - `inside`: as large as possible while both sides are ≤ the box.
//! - `outside`: as small as possible while both sides are ≥ the box.
//! - `cover`: scale as `outside`, then crop the overflow to the box (centred).
//! - `contain`: scale as `inside`, then pad to the box (centred).
//! - `fill`: each side to the box independently (aspect ignored).
//!
//! With only one of width/height the other follows the aspect ratio (for `fill`, it stays as it
//! is). `withoutEnlargement` never scales a side up; with `cover` the crop then takes what there
//! is, with `contain` the small image is padded to the box, as sharp does.

use crate::contract::Fit;

/// Where a resize lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FitPlan {
    /// The size the whole source is resampled to.
    pub(crate) resized: (u32, u32),
    /// The size of the output.
    pub(crate) canvas: (u32, u32),
    /// For `cover`: the top-left of the canvas inside the resized image (what is cropped off the
    /// left and top). For `contain`: where the resized image sits on the canvas. Else `(0, 0)`.
    pub(crate) offset: (u32, u32),
}

/// Plans a resize of a `src` image to the box `width` × `height` (either may be missing).
///
/// `width` and `height` must not both be `None` (the contract refuses that); if they are, the
/// plan keeps the source size.
pub(crate) fn plan(
    src: (u32, u32),
    width: Option<u32>,
    height: Option<u32>,
    fit: Fit,
    without_enlargement: bool,
) -> FitPlan {
    let (sw, sh) = (f64::from(src.0.max(1)), f64::from(src.1.max(1)));
    // Shrink factors: source size ÷ resized size, as in sharp.
    let (mut hs, mut vs) = match (width, height) {
        (Some(w), Some(h)) => {
            let (hs, vs) = (sw / f64::from(w), sh / f64::from(h));
            match fit {
                Fit::Cover | Fit::Outside => (hs.min(vs), hs.min(vs)),
                Fit::Contain | Fit::Inside => (hs.max(vs), hs.max(vs)),
                Fit::Fill => (hs, vs),
            }
        }
        (Some(w), None) => {
            let hs = sw / f64::from(w);
            (hs, if fit == Fit::Fill { 1.0 } else { hs })
        }
        (None, Some(h)) => {
            let vs = sh / f64::from(h);
            (if fit == Fit::Fill { 1.0 } else { vs }, vs)
        }
        (None, None) => (1.0, 1.0),
    };
    if without_enlargement {
        hs = hs.max(1.0);
        vs = vs.max(1.0);
    }
    // Never shrink a side below one pixel.
    hs = hs.min(sw);
    vs = vs.min(sh);
    let resized = (round_px(sw / hs), round_px(sh / vs));
    let target = (width.unwrap_or(resized.0), height.unwrap_or(resized.1));
    match fit {
        Fit::Cover => {
            let canvas = (resized.0.min(target.0), resized.1.min(target.1));
            // sharp's centre crop rounds the offset up.
            let offset = (
                (resized.0 - canvas.0).div_ceil(2),
                (resized.1 - canvas.1).div_ceil(2),
            );
            FitPlan {
                resized,
                canvas,
                offset,
            }
        }
        Fit::Contain => {
            let canvas = (resized.0.max(target.0), resized.1.max(target.1));
            let offset = ((canvas.0 - resized.0) / 2, (canvas.1 - resized.1) / 2);
            FitPlan {
                resized,
                canvas,
                offset,
            }
        }
        Fit::Fill | Fit::Inside | Fit::Outside => FitPlan {
            resized,
            canvas: resized,
            offset: (0, 0),
        },
    }
}

/// Rounds a size to whole pixels, at least one (saturating far beyond any limit).
fn round_px(v: f64) -> u32 {
    (v.round() as u32).max(1)
}

/// The size after multiplying by `scale`, rounded like JavaScript's `Math.round` (halves up),
/// at least one pixel; `without_enlargement` keeps a factor above 1 from growing the image.
pub(crate) fn scaled(src: (u32, u32), scale: f64, without_enlargement: bool) -> (u32, u32) {
    let s = if without_enlargement {
        scale.min(1.0)
    } else {
        scale
    };
    let r = |v: u32| (((f64::from(v) * s) + 0.5).floor() as u32).max(1);
    (r(src.0), r(src.1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(src: (u32, u32), w: Option<u32>, h: Option<u32>, fit: Fit) -> FitPlan {
        plan(src, w, h, fit, false)
    }

    #[test]
    fn inside_fits_the_box_keeping_aspect() {
        let r = p((1000, 500), Some(300), Some(300), Fit::Inside);
        assert_eq!((r.resized, r.canvas), ((300, 150), (300, 150)));
        let r = p((500, 1000), Some(300), Some(300), Fit::Inside);
        assert_eq!(r.canvas, (150, 300));
    }

    #[test]
    fn one_side_given_follows_aspect() {
        assert_eq!(
            p((1000, 500), Some(300), None, Fit::Inside).canvas,
            (300, 150)
        );
        assert_eq!(
            p((1000, 500), None, Some(100), Fit::Cover).canvas,
            (200, 100)
        );
        // sharp rounds: 333 × 0.3 = 99.9 → 100.
        assert_eq!(
            p((1000, 333), Some(300), None, Fit::Inside).canvas,
            (300, 100)
        );
        // fill with one side keeps the other side as it is.
        assert_eq!(
            p((1000, 500), Some(300), None, Fit::Fill).canvas,
            (300, 500)
        );
    }

    #[test]
    fn outside_covers_the_box_without_cropping() {
        let r = p((1000, 500), Some(300), Some(300), Fit::Outside);
        assert_eq!(r.canvas, (600, 300));
    }

    #[test]
    fn cover_crops_centred() {
        let r = p((1000, 500), Some(300), Some(300), Fit::Cover);
        assert_eq!(r.resized, (600, 300));
        assert_eq!(r.canvas, (300, 300));
        assert_eq!(r.offset, (150, 0));
        let r = p((1001, 500), Some(300), Some(300), Fit::Cover);
        assert_eq!(r.resized, (601, 300));
        assert_eq!(r.offset, (151, 0));
    }

    #[test]
    fn contain_pads_centred() {
        let r = p((1000, 500), Some(300), Some(300), Fit::Contain);
        assert_eq!(r.resized, (300, 150));
        assert_eq!(r.canvas, (300, 300));
        assert_eq!(r.offset, (0, 75));
    }

    #[test]
    fn fill_stretches() {
        let r = p((1000, 500), Some(300), Some(300), Fit::Fill);
        assert_eq!(r.canvas, (300, 300));
    }

    #[test]
    fn without_enlargement_keeps_small_images() {
        let r = plan((200, 100), Some(400), Some(400), Fit::Inside, true);
        assert_eq!(r.canvas, (200, 100));
        // cover takes what there is; contain pads to the box (sharp).
        let r = plan((200, 100), Some(400), Some(50), Fit::Cover, true);
        assert_eq!((r.resized, r.canvas), ((200, 100), (200, 50)));
        let r = plan((200, 100), Some(400), Some(400), Fit::Contain, true);
        assert_eq!(
            (r.resized, r.canvas, r.offset),
            ((200, 100), (400, 400), (100, 150))
        );
        // It still shrinks.
        let r = plan((2000, 1000), Some(400), None, Fit::Inside, true);
        assert_eq!(r.canvas, (400, 200));
    }

    #[test]
    fn never_below_one_pixel() {
        assert_eq!(p((10000, 1), Some(10), None, Fit::Inside).canvas, (10, 1));
        assert_eq!(p((1, 1), Some(16384), Some(1), Fit::Inside).canvas, (1, 1));
    }

    #[test]
    fn scale_rounds_like_math_round() {
        assert_eq!(scaled((101, 33), 0.5, false), (51, 17));
        assert_eq!(scaled((3, 1), 0.1, false), (1, 1));
        assert_eq!(scaled((100, 50), 2.0, true), (100, 50));
        assert_eq!(scaled((100, 50), 2.0, false), (200, 100));
    }

    fn aspect_ok(src: (u32, u32), out: (u32, u32)) -> bool {
        // out.1 ≈ out.0 × src.1 / src.0 within a pixel, or the other way round.
        let (sw, sh) = (f64::from(src.0), f64::from(src.1));
        let (w, h) = (f64::from(out.0), f64::from(out.1));
        (w * sh / sw - h).abs() <= 1.0 || (h * sw / sh - w).abs() <= 1.0
    }

    proptest! {
        #[test]
        fn inside_never_exceeds_and_touches_the_box(
            sw in 1u32..5000, sh in 1u32..5000, bw in 1u32..5000, bh in 1u32..5000,
        ) {
            let r = p((sw, sh), Some(bw), Some(bh), Fit::Inside);
            prop_assert!(r.canvas.0 <= bw && r.canvas.1 <= bh, "{r:?}");
            prop_assert!(r.canvas.0 == bw || r.canvas.1 == bh || r.canvas.0 == 1 || r.canvas.1 == 1, "{r:?}");
            prop_assert!(aspect_ok((sw, sh), r.canvas) || r.canvas.0 == 1 || r.canvas.1 == 1);
        }

        #[test]
        fn cover_and_outside_cover_the_box(
            sw in 1u32..5000, sh in 1u32..5000, bw in 1u32..5000, bh in 1u32..5000,
        ) {
            let o = p((sw, sh), Some(bw), Some(bh), Fit::Outside);
            prop_assert!(o.canvas.0 >= bw && o.canvas.1 >= bh, "{o:?}");
            prop_assert!(o.canvas.0 == bw || o.canvas.1 == bh, "{o:?}");
            prop_assert!(aspect_ok((sw, sh), o.canvas));
            let c = p((sw, sh), Some(bw), Some(bh), Fit::Cover);
            prop_assert_eq!(c.canvas, (bw, bh));
            prop_assert_eq!(c.resized, o.resized);
            prop_assert!(c.offset.0 + c.canvas.0 <= c.resized.0);
            prop_assert!(c.offset.1 + c.canvas.1 <= c.resized.1);
        }

        #[test]
        fn contain_is_the_box_with_the_image_inside(
            sw in 1u32..5000, sh in 1u32..5000, bw in 1u32..5000, bh in 1u32..5000, small: bool,
        ) {
            let c = plan((sw, sh), Some(bw), Some(bh), Fit::Contain, small);
            prop_assert_eq!(c.canvas, (bw.max(c.resized.0), bh.max(c.resized.1)));
            if !small {
                prop_assert_eq!(c.canvas, (bw, bh));
            }
            prop_assert!(c.offset.0 + c.resized.0 <= c.canvas.0);
            prop_assert!(c.offset.1 + c.resized.1 <= c.canvas.1);
        }
    }
}
