//! Golden-image tests for every pixel operation (resvg style).
//!
//! Each case runs one tool call on a small downscale of a real photo from `shared/images` and
//! compares the result with a committed reference PNG in `tests/golden/`: same size and layout,
//! and no pixel with a channel further than the case's tolerance from the reference (0 for the
//! lossless geometry, a level or two where floating point or SIMD paths may round differently).
//! On failure the actual image and a diff (differing pixels red over a faded reference) are
//! written to `<target>/golden-diff/`.
//!
//! `RETOUCH_UPDATE_GOLDEN=1 cargo test -p retouch-engine --test ops_golden` rewrites the
//! references and then fails on purpose, so a regeneration is never mistaken for a pass.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use image::imageops::FilterType;
use image::{DynamicImage, GenericImageView, Rgba, RgbaImage};
use retouch_engine::contract::parse_tool_calls;
use retouch_engine::ops;

/// `shared/images`, found beside the repository (or beside one of its parent folders, for
/// worktrees).
fn shared_images() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared/images"))
        .find(|dir| dir.is_dir())
        .expect("shared/images beside the repository")
}

fn load(file: &str, width: u32) -> DynamicImage {
    let img = image::open(shared_images().join(file)).expect(file);
    let height = (u64::from(img.height()) * u64::from(width) / u64::from(img.width())) as u32;
    img.resize_exact(width, height, FilterType::Triangle)
}

/// A 200 × 125 RGB photo (a ladybird on a leaf).
fn photo() -> DynamicImage {
    static PHOTO: OnceLock<DynamicImage> = OnceLock::new();
    PHOTO.get_or_init(|| load("LadyBird.jpg", 200)).clone()
}

/// A 200 × 112 RGBA artwork with real transparency.
fn transparent() -> DynamicImage {
    static ART: OnceLock<DynamicImage> = OnceLock::new();
    ART.get_or_init(|| load("transparent.png", 200)).clone()
}

/// The photo with an alpha vignette: opaque in the middle, fading to fully transparent corners.
fn photo_alpha() -> DynamicImage {
    let mut rgba = photo().to_rgba8();
    let (w, h) = (rgba.width() as f32, rgba.height() as f32);
    for (x, y, px) in rgba.enumerate_pixels_mut() {
        let dx = (x as f32 + 0.5) / w * 2.0 - 1.0;
        let dy = (y as f32 + 0.5) / h * 2.0 - 1.0;
        let d = (dx * dx + dy * dy).sqrt();
        px.0[3] = ((1.2 - d) * 2.0 * 255.0).clamp(0.0, 255.0) as u8;
    }
    DynamicImage::ImageRgba8(rgba)
}

/// A 200 × 125 grey + alpha image.
fn gray_alpha() -> DynamicImage {
    static GREY: OnceLock<DynamicImage> = OnceLock::new();
    GREY.get_or_init(|| DynamicImage::ImageLumaA8(load("gray-alpha.png", 200).to_luma_alpha8()))
        .clone()
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn diff_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target>/tmp.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap_or(Path::new(env!("CARGO_TARGET_TMPDIR")))
        .join("golden-diff");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `tool` with `params` (JSON) on `input` and checks the result against `golden/<name>.png`.
fn check(name: &str, input: DynamicImage, tool: &str, params: &str, tolerance: u8) {
    let calls = parse_tool_calls(&format!(r#"[{{"tool":"{tool}","params":{params}}}]"#))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let actual = ops::apply(input, &calls[0].tool).unwrap_or_else(|e| panic!("{name}: {e}"));
    let reference_path = golden_dir().join(format!("{name}.png"));
    if std::env::var_os("RETOUCH_UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        actual.save(&reference_path).unwrap();
        panic!("{name}: reference regenerated; run again without RETOUCH_UPDATE_GOLDEN");
    }
    let reference = image::open(&reference_path).unwrap_or_else(|e| {
        panic!(
            "{name}: no reference at {} ({e}); create it with RETOUCH_UPDATE_GOLDEN=1",
            reference_path.display()
        )
    });
    assert_eq!(
        actual.dimensions(),
        reference.dimensions(),
        "{name}: size differs from the reference"
    );
    assert_eq!(
        actual.color(),
        reference.color(),
        "{name}: layout differs from the reference"
    );
    let (a, r) = (actual.to_rgba8(), reference.to_rgba8());
    let mut diff = RgbaImage::new(a.width(), a.height());
    let mut differing = 0usize;
    let mut worst = 0u8;
    for ((pa, pr), pd) in a.pixels().zip(r.pixels()).zip(diff.pixels_mut()) {
        let delta =
            pa.0.iter()
                .zip(pr.0)
                .map(|(x, y)| x.abs_diff(y))
                .max()
                .unwrap_or(0);
        worst = worst.max(delta);
        *pd = if delta > tolerance {
            differing += 1;
            Rgba([255, 0, 0, 255])
        } else {
            let g = (u16::from(pr.0[0]) + u16::from(pr.0[1]) + u16::from(pr.0[2])) / 6 + 128;
            Rgba([g as u8, g as u8, g as u8, 255])
        };
    }
    if differing > 0 {
        let dir = diff_dir();
        actual.save(dir.join(format!("{name}.actual.png"))).unwrap();
        diff.save(dir.join(format!("{name}.diff.png"))).unwrap();
        panic!(
            "{name}: {differing} pixels differ by more than {tolerance} (worst {worst}); see {}",
            dir.join(format!("{name}.diff.png")).display()
        );
    }
}

macro_rules! golden {
    ($($name:ident: $input:ident, $tool:literal, $params:literal, tolerance $tol:literal;)*) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name), $input(), $tool, $params, $tol);
            }
        )*
    };
}

golden! {
    // Resampling: SIMD paths may round a level differently on other CPUs.
    resize_width_lanczos3: photo, "resize", r#"{"width":120}"#, tolerance 2;
    resize_cover_square: photo, "resize", r#"{"width":90,"height":90,"fit":"cover"}"#, tolerance 2;
    resize_contain_transparent_pad: photo, "resize", r#"{"width":100,"height":100,"fit":"contain"}"#, tolerance 2;
    resize_fill_nearest: photo, "resize", r#"{"width":80,"height":100,"fit":"fill","kernel":"nearest"}"#, tolerance 0;
    resize_alpha_scale_up: transparent, "resize", r#"{"scale":1.5,"kernel":"mitchell"}"#, tolerance 2;
    // Lossless geometry: exact.
    rotate_90: photo, "rotate", r#"{"degrees":90}"#, tolerance 0;
    rotate_minus_90_alpha: photo_alpha, "rotate", r#"{"degrees":-90}"#, tolerance 0;
    rotate_180_gray_alpha: gray_alpha, "rotate", r#"{"degrees":180}"#, tolerance 0;
    flip_horizontal: photo, "flip", r#"{"direction":"horizontal"}"#, tolerance 0;
    flip_vertical_alpha: photo_alpha, "flip", r#"{"direction":"vertical"}"#, tolerance 0;
    crop_rectangle: photo, "crop", r#"{"x":60,"y":20,"width":100,"height":80}"#, tolerance 0;
    crop_aspect_square_east: photo, "crop", r#"{"aspectRatio":"1:1","gravity":"east"}"#, tolerance 0;
    crop_trim: gray_alpha, "crop", r#"{"trim":20}"#, tolerance 0;
    // Free rotation: bilinear in floating point.
    rotate_30_transparent_corners: photo, "rotate", r#"{"degrees":30}"#, tolerance 1;
    rotate_minus_15_white_corners: photo, "rotate", r##"{"degrees":-15,"background":"#ffffff"}"##, tolerance 1;
    rotate_45_alpha: photo_alpha, "rotate", r#"{"degrees":45}"#, tolerance 1;
    // Filters.
    filter_grayscale: photo, "apply_filter", r#"{"filter":"grayscale"}"#, tolerance 0;
    filter_sepia: photo, "apply_filter", r#"{"filter":"sepia"}"#, tolerance 0;
    filter_negate_alpha: photo_alpha, "apply_filter", r#"{"filter":"negate"}"#, tolerance 0;
    filter_normalize: photo, "apply_filter", r#"{"filter":"normalize"}"#, tolerance 0;
    filter_blur_sigma_5: photo, "apply_filter", r#"{"filter":"blur"}"#, tolerance 1;
    filter_blur_sigma_3_alpha: photo_alpha, "apply_filter", r#"{"filter":"blur","sigma":3}"#, tolerance 1;
    filter_sharpen: photo, "apply_filter", r#"{"filter":"sharpen","amount":2}"#, tolerance 1;
    // Border.
    border_default: photo, "add_border", r#"{}"#, tolerance 0;
    border_translucent_on_grey: gray_alpha, "add_border", r##"{"width":6,"color":"#3366cc80"}"##, tolerance 0;
    // Text: float rasterisation.
    text_default_bottom: photo, "add_text", r#"{"text":"Ladybird · Божья коровка"}"#, tolerance 1;
    text_multiline_north_west: photo, "add_text", r##"{"text":"Άλφα βήτα\nÇa va? Łódź","fontSize":18,"color":"#ffd700","position":"north-west"}"##, tolerance 1;
    text_wrapped_centre_on_grey_alpha: gray_alpha, "add_text", r#"{"text":"A long caption that has to wrap onto lines","fontSize":30,"color":"red","position":"center"}"#, tolerance 1;
    // Adjust: lookup tables built in floating point.
    adjust_warm_brighter: photo, "adjust", r#"{"brightness":15,"temperature":40}"#, tolerance 1;
    adjust_contrast_saturation_hue: photo, "adjust", r#"{"contrast":30,"saturation":50,"hue":45}"#, tolerance 1;
    adjust_exposure_gamma_tint_alpha: photo_alpha, "adjust", r#"{"exposure":-1,"gamma":1.4,"tint":-30}"#, tolerance 1;
}
