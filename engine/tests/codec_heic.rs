//! HEIC/HEIF input on real phone photos (`../shared/images/heic/`), against an independent
//! decoder: libheif through pillow-heif (scripts/setup.sh installs it into `.cache/heif-venv`).
//!
//! Tolerances, decoded pixels before any colour management (ours vs libheif 1.23):
//!
//! | photo | PSNR at least | largest difference at most |
//! |---|---|---|
//! | pug.heic (iPhone 13 Pro, grid) | 60 dB | 16 |
//! | arrow.heic (iPhone 8 Plus, grid, rotated) | 58 dB | 10 |
//! | xiaomi.heic (grid, edge tiles padded) | 55 dB | 40 |
//! | alpha.heic (Nokia `iovl` overlay, one input with alpha) | 38 dB | 64 |
//! | L_exif_xmp_iptc.heic (grey) | exact | 0 |
//!
//! The residue is the HEVC decoders' and chroma upsamplers' own differences; a wrong range or
//! matrix (heic-rs's own default) costs 24–29 dB, a wrong rotation fails the size check.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::path::PathBuf;

use retouch_engine::codec::{self, InputFormat, Limits};
use retouch_engine::ErrorKind;

fn heif_python() -> PathBuf {
    if let Some(p) = std::env::var_os("RETOUCH_HEIF_PYTHON") {
        return PathBuf::from(p);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let venv = root.join(".cache/heif-venv/bin/python");
    assert!(
        venv.exists(),
        "{} is missing: bash scripts/setup.sh installs pillow-heif there (or set RETOUCH_HEIF_PYTHON)",
        venv.display()
    );
    venv
}

/// libheif's decode of a shared photo, through pillow-heif: (width, height, mode, pixels).
fn libheif(name: &str) -> (u32, u32, String, Vec<u8>) {
    let src = fixtures::images_dir().join("heic").join(name);
    let out = fixtures::scratch("codec_heic", &format!("{name}.libheif"));
    let script =
        "import sys, pillow_heif\nfrom PIL import Image\npillow_heif.register_heif_opener()\n\
        im = Image.open(sys.argv[1]); im.load()\nopen(sys.argv[2], 'wb').write(im.tobytes())\n\
        print(im.size[0], im.size[1], im.mode)";
    let python = heif_python();
    let printed = fixtures::tool(
        python.to_str().unwrap(),
        &["-c", script, src.to_str().unwrap(), out.to_str().unwrap()],
    );
    let mut words = printed.split_whitespace();
    let w = words.next().unwrap().parse().unwrap();
    let h = words.next().unwrap().parse().unwrap();
    let mode = words.next().unwrap().to_owned();
    (w, h, mode, std::fs::read(out).unwrap())
}

fn heic(name: &str) -> Vec<u8> {
    fixtures::read(&format!("heic/{name}"))
}

fn max_diff(a: &[u8], b: &[u8]) -> u8 {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.abs_diff(*y))
        .max()
        .unwrap_or(0)
}

#[test]
fn phone_photos_decode_as_libheif_decodes_them() {
    let cases = [
        ("pug.heic", 60.0, 16),
        ("arrow.heic", 58.0, 10),
        ("xiaomi.heic", 55.0, 40),
        ("alpha.heic", 38.0, 64),
        ("L_exif_xmp_iptc.heic", f64::INFINITY, 0),
    ];
    for (name, min_psnr, max_abs) in cases {
        let bytes = heic(name);
        let decoded = codec::decode(&bytes, &Limits::default()).expect(name);
        let (w, h, mode, reference) = libheif(name);
        assert_eq!(decoded.info.format, InputFormat::Heic);
        assert_eq!(
            (decoded.frame.width(), decoded.frame.height()),
            (w, h),
            "{name}: size (upright as libheif turns it)"
        );
        let ours = match mode.as_str() {
            "L" => decoded.frame.to_luma8().into_raw(),
            "RGBA" => decoded.frame.to_rgba8().into_raw(),
            _ => decoded.frame.to_rgb8().into_raw(),
        };
        let psnr = fixtures::psnr(&ours, &reference);
        let max = max_diff(&ours, &reference);
        eprintln!("{name}: {psnr:.2} dB, largest difference {max}");
        assert!(psnr >= min_psnr, "{name}: {psnr:.2} dB < {min_psnr} dB");
        assert!(
            max <= max_abs,
            "{name}: largest difference {max} > {max_abs}"
        );
        // The header says the same size, without decoding.
        let info = codec::inspect(&bytes, &Limits::default()).expect(name);
        assert_eq!((info.width, info.height, info.orientation), (w, h, 1));
    }
}

#[test]
fn iphone_photo_comes_out_in_srgb_as_littlecms_converts_it() {
    // pug.heic is in Display P3: the edit converts it to sRGB through its ICC profile (moxcms),
    // which must agree with libheif's pixels converted by LittleCMS (Pillow's ImageCms).
    let bytes = heic("pug.heic");
    let out = fixtures::run_job(&bytes, "pug.heic", "[]", r#"{"outputFormat":"png"}"#)
        .expect("pug.heic edits");
    let ours = image::load_from_memory(&out.bytes).unwrap().to_rgb8();
    let src = fixtures::images_dir().join("heic/pug.heic");
    let dst = fixtures::scratch("codec_heic", "pug.srgb");
    let script = "import sys, io, pillow_heif\nfrom PIL import Image, ImageCms\n\
        pillow_heif.register_heif_opener()\nim = Image.open(sys.argv[1]).convert('RGB')\n\
        p = ImageCms.ImageCmsProfile(io.BytesIO(Image.open(sys.argv[1]).info['icc_profile']))\n\
        s = ImageCms.profileToProfile(im, p, ImageCms.createProfile('sRGB'), ImageCms.Intent.PERCEPTUAL)\n\
        open(sys.argv[2], 'wb').write(s.tobytes())";
    let python = heif_python();
    fixtures::tool(
        python.to_str().unwrap(),
        &["-c", script, src.to_str().unwrap(), dst.to_str().unwrap()],
    );
    let reference = std::fs::read(dst).unwrap();
    let (mean, max) = fixtures::delta_e76(ours.as_raw(), &reference);
    eprintln!("pug.heic → sRGB: mean ΔE76 {mean:.2}, max {max:.1}");
    assert!(mean < 1.0, "mean ΔE76 {mean:.2}");
    // And it did change: P3 pixels read as sRGB would be off by more.
    let raw = codec::decode(&bytes, &Limits::default())
        .unwrap()
        .frame
        .to_rgb8();
    let (unconverted, _) = fixtures::delta_e76(raw.as_raw(), &reference);
    assert!(unconverted > mean * 2.0, "{unconverted:.2} vs {mean:.2}");
    assert_eq!((out.width, out.height), (4032, 3024));
}

#[test]
fn a_decoded_frame_edits_exactly_as_its_heic_file() {
    // The browser path: the HEIF wasm module decodes into a frame container, the base engine
    // edits the frame. Natively both ends run here and must give the same bytes.
    for name in ["arrow.heic", "L_exif_xmp_iptc.heic"] {
        let bytes = heic(name);
        let frame = retouch_heif::decode(&bytes, 100_000_000)
            .unwrap()
            .to_frame();
        let calls = r#"[{"tool":"resize","params":{"width":300}}]"#;
        let options = r#"{"metadata":"keep"}"#;
        let a = fixtures::run_job(&bytes, name, calls, options).unwrap();
        let b = fixtures::run_job(&frame, name, calls, options).unwrap();
        assert_eq!(a.bytes, b.bytes, "{name}");
        assert_eq!(a.name, b.name);
        let info = codec::inspect(&frame, &Limits::default()).unwrap();
        assert_eq!(info.format, InputFormat::Heic);
    }
}

#[test]
fn truncated_and_cut_files_fail_with_a_sentence() {
    let bytes = heic("truncated.heic");
    let e = fixtures::run_job(&bytes, "t.heic", "[]", "{}").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(
        e.to_string(),
        "cannot decode image: the file ends after 3657 bytes, in the middle of its image data (the HEIC `mdat` box)"
    );
    let pug = heic("pug.heic");
    for len in [0, 7, 20, 40, 300, 2000, 3933, 3940, 50_000, pug.len() - 1] {
        let e = fixtures::run_job(&pug[..len], "cut.heic", "[]", "{}").unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::Decode),
            "{len}: {e} ({:?})",
            e.kind()
        );
    }
}

/// `bytes` with every `ispe` box saying `w` × `h`.
fn claiming(mut bytes: Vec<u8>, w: u32, h: u32) -> Vec<u8> {
    let mut at = 0;
    while let Some(i) = bytes[at..].windows(4).position(|x| x == b"ispe") {
        let p = at + i + 4 + 4; // after the type and the full-box version/flags
        bytes[p..p + 4].copy_from_slice(&w.to_be_bytes());
        bytes[p + 4..p + 8].copy_from_slice(&h.to_be_bytes());
        at = p + 8;
    }
    bytes
}

#[test]
fn bombs_and_unreadable_variants_are_named() {
    let bomb = claiming(heic("L_exif_xmp_iptc.heic"), 60_000, 60_000);
    let e = codec::inspect(&bomb, &Limits::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Limits);
    assert_eq!(
        e.to_string(),
        "image is 60000 × 60000 = 3600 MP, over the limit of 100 MP"
    );
    // 12-bit samples: the hvcC boxes say bit_depth_luma_minus8 = 4.
    let mut deep = heic("L_exif_xmp_iptc.heic");
    let boxes: Vec<usize> = deep
        .windows(4)
        .enumerate()
        .filter(|(_, x)| *x == b"hvcC")
        .map(|(i, _)| i + 4)
        .collect();
    for at in boxes {
        deep[at + 18] = 0xf8 | 4;
        deep[at + 19] = 0xf8 | 4;
    }
    let Err(e) = codec::decode(&deep, &Limits::default()) else {
        panic!("a 12-bit HEIC must not decode");
    };
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert_eq!(
        e.to_string(),
        "unsupported: This is a HEIC photo with 12-bit samples, which we can't read yet"
    );
    // AVIF and JPEG XL are named, not "damaged".
    let mut avif = heic("L_exif_xmp_iptc.heic");
    avif[8..12].copy_from_slice(b"avif");
    let e = codec::inspect(&avif, &Limits::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unsupported: This is an AVIF image, which we can't read yet"
    );
    let e = codec::inspect(b"\xff\x0a\xfa\x7f\x01\x90", &Limits::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unsupported: This is a JPEG XL image, which we can't read yet"
    );
}

#[test]
fn grid_with_a_missing_tile_fails() {
    // The grid's `dimg` reference lists 48 tiles; renaming one tile's item id leaves it missing.
    let mut pug = heic("pug.heic");
    let iref = pug.windows(4).position(|x| x == b"dimg").unwrap();
    // from_item_ID (2 bytes), reference_count (2), then the first tile's id (2): point it away.
    pug[iref + 8] = 0x7f;
    pug[iref + 9] = 0x7f;
    let e = codec::decode(&pug, &Limits::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
}
