//! `rotate`: quarter turns are exact pixel moves ([`super::geometry`]); any other angle grows the
//! canvas to the rotated image's bounding box and samples bilinearly, in premultiplied alpha, with
//! the uncovered corners (and the edge antialiasing) taken from the background colour.

use super::canvas::{check_output_size, Layout, Raster, MAX_SIDE};
use super::geometry::quarter_turns;
use crate::contract::{Color, RotateParams};
use crate::error::Result;

/// Applies a `rotate` tool call: clockwise degrees, negative counter-clockwise.
pub(crate) fn rotate(src: Raster, p: &RotateParams) -> Result<Raster> {
    let degrees = p.degrees.get();
    let quarters = degrees / 90.0;
    if quarters.fract() == 0.0 {
        return Ok(quarter_turns(src, quarters as i64));
    }
    free_rotation(&src, degrees, p.background.unwrap_or(Color::TRANSPARENT))
}

/// Rotates by any angle onto a canvas that holds the whole image. The output gains alpha when
/// `background` is not opaque and colour when it is not grey; otherwise it keeps the layout.
fn free_rotation(src: &Raster, degrees: f64, background: Color) -> Result<Raster> {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (w, h) = (f64::from(src.width), f64::from(src.height));
    // The bounding box of the turned rectangle; the epsilon keeps 1e-12 of float error from
    // adding a blank pixel.
    let out_w = ((w * cos.abs() + h * sin.abs()) - 1e-6).ceil().max(1.0);
    let out_h = ((w * sin.abs() + h * cos.abs()) - 1e-6).ceil().max(1.0);
    check_output_size(
        &format!("rotating by {degrees}°"),
        out_w as u64,
        out_h as u64,
        MAX_SIDE,
    )?;
    let layout = src.layout.to_hold(background);
    let rot = Rotation {
        sin,
        cos,
        out_w,
        out_h,
    };
    let bg = layout.pixel(background);
    use Layout::{Luma, LumaA, Rgb, Rgba};
    let data = match (src.layout, layout) {
        (Luma, Luma) => sample_all::<1, 1>(src, &rot, bg),
        (Luma, LumaA) => sample_all::<1, 2>(src, &rot, bg),
        (Luma, Rgb) => sample_all::<1, 3>(src, &rot, bg),
        (Luma, Rgba) => sample_all::<1, 4>(src, &rot, bg),
        (LumaA, Rgba) => sample_all::<2, 4>(src, &rot, bg),
        (LumaA, _) => sample_all::<2, 2>(src, &rot, bg),
        (Rgb, Rgb) => sample_all::<3, 3>(src, &rot, bg),
        (Rgb, _) => sample_all::<3, 4>(src, &rot, bg),
        (Rgba, _) => sample_all::<4, 4>(src, &rot, bg),
    };
    Ok(Raster {
        layout,
        width: out_w as u32,
        height: out_h as u32,
        data,
    })
}

struct Rotation {
    sin: f64,
    cos: f64,
    out_w: f64,
    out_h: f64,
}

/// Fractional bits of the fixed-point source positions: exact enough that a step summed over
/// 32 768 pixels drifts by less than 10⁻⁵ pixel.
const POS_BITS: u32 = 32;
/// Bits of the bilinear weights (a 4096th of a pixel).
const WEIGHT_BITS: u32 = 12;
const ONE: i64 = 1 << POS_BITS;

/// A layout's pixel widened to another with at least its channels: grey is repeated into colour,
/// and a missing alpha is opaque. `CI`/`CO` are channel counts (alpha present when even).
fn widen<const CI: usize, const CO: usize>(px: [u8; CI]) -> [u8; CO] {
    let alpha = if CI.is_multiple_of(2) {
        px[CI - 1]
    } else {
        255
    };
    let mut out = [0u8; CO];
    let colours = if CO >= 3 { 3 } else { 1 };
    for (k, o) in out.iter_mut().take(colours).enumerate() {
        *o = if CI >= 3 { px[k] } else { px[0] };
    }
    if CO.is_multiple_of(2) {
        out[CO - 1] = alpha;
    }
    out
}

/// One pixel as premultiplied floats (colour × alpha / 255, alpha last when `C` has alpha).
fn premultiplied<const C: usize>(px: [u8; C]) -> [f32; C] {
    let has_alpha = C.is_multiple_of(2);
    let a = if has_alpha {
        f32::from(px[C - 1]) / 255.0
    } else {
        1.0
    };
    std::array::from_fn(|k| {
        if has_alpha && k == C - 1 {
            f32::from(px[k])
        } else {
            f32::from(px[k]) * a
        }
    })
}

/// Bilinear weights of the four taps, top-left first, from 12-bit fractions.
fn weights(fx: u32, fy: u32) -> [f32; 4] {
    let scale = 1.0 / (1u32 << WEIGHT_BITS) as f32;
    let (fx, fy) = (fx as f32 * scale, fy as f32 * scale);
    [
        (1.0 - fx) * (1.0 - fy),
        fx * (1.0 - fy),
        (1.0 - fx) * fy,
        fx * fy,
    ]
}

/// Blends four premultiplied taps and divides the alpha out again.
fn blend<const C: usize>(taps: [[f32; C]; 4], weights: [f32; 4]) -> [u8; C] {
    let has_alpha = C.is_multiple_of(2);
    let mut acc = [0f32; C];
    for (px, weight) in taps.iter().zip(weights) {
        for k in 0..C {
            acc[k] += px[k] * weight;
        }
    }
    let alpha = if has_alpha { acc[C - 1] } else { 255.0 };
    std::array::from_fn(|k| {
        let v = if has_alpha && k == C - 1 {
            acc[k]
        } else if alpha > 0.0 {
            acc[k] * 255.0 / alpha
        } else {
            0.0
        };
        v.round().clamp(0.0, 255.0) as u8
    })
}

/// Bilinear sample of four source pixels inside the frame, in the source layout. Without alpha
/// it is integer arithmetic; with alpha, premultiplied floats.
fn interior<const C: usize>(p: [[u8; C]; 4], fx: u32, fy: u32) -> [u8; C] {
    if C.is_multiple_of(2) {
        return blend(p.map(premultiplied), weights(fx, fy));
    }
    let one = 1u32 << WEIGHT_BITS;
    std::array::from_fn(|k| {
        let top = u32::from(p[0][k]) * (one - fx) + u32::from(p[1][k]) * fx;
        let bottom = u32::from(p[2][k]) * (one - fx) + u32::from(p[3][k]) * fx;
        // At most 255 · 2²⁴ + 2²³: fits.
        ((top * (one - fy) + bottom * fy + (1 << (2 * WEIGHT_BITS - 1))) >> (2 * WEIGHT_BITS)) as u8
    })
}

/// The `u` in `0..n` with `lo <= p0 + u·d < hi`, as a range (exact integer arithmetic).
fn span(p0: i64, d: i64, lo: i64, hi: i64, n: i64) -> (i64, i64) {
    let (start, end) = match d.cmp(&0) {
        std::cmp::Ordering::Equal => {
            if (lo..hi).contains(&p0) {
                (0, n)
            } else {
                (0, 0)
            }
        }
        std::cmp::Ordering::Greater => (ceil_div(lo - p0, d), ceil_div(hi - p0, d)),
        std::cmp::Ordering::Less => ((p0 - hi).div_euclid(-d) + 1, (p0 - lo).div_euclid(-d) + 1),
    };
    (start.clamp(0, n), end.clamp(0, n))
}

fn ceil_div(a: i64, b: i64) -> i64 {
    -((-a).div_euclid(b))
}

/// Samples the rotated frame: per output row, the source position moves by a fixed step, so each
/// row splits into spans: background where the 2 × 2 taps miss the frame, a fast interior span
/// where all four taps are inside, and the few edge pixels in between blended with the
/// background (in premultiplied alpha, in the output layout).
fn sample_all<const CI: usize, const CO: usize>(
    src: &Raster,
    rot: &Rotation,
    bg: [u8; 4],
) -> Vec<u8> {
    let (w, h) = (src.width as i64, src.height as i64);
    let bg_px: [u8; CO] = std::array::from_fn(|k| bg[k]);
    let bg_pm = premultiplied::<CO>(bg_px);
    let (ow, oh) = (rot.out_w as usize, rot.out_h as usize);
    let mut out = vec![0u8; ow * oh * CO];
    let (cx, cy) = (src.width as f64 / 2.0 - 0.5, src.height as f64 / 2.0 - 0.5);
    let pixel = |x: i64, y: i64| -> [u8; CI] {
        let i = (y * w + x) as usize * CI;
        std::array::from_fn(|k| src.data[i + k])
    };
    let tap = |x: i64, y: i64| -> [f32; CO] {
        if x < 0 || y < 0 || x >= w || y >= h {
            bg_pm
        } else {
            premultiplied(widen::<CI, CO>(pixel(x, y)))
        }
    };
    let fixed = |v: f64| (v * ONE as f64).round() as i64;
    // Inverse of the clockwise turn (y points down): where output pixel u of a row comes from.
    let (dx, dy) = (fixed(rot.cos), fixed(-rot.sin));
    let xo = 0.5 - rot.out_w / 2.0;
    let frac = |p: i64| ((p >> (POS_BITS - WEIGHT_BITS)) & ((1 << WEIGHT_BITS) - 1)) as u32;
    for (v, row) in out.chunks_exact_mut(ow * CO).enumerate() {
        let yo = v as f64 + 0.5 - rot.out_h / 2.0;
        let (px0, py0) = (
            fixed(cx + xo * rot.cos + yo * rot.sin),
            fixed(cy - xo * rot.sin + yo * rot.cos),
        );
        let n = ow as i64;
        let position = |u: i64| (px0 + u * dx, py0 + u * dy);
        // Some tap inside: the top-left tap in [-1, w - 1] × [-1, h - 1].
        let touched = intersect(
            span(px0, dx, -ONE, (w - 1 + 1) * ONE, n),
            span(py0, dy, -ONE, (h - 1 + 1) * ONE, n),
        );
        // All four taps inside: the top-left tap in [0, w - 2] × [0, h - 2].
        let inside = intersect(
            intersect(
                span(px0, dx, 0, (w - 1) * ONE, n),
                span(py0, dy, 0, (h - 1) * ONE, n),
            ),
            touched,
        );
        let edge = |u: i64| -> [u8; CO] {
            let (px, py) = position(u);
            let (x0, y0) = (px >> POS_BITS, py >> POS_BITS);
            let taps = [
                tap(x0, y0),
                tap(x0 + 1, y0),
                tap(x0, y0 + 1),
                tap(x0 + 1, y0 + 1),
            ];
            blend(taps, weights(frac(px), frac(py)))
        };
        let at = |u: i64| u as usize * CO;
        let (row_bg, row_touched) = row.split_at_mut(at(touched.0));
        let (row_touched, row_after) = row_touched.split_at_mut(at(touched.1) - at(touched.0));
        for px in row_bg
            .chunks_exact_mut(CO)
            .chain(row_after.chunks_exact_mut(CO))
        {
            px.copy_from_slice(&bg_px);
        }
        for (u, out_px) in (touched.0..touched.1).zip(row_touched.chunks_exact_mut(CO)) {
            if u < inside.0 || u >= inside.1 {
                out_px.copy_from_slice(&edge(u));
            }
        }
        let interior_row = &mut row[at(inside.0)..at(inside.1)];
        let (mut px, mut py) = position(inside.0);
        for out_px in interior_row.chunks_exact_mut(CO) {
            let (x0, y0) = (px >> POS_BITS, py >> POS_BITS);
            let i = (y0 * w + x0) as usize * CI;
            let j = i + w as usize * CI;
            let (top, bottom) = (&src.data[i..i + 2 * CI], &src.data[j..j + 2 * CI]);
            let taps: [[u8; CI]; 4] = [
                std::array::from_fn(|k| top[k]),
                std::array::from_fn(|k| top[CI + k]),
                std::array::from_fn(|k| bottom[k]),
                std::array::from_fn(|k| bottom[CI + k]),
            ];
            out_px.copy_from_slice(&widen::<CI, CO>(interior(taps, frac(px), frac(py))));
            px += dx;
            py += dy;
        }
    }
    out
}

/// The overlap of two ranges (empty when they do not meet).
fn intersect(a: (i64, i64), b: (i64, i64)) -> (i64, i64) {
    let start = a.0.max(b.0);
    (start, a.1.min(b.1).max(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(json: &str) -> RotateParams {
        serde_json::from_str(json).unwrap()
    }

    fn photo_like(w: u32, h: u32) -> Raster {
        let data = (0..w * h)
            .flat_map(|i| {
                let (x, y) = (i % w, i / w);
                [(x * 255 / w) as u8, (y * 255 / h) as u8, 128]
            })
            .collect();
        Raster {
            layout: Layout::Rgb,
            width: w,
            height: h,
            data,
        }
    }

    #[test]
    fn right_angles_are_exact_and_keep_the_layout() {
        let src = photo_like(5, 3);
        let r = rotate(src.clone(), &params(r#"{"degrees":-270}"#)).unwrap();
        assert_eq!(r, quarter_turns(src.clone(), 1));
        let r = rotate(src.clone(), &params(r#"{"degrees":360}"#)).unwrap();
        assert_eq!(r, src);
    }

    #[test]
    fn free_rotation_grows_the_canvas_and_fills_corners() {
        let r = rotate(photo_like(100, 50), &params(r#"{"degrees":30}"#)).unwrap();
        // 100 cos 30 + 50 sin 30 = 111.6; 100 sin 30 + 50 cos 30 = 93.3
        assert_eq!((r.width, r.height, r.layout), (112, 94, Layout::Rgba));
        assert_eq!(
            &r.data[..4],
            &[0, 0, 0, 0],
            "top-left corner is transparent"
        );
        let centre = ((47 * 112 + 56) * 4) as usize;
        assert_eq!(r.data[centre + 3], 255);
        let r = rotate(
            photo_like(100, 50),
            &params(r#"{"degrees":30,"background":"white"}"#),
        )
        .unwrap();
        assert_eq!(r.layout, Layout::Rgb);
        assert_eq!(&r.data[..3], &[255, 255, 255]);
    }

    #[test]
    fn free_rotation_at_a_right_angle_matches_the_exact_turn() {
        // Through the sampling path, 90° must land on the same pixels as the exact turn.
        let src = photo_like(9, 5);
        let sampled = free_rotation(&src, 90.0, Color::WHITE).unwrap();
        assert_eq!(sampled, quarter_turns(src, 1));
    }

    #[test]
    fn clockwise_means_the_right_end_of_a_line_goes_down() {
        // A white top row on black: after +10° its left end sits higher than its right end.
        let mut src = Raster::filled(Layout::Luma, 40, 40, Color::BLACK);
        src.data[..40].fill(255);
        let r = rotate(src, &params(r#"{"degrees":10,"background":"black"}"#)).unwrap();
        let w = r.width as usize;
        let first_white_row = |x: usize| (0..r.height as usize).find(|&y| r.data[y * w + x] > 128);
        assert!(first_white_row(w / 4) < first_white_row(3 * w / 4));
    }

    /// The plain definition: every output pixel from four taps in floating point, the
    /// background outside, premultiplied, in the output layout.
    fn reference(src: &Raster, degrees: f64, background: Color) -> Raster {
        let layout = src.layout.to_hold(background);
        let wide = src.clone().widened(layout);
        let c = layout.channels();
        let has_alpha = layout.has_alpha();
        let (sin, cos) = degrees.to_radians().sin_cos();
        let (w, h) = (f64::from(src.width), f64::from(src.height));
        let ow = ((w * cos.abs() + h * sin.abs()) - 1e-6).ceil().max(1.0);
        let oh = ((w * sin.abs() + h * cos.abs()) - 1e-6).ceil().max(1.0);
        let bg = layout.pixel(background);
        let premul = |px: &[u8]| -> Vec<f32> {
            let a = if has_alpha {
                f32::from(px[c - 1]) / 255.0
            } else {
                1.0
            };
            (0..c)
                .map(|k| {
                    if has_alpha && k == c - 1 {
                        f32::from(px[k])
                    } else {
                        f32::from(px[k]) * a
                    }
                })
                .collect()
        };
        let tap = |x: f64, y: f64| -> Vec<f32> {
            if x < 0.0 || y < 0.0 || x >= w || y >= h {
                premul(&bg[..c])
            } else {
                let i = (y as usize * src.width as usize + x as usize) * c;
                premul(&wide.data[i..i + c])
            }
        };
        let mut data = Vec::new();
        for v in 0..oh as usize {
            for u in 0..ow as usize {
                let xo = u as f64 + 0.5 - ow / 2.0;
                let yo = v as f64 + 0.5 - oh / 2.0;
                let xs = w / 2.0 - 0.5 + xo * cos + yo * sin;
                let ys = h / 2.0 - 0.5 - xo * sin + yo * cos;
                let (x0, y0) = (xs.floor(), ys.floor());
                let (fx, fy) = ((xs - x0) as f32, (ys - y0) as f32);
                let taps = [
                    (tap(x0, y0), (1.0 - fx) * (1.0 - fy)),
                    (tap(x0 + 1.0, y0), fx * (1.0 - fy)),
                    (tap(x0, y0 + 1.0), (1.0 - fx) * fy),
                    (tap(x0 + 1.0, y0 + 1.0), fx * fy),
                ];
                let acc: Vec<f32> = (0..c)
                    .map(|k| taps.iter().map(|(p, wt)| p[k] * wt).sum())
                    .collect();
                let alpha = if has_alpha { acc[c - 1] } else { 255.0 };
                for (k, value) in acc.iter().enumerate() {
                    let v = if has_alpha && k == c - 1 {
                        *value
                    } else if alpha > 0.0 {
                        value * 255.0 / alpha
                    } else {
                        0.0
                    };
                    data.push(v.round().clamp(0.0, 255.0) as u8);
                }
            }
        }
        Raster {
            layout,
            width: ow as u32,
            height: oh as u32,
            data,
        }
    }

    fn textured(layout: Layout, w: u32, h: u32, seed: u32) -> Raster {
        let c = layout.channels();
        let mut state = seed;
        let data = (0..(w * h) as usize * c)
            .map(|i| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                if layout.has_alpha() && i % c == c - 1 {
                    // Mostly opaque, some translucent and clear pixels.
                    [255, 255, 255, 128, 0][(state >> 29) as usize % 5]
                } else {
                    (state >> 24) as u8
                }
            })
            .collect();
        Raster {
            layout,
            width: w,
            height: h,
            data,
        }
    }

    proptest::proptest! {
        #[test]
        fn spans_match_the_plain_definition(
            layout in proptest::sample::select(vec![Layout::Luma, Layout::LumaA, Layout::Rgb, Layout::Rgba]),
            w in 1u32..40,
            h in 1u32..40,
            degrees in -360.0f64..360.0,
            seed: u32,
            background in proptest::sample::select(vec![
                Color::TRANSPARENT, Color::WHITE, Color::rgba(200, 30, 60, 255), Color::rgba(9, 9, 9, 100),
            ]),
        ) {
            let src = textured(layout, w, h, seed);
            let fast = free_rotation(&src, degrees, background).unwrap();
            let plain = reference(&src, degrees, background);
            proptest::prop_assert_eq!((fast.width, fast.height, fast.layout), (plain.width, plain.height, plain.layout));
            let c = fast.layout.channels();
            for (i, (a, b)) in fast.data.chunks_exact(c).zip(plain.data.chunks_exact(c)).enumerate() {
                // Colour under (nearly) zero alpha is arbitrary; elsewhere one level of rounding.
                let alpha = if fast.layout.has_alpha() { a[c - 1].min(b[c - 1]) } else { 255 };
                let tolerance = if alpha < 8 { 255 } else { 1 + 255 / u16::from(alpha) as u8 / 8 };
                for (x, y) in a.iter().zip(b) {
                    proptest::prop_assert!(x.abs_diff(*y) <= tolerance, "pixel {} {:?} vs {:?}", i, a, b);
                }
            }
        }
    }

    #[test]
    fn tiny_frames_never_panic() {
        for deg in [0.5, 45.0, -33.3, 179.9, 359.0] {
            for layout in [Layout::Luma, Layout::LumaA, Layout::Rgb, Layout::Rgba] {
                let src = Raster::filled(layout, 1, 1, Color::WHITE);
                let r = free_rotation(&src, deg, Color::TRANSPARENT).unwrap();
                assert!(r.width >= 1 && r.height >= 1);
            }
        }
    }
}
