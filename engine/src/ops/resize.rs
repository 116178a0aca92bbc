//! `resize` and [`fit_inside`](super::fit_inside): resampling with `fast_image_resize`.
//!
//! The fit arithmetic is in [`super::fit`]. Alpha is premultiplied before resampling and divided
//! out after (fast_image_resize's `MulDiv`, on by default), so transparent pixels do not bleed dark
//! fringes into their neighbours. `cover` resamples only the part of the source that stays, so
//! the overflow is never computed.

use fast_image_resize::images::{TypedImage, TypedImageRef};
use fast_image_resize::{pixels, FilterType, ResizeAlg, ResizeOptions, Resizer};

use super::canvas::{check_output_size, Layout, Raster};
use super::fit::{self, FitPlan};
use crate::contract::{Color, Fit, Kernel, Pixels, ResizeParams};
use crate::error::{Error, Result};

/// Longest side a resize may produce (the contract's largest width/height).
pub(crate) const MAX_RESIZE_SIDE: u32 = Pixels::MAX;

/// Applies a `resize` tool call.
pub(crate) fn resize(src: Raster, p: &ResizeParams) -> Result<Raster> {
    let size = (src.width, src.height);
    let no_enlarge = p.without_enlargement.unwrap_or(false);
    let width = p.width.map(Pixels::get);
    let height = p.height.map(Pixels::get);
    let plan = if let Some(scale) = p.scale {
        let s = fit::scaled(size, scale.get(), no_enlarge);
        FitPlan {
            resized: s,
            canvas: s,
            offset: (0, 0),
        }
    } else {
        let fit = if p.maintain_aspect == Some(false) {
            Fit::Fill
        } else {
            p.fit.unwrap_or_default()
        };
        fit::plan(size, width, height, fit, no_enlarge)
    };
    let kernel = p.kernel.unwrap_or_default();
    apply_plan(
        src,
        &plan,
        kernel,
        p.background.unwrap_or(Color::TRANSPARENT),
    )
}

/// Scales down (never up) to fit inside the box, keeping the aspect ratio, with Lanczos3.
pub(crate) fn fit_inside(
    src: Raster,
    max_width: Option<u32>,
    max_height: Option<u32>,
) -> Result<Raster> {
    if max_width.is_none() && max_height.is_none() {
        return Ok(src);
    }
    let plan = fit::plan(
        (src.width, src.height),
        max_width.map(|v| v.max(1)),
        max_height.map(|v| v.max(1)),
        Fit::Inside,
        true,
    );
    apply_plan(src, &plan, Kernel::Lanczos3, Color::TRANSPARENT)
}

fn apply_plan(src: Raster, plan: &FitPlan, kernel: Kernel, background: Color) -> Result<Raster> {
    let (cw, ch) = plan.canvas;
    check_output_size("this resize", u64::from(cw), u64::from(ch), MAX_RESIZE_SIDE)?;
    if plan.resized.0 > cw || plan.resized.1 > ch {
        // cover: resample only the source region that maps onto the canvas.
        let sx = f64::from(src.width) / f64::from(plan.resized.0);
        let sy = f64::from(src.height) / f64::from(plan.resized.1);
        let region = (
            f64::from(plan.offset.0) * sx,
            f64::from(plan.offset.1) * sy,
            f64::from(cw) * sx,
            f64::from(ch) * sy,
        );
        return resample(&src, (cw, ch), kernel, Some(region));
    }
    let resized = if plan.resized == (src.width, src.height) {
        src
    } else {
        resample(&src, plan.resized, kernel, None)?
    };
    if plan.canvas == plan.resized {
        return Ok(resized);
    }
    // contain: pad with the background.
    let layout = resized.layout.to_hold(background);
    let mut canvas = Raster::filled(layout, cw, ch, background);
    canvas.paste(&resized.widened(layout), plan.offset.0, plan.offset.1);
    Ok(canvas)
}

/// Resamples `src` (or the `region` of it: left, top, width, height in source pixels) to
/// `size` with `kernel`.
pub(crate) fn resample(
    src: &Raster,
    size: (u32, u32),
    kernel: Kernel,
    region: Option<(f64, f64, f64, f64)>,
) -> Result<Raster> {
    let algorithm = match kernel {
        Kernel::Nearest => ResizeAlg::Nearest,
        Kernel::Bilinear => ResizeAlg::Convolution(FilterType::Bilinear),
        Kernel::Catmullrom => ResizeAlg::Convolution(FilterType::CatmullRom),
        Kernel::Mitchell => ResizeAlg::Convolution(FilterType::Mitchell),
        Kernel::Lanczos3 => ResizeAlg::Convolution(FilterType::Lanczos3),
    };
    let mut options = ResizeOptions::new().resize_alg(algorithm);
    if let Some((left, top, width, height)) = region {
        options = options.crop(left, top, width, height);
    }
    let mut data = vec![0; size.0 as usize * size.1 as usize * src.layout.channels()];
    let (from, to) = (
        (src.width, src.height, &src.data[..]),
        (size.0, size.1, &mut data[..]),
    );
    // Typed calls, so only the four 8-bit pixel kinds are compiled in: the untyped API links
    // every pixel kind, and its 16-bit alpha table alone is 512 KiB of wasm.
    match src.layout {
        Layout::Luma => resample_typed::<pixels::U8>(from, to, &options),
        Layout::LumaA => resample_typed::<pixels::U8x2>(from, to, &options),
        Layout::Rgb => resample_typed::<pixels::U8x3>(from, to, &options),
        Layout::Rgba => resample_typed::<pixels::U8x4>(from, to, &options),
    }
    .map_err(|e| Error::Unsupported(format!("resize failed: {e}")))?;
    Ok(Raster {
        layout: src.layout,
        width: size.0,
        height: size.1,
        data,
    })
}

fn resample_typed<P: fast_image_resize::PixelTrait>(
    (src_width, src_height, src): (u32, u32, &[u8]),
    (dst_width, dst_height, dst): (u32, u32, &mut [u8]),
    options: &ResizeOptions,
) -> std::result::Result<(), String> {
    let from =
        TypedImageRef::<P>::from_buffer(src_width, src_height, src).map_err(|e| e.to_string())?;
    let mut to =
        TypedImage::<P>::from_buffer(dst_width, dst_height, dst).map_err(|e| e.to_string())?;
    Resizer::new()
        .resize_typed(&from, &mut to, options)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(json: &str) -> ResizeParams {
        serde_json::from_str(json).unwrap()
    }

    fn gradient(layout: Layout, w: u32, h: u32) -> Raster {
        let c = layout.channels();
        let data = (0..w * h)
            .flat_map(|i| std::iter::repeat_n((i % 251) as u8, c))
            .collect();
        Raster {
            layout,
            width: w,
            height: h,
            data,
        }
    }

    #[test]
    fn scale_and_fits_give_the_planned_sizes() {
        let r = resize(gradient(Layout::Rgb, 101, 33), &params(r#"{"scale":0.5}"#)).unwrap();
        assert_eq!((r.width, r.height), (51, 17));
        let r = resize(
            gradient(Layout::Rgb, 100, 50),
            &params(r#"{"width":30,"height":30,"fit":"cover"}"#),
        )
        .unwrap();
        assert_eq!((r.width, r.height, r.layout), (30, 30, Layout::Rgb));
        let r = resize(
            gradient(Layout::Rgb, 100, 50),
            &params(r#"{"width":30,"height":30,"maintainAspect":false}"#),
        )
        .unwrap();
        assert_eq!((r.width, r.height), (30, 30));
    }

    #[test]
    fn contain_pads_with_the_background_adding_alpha_only_when_needed() {
        let r = resize(
            gradient(Layout::Rgb, 100, 50),
            &params(r#"{"width":40,"height":40,"fit":"contain"}"#),
        )
        .unwrap();
        assert_eq!((r.width, r.height, r.layout), (40, 40, Layout::Rgba));
        assert_eq!(&r.data[..4], &[0, 0, 0, 0]);
        let r = resize(
            gradient(Layout::Luma, 100, 50),
            &params(r#"{"width":40,"height":40,"fit":"contain","background":"red"}"#),
        )
        .unwrap();
        assert_eq!(r.layout, Layout::Rgb);
        assert_eq!(&r.data[..3], &[255, 0, 0]);
    }

    #[test]
    fn transparent_pixels_do_not_darken_their_neighbours() {
        // Left half opaque white, right half transparent black.
        let mut src = Raster::filled(Layout::Rgba, 8, 1, Color::WHITE);
        for px in src.data.chunks_exact_mut(4).skip(4) {
            px.copy_from_slice(&[0, 0, 0, 0]);
        }
        let r = resample(&src, (4, 1), Kernel::Lanczos3, None).unwrap();
        for px in r.data.chunks_exact(4).filter(|p| p[3] > 0) {
            assert!(px[0] >= 250, "{px:?}");
        }
    }

    #[test]
    fn too_large_outputs_are_limit_errors() {
        let e = resize(gradient(Layout::Rgb, 2000, 10), &params(r#"{"scale":16}"#)).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Limits, "{e}");
        let e = resize(
            gradient(Layout::Rgb, 1, 1),
            &params(r#"{"width":16384,"height":16384,"fit":"fill"}"#),
        )
        .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Limits, "{e}");
    }

    #[test]
    fn one_pixel_frames_resize_with_every_kernel() {
        for k in ["nearest", "bilinear", "catmullrom", "mitchell", "lanczos3"] {
            for layout in [Layout::Luma, Layout::LumaA, Layout::Rgb, Layout::Rgba] {
                let p = params(&format!(
                    r#"{{"width":7,"height":3,"fit":"cover","kernel":"{k}"}}"#
                ));
                let r = resize(gradient(layout, 1, 1), &p).unwrap();
                assert_eq!((r.width, r.height), (7, 3));
            }
        }
    }

    #[test]
    fn fit_inside_never_enlarges() {
        let r = fit_inside(gradient(Layout::Rgb, 100, 50), Some(400), Some(400)).unwrap();
        assert_eq!((r.width, r.height), (100, 50));
        let r = fit_inside(gradient(Layout::Rgb, 100, 50), Some(40), None).unwrap();
        assert_eq!((r.width, r.height), (40, 20));
    }
}
