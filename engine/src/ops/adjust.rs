//! `adjust`: tonal and colour adjustments, in this order:
//!
//! 1. exposure (`× 2^stops` in linear light) and white balance — temperature (warm: red up, blue
//!    down) and tint (magenta: green down; green: green up) as linear-light channel gains;
//! 2. brightness (`× (1 + percent/100)` on the encoded values, like sharp's `modulate`);
//! 3. saturation and hue: one 3 × 3 matrix that keeps Rec. 709 luma (the SVG `saturate` and
//!    `hueRotate` matrices);
//! 4. contrast (`(v − 127.5) × (1 + percent/100) + 127.5`: −100 is flat grey) and gamma
//!    (`255 · (v/255)^(1/gamma)`: above 1 brightens mid-tones).
//!
//! Steps 1–2 and 4 are per channel and become lookup tables; without a saturation or hue change,
//! all of them fold into one table per channel, so a 17.9 MP frame costs one table lookup per
//! sample. Alpha is never touched. A grey frame turns colour only for temperature or tint.

use super::canvas::Raster;
use crate::contract::{AdjustParams, Gamma, HueDegrees, Percent, Stops};

/// Linear-light gain per unit of temperature or tint (±100 % gives ×1.4 / ×0.6).
const WHITE_BALANCE_GAIN: f64 = 0.4;

/// Applies an `adjust` tool call.
pub(crate) fn adjust(src: Raster, p: &AdjustParams) -> Raster {
    let pct = |v: Option<Percent>| v.map_or(0.0, Percent::get) / 100.0;
    let (temperature, tint) = (pct(p.temperature), pct(p.tint));
    let exposure = p.exposure.map_or(0.0, Stops::get).exp2();
    let brightness = 1.0 + pct(p.brightness);
    let contrast = 1.0 + pct(p.contrast);
    let gamma = p.gamma.map_or(1.0, Gamma::get);
    let saturation = 1.0 + pct(p.saturation);
    let hue = p.hue.map_or(0.0, HueDegrees::get);

    let white_balance = temperature != 0.0 || tint != 0.0;
    let mut out = if white_balance {
        let layout = src.layout.with_color();
        src.widened(layout)
    } else {
        src
    };
    let gains = [
        1.0 + WHITE_BALANCE_GAIN * temperature,
        1.0 - WHITE_BALANCE_GAIN * tint,
        1.0 - WHITE_BALANCE_GAIN * temperature,
    ];
    let pre: [[u8; 256]; 3] = std::array::from_fn(|c| {
        lut(|v| {
            let linear = srgb_to_linear(v) * exposure * gains[c];
            linear_to_srgb(linear) * brightness
        })
    });
    let post = lut(|v| {
        let v = (v - 0.5) * contrast + 0.5;
        v.clamp(0.0, 1.0).powf(1.0 / gamma)
    });
    let matrix = (!out.layout.is_gray() && (saturation != 1.0 || hue != 0.0))
        .then(|| color_matrix(saturation, hue));

    let c = out.layout.channels();
    let colors = out.layout.color_channels();
    match matrix {
        None => {
            let tables: [[u8; 256]; 3] =
                std::array::from_fn(|k| std::array::from_fn(|v| post[usize::from(pre[k][v])]));
            for px in out.data.chunks_exact_mut(c) {
                for (v, table) in px[..colors].iter_mut().zip(&tables) {
                    *v = table[usize::from(*v)];
                }
            }
        }
        Some(m) => {
            for px in out.data.chunks_exact_mut(c) {
                let rgb = [
                    i32::from(pre[0][usize::from(px[0])]),
                    i32::from(pre[1][usize::from(px[1])]),
                    i32::from(pre[2][usize::from(px[2])]),
                ];
                for (row, v) in m.iter().zip(px.iter_mut()) {
                    let mixed = (row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2] + 2048) >> 12;
                    *v = post[mixed.clamp(0, 255) as usize];
                }
            }
        }
    }
    out
}

/// A table of `f` over 0–255, where `f` maps 0–1 to 0–1 (clamped).
fn lut(f: impl Fn(f64) -> f64) -> [u8; 256] {
    std::array::from_fn(|v| (f(v as f64 / 255.0).clamp(0.0, 1.0) * 255.0).round() as u8)
}

fn srgb_to_linear(v: f64) -> f64 {
    if v <= 0.04045 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

fn linear_to_srgb(v: f64) -> f64 {
    let v = v.clamp(0.0, 1.0);
    if v <= 0.003_130_8 {
        v * 12.92
    } else {
        1.055 * v.powf(1.0 / 2.4) - 0.055
    }
}

/// Saturation `s` (1 = unchanged) then hue rotation by `degrees`, both keeping Rec. 709 luma,
/// in 12-bit fixed point (rows give red, green, blue).
fn color_matrix(s: f64, degrees: f64) -> [[i32; 3]; 3] {
    const L: [f64; 3] = [0.2126, 0.7152, 0.0722];
    let sat: [[f64; 3]; 3] = std::array::from_fn(|r| {
        std::array::from_fn(|c| L[c] * (1.0 - s) + if r == c { s } else { 0.0 })
    });
    let (sin, cos) = degrees.to_radians().sin_cos();
    // The SVG hueRotate matrix, written with the exact luma weights.
    let hue = [
        [
            L[0] + cos * (1.0 - L[0]) - sin * L[0],
            L[1] - cos * L[1] - sin * L[1],
            L[2] - cos * L[2] + sin * (1.0 - L[2]),
        ],
        [
            L[0] - cos * L[0] + sin * 0.143,
            L[1] + cos * (1.0 - L[1]) + sin * 0.140,
            L[2] - cos * L[2] - sin * 0.283,
        ],
        [
            L[0] - cos * L[0] - sin * (1.0 - L[0]),
            L[1] - cos * L[1] + sin * L[1],
            L[2] + cos * (1.0 - L[2]) + sin * L[2],
        ],
    ];
    std::array::from_fn(|r| {
        std::array::from_fn(|c| {
            let v: f64 = (0..3).map(|k| hue[r][k] * sat[k][c]).sum();
            (v * 4096.0).round() as i32
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::canvas::Layout;
    use super::*;
    use crate::contract::Color;

    fn adjust_json(src: Raster, json: &str) -> Raster {
        adjust(src, &serde_json::from_str(json).unwrap())
    }

    fn one(layout: Layout, px: &[u8]) -> Raster {
        Raster {
            layout,
            width: 1,
            height: 1,
            data: px.to_vec(),
        }
    }

    #[test]
    fn neutral_values_change_nothing() {
        let src = one(Layout::Rgba, &[10, 128, 250, 77]);
        let r = adjust_json(
            src.clone(),
            r#"{"brightness":0,"contrast":0,"saturation":0,"hue":0,"gamma":1,"exposure":0}"#,
        );
        assert_eq!(r, src);
    }

    #[test]
    fn brightness_multiplies_and_contrast_pivots_on_mid_grey() {
        let r = adjust_json(one(Layout::Luma, &[100]), r#"{"brightness":20}"#);
        assert_eq!(r.data, vec![120]);
        let r = adjust_json(one(Layout::Rgb, &[10, 128, 250]), r#"{"contrast":-100}"#);
        assert_eq!(r.data, vec![128, 128, 128]);
        let r = adjust_json(one(Layout::Luma, &[200]), r#"{"contrast":50}"#);
        assert_eq!(r.data, vec![236]);
    }

    #[test]
    fn exposure_doubles_linear_light() {
        // sRGB 128 is 21.6 % linear; doubled is 43.2 %, which encodes as 176.
        let r = adjust_json(one(Layout::Luma, &[128]), r#"{"exposure":1}"#);
        assert_eq!(r.data, vec![176]);
    }

    #[test]
    fn gamma_above_one_brightens_mid_tones() {
        let r = adjust_json(one(Layout::Luma, &[64]), r#"{"gamma":2}"#);
        assert_eq!(r.data, vec![128]);
    }

    #[test]
    fn saturation_keeps_luma_and_minus_100_is_grey() {
        let r = adjust_json(one(Layout::Rgb, &[200, 40, 90]), r#"{"saturation":-100}"#);
        assert!(
            r.data.iter().all(|v| v.abs_diff(r.data[0]) <= 1),
            "{:?}",
            r.data
        );
        let y = super::super::canvas::luma(200, 40, 90);
        assert!(r.data[0].abs_diff(y) <= 1);
    }

    #[test]
    fn hue_rotation_turns_red_towards_green_and_keeps_grey() {
        let r = adjust_json(one(Layout::Rgb, &[200, 30, 30]), r#"{"hue":120}"#);
        assert!(
            r.data[1] > r.data[0] && r.data[1] > r.data[2],
            "{:?}",
            r.data
        );
        let grey = Raster::filled(Layout::Rgb, 2, 2, Color::rgba(90, 90, 90, 255));
        assert_eq!(adjust_json(grey.clone(), r#"{"hue":77}"#), grey);
    }

    #[test]
    fn temperature_warms_and_makes_grey_frames_colour() {
        let r = adjust_json(one(Layout::LumaA, &[128, 9]), r#"{"temperature":50}"#);
        assert_eq!(r.layout, Layout::Rgba);
        assert!(
            r.data[0] > 128 && r.data[2] < 128 && r.data[3] == 9,
            "{:?}",
            r.data
        );
        let r = adjust_json(one(Layout::Rgb, &[128, 128, 128]), r#"{"tint":50}"#);
        assert!(r.data[1] < 128 && r.data[0] == 128, "{:?}", r.data);
    }
}
