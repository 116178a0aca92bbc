//! Decoding real files: formats, layouts, EXIF orientation, and `inspect` agreeing with `decode`.

#![allow(clippy::unwrap_used)]

#[path = "fixtures/mod.rs"]
mod fixtures;

use fixtures::{psnr, read};
use image::{DynamicImage, ImageFormat};
use retouch_engine::codec::{decode, inspect, InputFormat, Limits};

fn limits() -> Limits {
    Limits::default()
}

#[test]
fn orientation_6_comes_out_upright_like_the_original() {
    let turned = read("Storm-exif-orientation-6.jpg");
    let info = inspect(&turned, &limits()).unwrap();
    assert_eq!((info.width, info.height, info.orientation), (1920, 1280, 6));

    let upright = decode(&turned, &limits()).unwrap();
    assert_eq!(
        (upright.frame.width(), upright.frame.height()),
        (1920, 1280)
    );
    let original = decode(&read("Storm.jpg"), &limits()).unwrap();
    let similarity = psnr(upright.frame.as_bytes(), original.frame.as_bytes());
    assert!(
        similarity > 30.0,
        "PSNR {similarity:.1} dB against Storm.jpg"
    );
    // Turned the wrong way it would not look alike at all.
    let wrong = upright.frame.rotate180();
    assert!(psnr(wrong.as_bytes(), original.frame.as_bytes()) < 20.0);
}

#[test]
fn layouts_are_the_four_8_bit_ones() {
    let cases = [
        ("GreenMeadow.jpg", InputFormat::Jpeg, "Rgb8", false),
        ("transparent.png", InputFormat::Png, "Rgba8", true),
        ("gray-alpha.png", InputFormat::Png, "La8", true),
    ];
    for (name, format, layout, alpha) in cases {
        let bytes = read(name);
        let info = inspect(&bytes, &limits()).unwrap();
        assert_eq!((info.format, info.has_alpha), (format, alpha), "{name}");
        let d = decode(&bytes, &limits()).unwrap();
        assert_eq!(format!("{:?}", d.frame.color()), layout, "{name}");
        assert_eq!(
            (d.frame.width(), d.frame.height()),
            (info.width, info.height),
            "{name}"
        );
    }
}

#[test]
fn webp_input_decodes() {
    let bytes = read("wood-4096.webp");
    let info = inspect(&bytes, &limits()).unwrap();
    assert_eq!(
        (info.format, info.width, info.height),
        (InputFormat::Webp, 4096, 4096)
    );
}

/// A small picture written by `image` in another format, to test GIF, BMP and 16-bit PNG input.
fn written(frame: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    frame.write_to(&mut out, format).unwrap();
    out.into_inner()
}

#[test]
fn gif_bmp_and_16_bit_png_become_8_bit() {
    let photo = decode(&read("FreshFlower.jpg"), &limits())
        .unwrap()
        .frame
        .crop_imm(0, 0, 64, 48);

    let gif = decode(&written(&photo, ImageFormat::Gif), &limits()).unwrap();
    assert_eq!(gif.info.format, InputFormat::Gif);
    assert_eq!((gif.frame.width(), gif.frame.height()), (64, 48));
    assert!(matches!(gif.frame, DynamicImage::ImageRgba8(_)));

    let bmp = decode(&written(&photo, ImageFormat::Bmp), &limits()).unwrap();
    assert_eq!(bmp.info.format, InputFormat::Bmp);
    assert_eq!(bmp.frame.as_bytes(), photo.as_bytes());

    let deep = DynamicImage::ImageRgb16(photo.to_rgb16());
    let png16 = decode(&written(&deep, ImageFormat::Png), &limits()).unwrap();
    assert!(matches!(png16.frame, DynamicImage::ImageRgb8(_)));
    assert_eq!(png16.frame.as_bytes(), photo.as_bytes());

    let gray16 = DynamicImage::ImageLumaA16(photo.to_luma_alpha16());
    let png16 = decode(&written(&gray16, ImageFormat::Png), &limits()).unwrap();
    assert!(matches!(png16.frame, DynamicImage::ImageLumaA8(_)));
}
