//! `rotate`: quarter turns are exact pixel moves ([`super::geometry`]); any other angle grows the
//! canvas to the rotated image's bounding box and samples bilinearly, in premultiplied alpha, with
//! the uncovered corners (and the edge antialiasing) taken from the background colour.

use super::canvas::{check_output_size, Raster, MAX_SIDE};
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
    free_rotation(src, degrees, p.background.unwrap_or(Color::TRANSPARENT))
}

/// Rotates by any angle onto a canvas that holds the whole image. The output gains alpha when
/// `background` is not opaque and colour when it is not grey; otherwise it keeps the layout.
fn free_rotation(src: Raster, degrees: f64, background: Color) -> Result<Raster> {
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
    let src = src.widened(layout);
    let bg = layout.pixel(background);
    let rot = Rotation {
        sin,
        cos,
        out_w,
        out_h,
    };
    let data = match layout.channels() {
        1 => sample_all::<1>(&src, &rot, bg),
        2 => sample_all::<2>(&src, &rot, bg),
        3 => sample_all::<3>(&src, &rot, bg),
        _ => sample_all::<4>(&src, &rot, bg),
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

/// One pixel as premultiplied floats (colour × alpha / 255, alpha last when `C` has alpha).
fn premultiplied<const C: usize>(px: &[u8]) -> [f32; C] {
    let mut out = [0f32; C];
    let has_alpha = C.is_multiple_of(2);
    let a = if has_alpha {
        f32::from(px[C - 1]) / 255.0
    } else {
        1.0
    };
    for (k, o) in out.iter_mut().enumerate() {
        *o = if has_alpha && k == C - 1 {
            f32::from(px[k])
        } else {
            f32::from(px[k]) * a
        };
    }
    out
}

fn sample_all<const C: usize>(src: &Raster, rot: &Rotation, bg: [u8; 4]) -> Vec<u8> {
    let has_alpha = C.is_multiple_of(2);
    let (w, h) = (src.width as i64, src.height as i64);
    let bg_px: [u8; C] = std::array::from_fn(|k| bg[k]);
    let bg_pm = premultiplied::<C>(&bg_px);
    let (ow, oh) = (rot.out_w as usize, rot.out_h as usize);
    let mut out = Vec::with_capacity(ow * oh * C);
    let (cx, cy) = (src.width as f64 / 2.0 - 0.5, src.height as f64 / 2.0 - 0.5);
    let tap = |x: i64, y: i64| -> [f32; C] {
        if x < 0 || y < 0 || x >= w || y >= h {
            bg_pm
        } else {
            let i = (y * w + x) as usize * C;
            premultiplied::<C>(&src.data[i..i + C])
        }
    };
    for v in 0..oh {
        let yo = v as f64 + 0.5 - rot.out_h / 2.0;
        for u in 0..ow {
            let xo = u as f64 + 0.5 - rot.out_w / 2.0;
            // Inverse of the clockwise turn (y points down): where this output pixel comes from.
            let xs = cx + xo * rot.cos + yo * rot.sin;
            let ys = cy - xo * rot.sin + yo * rot.cos;
            let (x0, y0) = (xs.floor(), ys.floor());
            if x0 < -1.0 || y0 < -1.0 || x0 >= w as f64 || y0 >= h as f64 {
                out.extend_from_slice(&bg_px);
                continue;
            }
            let (fx, fy) = ((xs - x0) as f32, (ys - y0) as f32);
            let (x0, y0) = (x0 as i64, y0 as i64);
            let taps = [
                (tap(x0, y0), (1.0 - fx) * (1.0 - fy)),
                (tap(x0 + 1, y0), fx * (1.0 - fy)),
                (tap(x0, y0 + 1), (1.0 - fx) * fy),
                (tap(x0 + 1, y0 + 1), fx * fy),
            ];
            let mut acc = [0f32; C];
            for (px, weight) in taps {
                for k in 0..C {
                    acc[k] += px[k] * weight;
                }
            }
            let alpha = if has_alpha { acc[C - 1] } else { 255.0 };
            for (k, value) in acc.iter().enumerate() {
                let v = if has_alpha && k == C - 1 {
                    *value
                } else if alpha > 0.0 {
                    value * 255.0 / alpha
                } else {
                    0.0
                };
                out.push(v.round().clamp(0.0, 255.0) as u8);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::canvas::Layout;
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
        let sampled = free_rotation(src.clone(), 90.0, Color::WHITE).unwrap();
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

    #[test]
    fn tiny_frames_never_panic() {
        for deg in [0.5, 45.0, -33.3, 179.9, 359.0] {
            for layout in [Layout::Luma, Layout::LumaA, Layout::Rgb, Layout::Rgba] {
                let src = Raster::filled(layout, 1, 1, Color::WHITE);
                let r = free_rotation(src, deg, Color::TRANSPARENT).unwrap();
                assert!(r.width >= 1 && r.height >= 1);
            }
        }
    }
}
