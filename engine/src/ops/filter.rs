//! `apply_filter`: grayscale, sepia, negate and normalize here; blur and sharpen in
//! [`super::blur`].

use super::blur;
use super::canvas::{luma, Layout, Raster};
use crate::contract::{Amount, FilterName, FilterParams, Fraction, Sigma};

/// Applies an `apply_filter` tool call.
pub(crate) fn apply_filter(src: Raster, p: &FilterParams) -> Raster {
    match p.filter {
        FilterName::Grayscale => grayscale(src),
        FilterName::Sepia => sepia(src, p.intensity.map_or(0.8, Fraction::get)),
        FilterName::Blur => blur::gaussian_blur(src, p.sigma.map_or(5.0, Sigma::get)),
        FilterName::Sharpen => blur::sharpen(
            src,
            p.sigma.map_or(1.0, Sigma::get),
            p.amount.map_or(1.0, Amount::get),
        ),
        FilterName::Negate => negate(src),
        FilterName::Normalize => normalize(src),
    }
}

/// Rec. 709 luma: RGB becomes Luma, RGBA becomes LumaA; grey frames are unchanged.
pub(crate) fn grayscale(src: Raster) -> Raster {
    let layout = match src.layout {
        Layout::Luma | Layout::LumaA => return src,
        Layout::Rgb => Layout::Luma,
        Layout::Rgba => Layout::LumaA,
    };
    let c = src.layout.channels();
    let mut data = Vec::with_capacity(src.data.len() / c * layout.channels());
    for px in src.data.chunks_exact(c) {
        data.push(luma(px[0], px[1], px[2]));
        if c == 4 {
            data.push(px[3]);
        }
    }
    Raster {
        layout,
        width: src.width,
        height: src.height,
        data,
    }
}

/// The classic sepia matrix (rows give red, green, blue).
const SEPIA: [[f64; 3]; 3] = [
    [0.393, 0.769, 0.189],
    [0.349, 0.686, 0.168],
    [0.272, 0.534, 0.131],
];

/// Blends each pixel towards its sepia tone by `intensity` (0 leaves it, 1 is full sepia).
/// Grey frames become colour.
pub(crate) fn sepia(src: Raster, intensity: f64) -> Raster {
    let layout = src.layout.with_color();
    let mut out = src.widened(layout);
    // The blended matrix (1 - t)·I + t·SEPIA in 14-bit fixed point.
    let m: [[i32; 3]; 3] = std::array::from_fn(|r| {
        std::array::from_fn(|c| {
            let identity = if r == c { 1.0 } else { 0.0 };
            ((identity * (1.0 - intensity) + SEPIA[r][c] * intensity) * 16384.0).round() as i32
        })
    });
    let c = out.layout.channels();
    for px in out.data.chunks_exact_mut(c) {
        let rgb = [i32::from(px[0]), i32::from(px[1]), i32::from(px[2])];
        for (row, v) in m.iter().zip(px.iter_mut()) {
            let s = row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2];
            *v = ((s + 8192) >> 14).clamp(0, 255) as u8;
        }
    }
    out
}

/// Inverts the colour channels; alpha is kept.
pub(crate) fn negate(mut src: Raster) -> Raster {
    let c = src.layout.channels();
    let colors = src.layout.color_channels();
    for px in src.data.chunks_exact_mut(c) {
        for v in &mut px[..colors] {
            *v = 255 - *v;
        }
    }
    src
}

/// Stretches the 1st–99th percentile of luma to 0–255 (like sharp's `normalise`), with one
/// lookup table applied to every colour channel so hues stay. Fully transparent pixels do not
/// count. A flat image is left as it is.
pub(crate) fn normalize(mut src: Raster) -> Raster {
    let c = src.layout.channels();
    let mut histogram = [0u64; 256];
    for px in src.data.chunks_exact(c) {
        if src.layout.has_alpha() && px[c - 1] == 0 {
            continue;
        }
        let y = if src.layout.is_gray() {
            px[0]
        } else {
            luma(px[0], px[1], px[2])
        };
        histogram[usize::from(y)] += 1;
    }
    let total: u64 = histogram.iter().sum();
    if total == 0 {
        return src;
    }
    let percentile = |p: u64| -> usize {
        let target = (total * p).div_ceil(100).max(1);
        let mut seen = 0;
        for (v, n) in histogram.iter().enumerate() {
            seen += n;
            if seen >= target {
                return v;
            }
        }
        255
    };
    let (lo, hi) = (percentile(1), percentile(99));
    if hi <= lo {
        return src;
    }
    let lut: [u8; 256] = std::array::from_fn(|v| {
        let s = (v as f64 - lo as f64) * 255.0 / (hi - lo) as f64;
        s.round().clamp(0.0, 255.0) as u8
    });
    let colors = src.layout.color_channels();
    for px in src.data.chunks_exact_mut(c) {
        for v in &mut px[..colors] {
            *v = lut[usize::from(*v)];
        }
    }
    src
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Color;

    fn px(layout: Layout, data: &[u8]) -> Raster {
        Raster {
            layout,
            width: (data.len() / layout.channels()) as u32,
            height: 1,
            data: data.to_vec(),
        }
    }

    #[test]
    fn grayscale_drops_colour_keeps_alpha() {
        let r = grayscale(px(Layout::Rgba, &[255, 0, 0, 7, 255, 255, 255, 9]));
        assert_eq!((r.layout, r.data), (Layout::LumaA, vec![54, 7, 255, 9]));
    }

    #[test]
    fn sepia_is_warm_and_zero_intensity_is_identity() {
        let grey = px(Layout::Rgb, &[128, 128, 128]);
        let s = sepia(grey.clone(), 1.0);
        assert!(
            s.data[0] > s.data[1] && s.data[1] > s.data[2],
            "{:?}",
            s.data
        );
        assert_eq!(sepia(grey, 0.0).data, vec![128, 128, 128]);
        let g = sepia(px(Layout::LumaA, &[100, 50]), 0.8);
        assert_eq!(g.layout, Layout::Rgba);
        assert_eq!(g.data[3], 50);
    }

    #[test]
    fn negate_keeps_alpha() {
        assert_eq!(negate(px(Layout::LumaA, &[10, 20])).data, vec![245, 20]);
    }

    #[test]
    fn normalize_stretches_and_leaves_flat_images() {
        let data: Vec<u8> = (0..200).map(|i| 50 + (i % 100) as u8).collect();
        let r = normalize(px(Layout::Luma, &data));
        assert_eq!(*r.data.iter().min().unwrap(), 0);
        assert_eq!(*r.data.iter().max().unwrap(), 255);
        let flat = Raster::filled(Layout::Rgb, 3, 3, Color::rgba(9, 9, 9, 255));
        assert_eq!(normalize(flat.clone()), flat);
    }
}
