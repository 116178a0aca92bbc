//! Encoding: every layout to every format round-trips with our own decoder, lossy WebP honours
//! its quality, JPEG flattens alpha onto white.

#![allow(clippy::unwrap_used)]

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::sync::OnceLock;

use fixtures::{psnr, read};
use image::{DynamicImage, GrayAlphaImage, LumaA, Rgba, RgbaImage};
use retouch_engine::codec::{decode, encode, InputFormat, Limits};
use retouch_engine::contract::{Format, Quality};

fn q(n: u8) -> Quality {
    Quality::new(n).unwrap()
}

/// A 256 × 160 crop with detail, small enough to encode quickly in debug builds.
fn photo() -> DynamicImage {
    static PHOTO: OnceLock<DynamicImage> = OnceLock::new();
    PHOTO
        .get_or_init(|| {
            let full = decode(&read("LadyBird.jpg"), &Limits::default())
                .unwrap()
                .frame;
            full.crop_imm(1100, 700, 256, 160)
        })
        .clone()
}

#[test]
fn every_layout_round_trips_through_every_format() {
    let rgb = photo();
    let layouts = [
        DynamicImage::ImageLuma8(rgb.to_luma8()),
        DynamicImage::ImageLumaA8(rgb.to_luma_alpha8()),
        rgb.clone(),
        DynamicImage::ImageRgba8(rgb.to_rgba8()),
    ];
    for frame in &layouts {
        for (format, input, least_psnr) in [
            (Format::Png, InputFormat::Png, f64::INFINITY),
            (Format::Jpg, InputFormat::Jpeg, 30.0),
            (Format::Webp, InputFormat::Webp, 28.0),
        ] {
            for quality in [80, 95] {
                let bytes = encode(frame, format, q(quality)).unwrap();
                let back = decode(&bytes, &Limits::default()).unwrap();
                let what = format!("{:?} as {format} q{quality}", frame.color());
                assert_eq!(back.info.format, input, "{what}");
                assert_eq!(
                    (back.frame.width(), back.frame.height()),
                    (256, 160),
                    "{what}"
                );
                // Compare in the layout the decoder chose (JPEG and WebP drop or add channels).
                let expected = match back.frame {
                    DynamicImage::ImageLuma8(_) => frame.to_luma8().into_raw(),
                    DynamicImage::ImageLumaA8(_) => frame.to_luma_alpha8().into_raw(),
                    DynamicImage::ImageRgb8(_) => frame.to_rgb8().into_raw(),
                    _ => frame.to_rgba8().into_raw(),
                };
                let p = psnr(&expected, back.frame.as_bytes());
                assert!(p >= least_psnr, "{what}: PSNR {p:.1} dB");
            }
        }
    }
}

#[test]
fn webp_quality_changes_size_and_fidelity() {
    let frame = photo();
    let low = encode(&frame, Format::Webp, q(40)).unwrap();
    let high = encode(&frame, Format::Webp, q(95)).unwrap();
    assert!(
        low.len() * 2 < high.len(),
        "q40 {} bytes, q95 {} bytes",
        low.len(),
        high.len()
    );
    let fidelity = |bytes: &[u8]| {
        let back = decode(bytes, &Limits::default()).unwrap().frame;
        psnr(frame.as_bytes(), back.to_rgb8().as_raw())
    };
    let (pl, ph) = (fidelity(&low), fidelity(&high));
    assert!(pl > 28.0 && ph > pl + 3.0, "q40 {pl:.1} dB, q95 {ph:.1} dB");
    // Lossy, not lossless: far smaller than the PNG of the same pixels.
    let png = encode(&frame, Format::Png, q(90)).unwrap();
    assert!(
        high.len() < png.len(),
        "webp q95 {} bytes, png {}",
        high.len(),
        png.len()
    );
}

#[test]
fn webp_keeps_alpha() {
    let frame = DynamicImage::ImageRgba8(RgbaImage::from_fn(40, 30, |x, _| {
        Rgba([200, 30, 30, if x < 20 { 0 } else { 255 }])
    }));
    let back = decode(
        &encode(&frame, Format::Webp, q(80)).unwrap(),
        &Limits::default(),
    )
    .unwrap();
    assert!(back.info.has_alpha);
    let px = back.frame.to_rgba8();
    assert_eq!(px.get_pixel(5, 5)[3], 0);
    assert_eq!(px.get_pixel(35, 5)[3], 255);
}

#[test]
fn jpeg_flattens_alpha_onto_white() {
    let clear = DynamicImage::ImageRgba8(RgbaImage::from_pixel(16, 16, Rgba([0, 0, 0, 0])));
    let back = decode(
        &encode(&clear, Format::Jpg, q(90)).unwrap(),
        &Limits::default(),
    )
    .unwrap();
    let px = back.frame.to_rgb8();
    assert!(
        px.pixels().all(|p| p.0.iter().all(|&c| c >= 250)),
        "{:?}",
        px.get_pixel(8, 8)
    );
    let half = DynamicImage::ImageLumaA8(GrayAlphaImage::from_pixel(16, 16, LumaA([0, 128])));
    let back = decode(
        &encode(&half, Format::Jpg, q(90)).unwrap(),
        &Limits::default(),
    )
    .unwrap();
    let v = back.frame.to_luma8().get_pixel(8, 8)[0];
    assert!((125..=130).contains(&v), "{v}");
}

#[test]
fn odd_and_tiny_sizes_encode() {
    for (w, h) in [(1, 1), (1, 17), (17, 1), (33, 9)] {
        let frame = photo().crop_imm(0, 0, w, h);
        for format in [Format::Jpg, Format::Png, Format::Webp] {
            let bytes = encode(&frame, format, q(75)).unwrap();
            let back = decode(&bytes, &Limits::default()).unwrap();
            assert_eq!(
                (back.frame.width(), back.frame.height()),
                (w, h),
                "{format} {w}×{h}"
            );
        }
    }
}
