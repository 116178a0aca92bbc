//! The photographer's options end to end: `maxBytes`, `neverLarger`, `metadata`/`keepGps`, and
//! ICC colour conversion. Outputs are read back with independent readers: exiftool (Debian's
//! `libimage-exiftool-perl`) for metadata, Pillow's ImageCms (littleCMS) as the colour reference.
//! `scripts/setup.sh` installs both.

#![allow(clippy::unwrap_used)]

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::path::{Path, PathBuf};

use retouch_engine::codec::metadata::{self, Metadata};
use retouch_engine::contract::Format;
use retouch_engine::pipeline::Output;
use retouch_engine::Result;
use serde_json::Value;

fn run(bytes: &[u8], calls: &str, options: &str) -> Result<Output> {
    fixtures::run_job(bytes, "photo.jpg", calls, options)
}

fn scratch(name: &str) -> PathBuf {
    fixtures::scratch("photo_options", name)
}

/// Every tag exiftool finds, as `group:tag` → value (numbers unconverted).
fn exiftool(path: &Path) -> serde_json::Map<String, Value> {
    let json: Value = serde_json::from_str(&fixtures::tool(
        "exiftool",
        &["-j", "-n", "-G1", "-a", path.to_str().unwrap()],
    ))
    .unwrap();
    json[0].as_object().unwrap().clone()
}

/// A shared photo, shrunk, with GPS, Artist, Copyright, Orientation 6, XMP and IPTC written by
/// exiftool: the fixture is made at test time, so no photo with a location is committed.
fn tagged_photo() -> Vec<u8> {
    let path = scratch("tagged.jpg");
    if !path.exists() {
        let small = run(
            &fixtures::read("GreenMeadow.jpg"),
            r#"[{"tool":"resize","params":{"width":320}}]"#,
            "{}",
        )
        .unwrap();
        std::fs::write(&path, small.bytes).unwrap();
        fixtures::tool(
            "exiftool",
            &[
                "-q",
                "-overwrite_original",
                "-n",
                "-EXIF:Orientation=6",
                "-EXIF:Artist=Jo Rust",
                "-EXIF:Copyright=(c) 2026 Jo Rust",
                "-EXIF:Make=TestCam",
                "-GPSLatitude=48.8566",
                "-GPSLatitudeRef=N",
                "-GPSLongitude=2.3522",
                "-GPSLongitudeRef=E",
                "-XMP-dc:Creator=Jo Rust",
                "-XMP-dc:Rights=(c) 2026 Jo Rust",
                "-XMP-dc:Subject=meadow",
                "-XMP-exif:GPSLatitude=48.8566",
                "-XMP-exif:GPSLongitude=2.3522",
                "-IPTC:By-line=Jo Rust",
                "-IPTC:CopyrightNotice=(c) 2026 Jo Rust",
                "-IPTC:City=Paris",
                path.to_str().unwrap(),
            ],
        );
    }
    std::fs::read(&path).unwrap()
}

fn has_prefix(tags: &serde_json::Map<String, Value>, needle: &str) -> bool {
    tags.keys().any(|k| k.contains(needle))
}

#[test]
fn metadata_policies_read_back_with_exiftool() {
    let input = tagged_photo();
    let source = exiftool(&scratch("tagged.jpg"));
    assert!(has_prefix(&source, "GPSLatitude") && source["IFD0:Orientation"] == 6);
    for format in ["jpg", "png", "webp"] {
        for policy in ["strip", "keep", "keepGps", "copyright"] {
            let options = match policy {
                "keepGps" => {
                    format!(r#"{{"outputFormat":"{format}","metadata":"keep","keepGps":true}}"#)
                }
                p => format!(r#"{{"outputFormat":"{format}","metadata":"{p}"}}"#),
            };
            let out = run(&input, "[]", &options).unwrap();
            assert_eq!((out.width, out.height), (256, 320), "upright");
            let path = scratch(&format!("out-{policy}.{format}"));
            std::fs::write(&path, &out.bytes).unwrap();
            let tags = exiftool(&path);
            let what = format!("{format} {policy}: {tags:?}");
            let gps = has_prefix(&tags, "GPS");
            let artist = tags.get("IFD0:Artist").and_then(Value::as_str);
            let creator = tags.get("XMP-dc:Creator").and_then(Value::as_str);
            match policy {
                "strip" => {
                    assert!(!gps && artist.is_none() && creator.is_none(), "{what}");
                    assert!(
                        !has_prefix(&tags, "IFD0:") && !has_prefix(&tags, "XMP"),
                        "{what}"
                    );
                }
                "keep" | "keepGps" => {
                    assert_eq!(gps, policy == "keepGps", "{what}");
                    assert_eq!(artist, Some("Jo Rust"), "{what}");
                    assert_eq!(tags["IFD0:Make"], "TestCam", "{what}");
                    assert_eq!(tags["IFD0:Orientation"], 1, "{what}");
                    assert_eq!(creator, Some("Jo Rust"), "{what}");
                    assert!(has_prefix(&tags, "XMP-dc:Subject"), "{what}");
                    if format == "jpg" {
                        assert_eq!(tags["IPTC:City"], "Paris", "{what}");
                    }
                }
                _ => {
                    assert!(!gps, "{what}");
                    assert_eq!(artist, Some("Jo Rust"), "{what}");
                    assert_eq!(tags["IFD0:Copyright"], "(c) 2026 Jo Rust", "{what}");
                    assert_eq!(creator, Some("Jo Rust"), "{what}");
                    assert!(tags.contains_key("XMP-dc:Rights"), "{what}");
                    assert!(!tags.contains_key("IFD0:Make"), "{what}");
                    assert!(!tags.contains_key("IFD0:Orientation"), "{what}");
                    assert!(!tags.contains_key("XMP-dc:Subject"), "{what}");
                    if format == "jpg" {
                        assert_eq!(tags["IPTC:By-line"], "Jo Rust", "{what}");
                        assert!(!tags.contains_key("IPTC:City"), "{what}");
                    }
                }
            }
        }
    }
}

#[test]
fn every_shared_photo_fits_in_200_kb() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures::images_dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".jpg") || n.ends_with(".webp"))
        .collect();
    names.sort();
    // Two threads: the search makes several encodes per photo, slow in a debug build.
    let half = names.len().div_ceil(2);
    std::thread::scope(|scope| {
        for part in names.chunks(half) {
            scope.spawn(move || {
                for name in part {
                    let input = fixtures::read(name);
                    let out = run(&input, "[]", r#"{"maxBytes":200000}"#)
                        .unwrap_or_else(|e| panic!("{name}: {e}"));
                    assert!(out.bytes.len() <= 200_000, "{name}: {}", out.bytes.len());
                    eprintln!(
                        "{name}: {} bytes, quality {:?}, scale {:.2}, {} × {}, kept input {}",
                        out.bytes.len(),
                        out.quality,
                        out.scale,
                        out.width,
                        out.height,
                        out.kept_input
                    );
                    assert!(out.kept_input || out.quality.is_some_and(|q| q >= 40));
                    assert!(out.scale <= 1.0);
                }
            });
        }
    });
}

#[test]
fn lossless_that_cannot_fit_is_target_unreachable() {
    let e = run(
        &fixtures::read("GreenMeadow.jpg"),
        "[]",
        r#"{"outputFormat":"png","maxBytes":2000}"#,
    )
    .unwrap_err();
    assert_eq!(e.kind(), retouch_engine::ErrorKind::TargetUnreachable);
}

#[test]
fn never_larger_keeps_the_input_without_its_metadata() {
    let input = tagged_photo();
    // Orientation 6: re-encoding changes the stored pixels, so the input cannot stand in.
    let upright = run(&input, "[]", r#"{"quality":100}"#).unwrap();
    assert!(!upright.kept_input);
    // An upright input re-encoded at quality 100 would grow: the input is kept.
    let plain = fixtures::read("GreenMeadow.jpg");
    let out = run(&plain, "[]", r#"{"quality":100}"#).unwrap();
    assert!(out.kept_input && out.bytes.len() <= plain.len());
    assert!(metadata::read(&out.bytes).exif.is_none());
    // Off when asked, or when a tool call changes pixels.
    let off = run(&plain, "[]", r#"{"quality":100,"neverLarger":false}"#).unwrap();
    assert!(!off.kept_input && off.bytes.len() > plain.len());
    let edited = run(
        &plain,
        r#"[{"tool":"flip","params":{"direction":"horizontal"}}]"#,
        r#"{"quality":100}"#,
    )
    .unwrap();
    assert!(!edited.kept_input);
}

/// The reference: littleCMS through Pillow's ImageCms, perceptual intent, to sRGB.
fn lcms_to_srgb(input: &Path, output: &Path) {
    let script = "import io,sys\nfrom PIL import Image, ImageCms\n\
        im=Image.open(sys.argv[1])\n\
        icc=im.info['icc_profile']\nim=im.convert('RGB')\n\
        src=ImageCms.ImageCmsProfile(io.BytesIO(icc))\n\
        out=ImageCms.profileToProfile(im,src,ImageCms.createProfile('sRGB'),renderingIntent=0)\n\
        out.save(sys.argv[2])\n";
    // Debian's python3 with python3-pil (a pyenv python on PATH may lack Pillow).
    let python = std::env::var("RETOUCH_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
    fixtures::tool(
        &python,
        &[
            "-c",
            script,
            input.to_str().unwrap(),
            output.to_str().unwrap(),
        ],
    );
}

/// ΔE76 bound for our conversion against littleCMS, per fixture: mean and max.
const MEAN_DELTA_E: f64 = 0.5;
const MAX_DELTA_E: f64 = 3.0;

#[test]
fn icc_profiles_convert_to_srgb_like_littlecms() {
    let photo = run(
        &fixtures::read("LadyBird.jpg"),
        r#"[{"tool":"resize","params":{"width":320}}]"#,
        r#"{"outputFormat":"png"}"#,
    )
    .unwrap()
    .bytes;
    // Display P3 and Adobe RGB fixtures: the same pixels tagged with each profile (made here from
    // moxcms' standard profiles; the reference conversion is littleCMS's), and the shared
    // icc-profile.png with its real embedded profile.
    let mut cases = Vec::new();
    for (name, profile) in [
        ("display-p3", moxcms::ColorProfile::new_display_p3()),
        ("adobe-rgb", moxcms::ColorProfile::new_adobe_rgb()),
    ] {
        let meta = Metadata {
            icc: Some(profile.encode().unwrap()),
            ..Metadata::default()
        };
        cases.push((name, metadata::embed(photo.clone(), Format::Png, &meta)));
    }
    let shared = run(
        &fixtures::read("icc-profile.png"),
        r#"[{"tool":"resize","params":{"width":320}}]"#,
        r#"{"metadata":"keep"}"#,
    )
    .unwrap();
    assert!(
        metadata::read(&shared.bytes).icc.is_some(),
        "keep carries the profile"
    );
    cases.push(("icc-profile", shared.bytes));

    for (name, tagged) in cases {
        let src = scratch(&format!("{name}.png"));
        let reference = scratch(&format!("{name}-lcms.png"));
        std::fs::write(&src, &tagged).unwrap();
        lcms_to_srgb(&src, &reference);
        let ours = run(
            &tagged,
            "[]",
            r#"{"outputFormat":"png","neverLarger":false}"#,
        )
        .unwrap();
        assert!(
            metadata::read(&ours.bytes).icc.is_none(),
            "strip: sRGB, untagged"
        );
        let ours = image::load_from_memory(&ours.bytes).unwrap().to_rgb8();
        let theirs = image::open(&reference).unwrap().to_rgb8();
        let untouched = image::load_from_memory(&tagged).unwrap().to_rgb8();
        let (mean, max) = fixtures::delta_e76(ours.as_raw(), theirs.as_raw());
        let (mean0, _) = fixtures::delta_e76(untouched.as_raw(), theirs.as_raw());
        eprintln!("{name}: ΔE76 against littleCMS mean {mean:.3} max {max:.3} (unconverted: mean {mean0:.3})");
        assert!(
            mean <= MEAN_DELTA_E && max <= MAX_DELTA_E,
            "{name}: {mean} {max}"
        );
    }
}

#[test]
fn cmyk_jpeg_comes_out_in_the_right_colours() {
    // Pillow writes CMYK JPEGs the way Photoshop does (Adobe APP14, inverted); Pillow's own
    // reading is the reference.
    let src = scratch("cmyk.jpg");
    let reference = scratch("cmyk-pillow.png");
    let script = "import sys\nfrom PIL import Image\n\
        im=Image.new('RGB',(64,32),(200,40,30)); im.paste((30,120,220),(32,0,64,32))\n\
        im.convert('CMYK').save(sys.argv[1],quality=95)\n\
        Image.open(sys.argv[1]).convert('RGB').save(sys.argv[2])\n";
    let python = std::env::var("RETOUCH_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
    fixtures::tool(
        &python,
        &[
            "-c",
            script,
            src.to_str().unwrap(),
            reference.to_str().unwrap(),
        ],
    );
    let out = run(
        &std::fs::read(&src).unwrap(),
        "[]",
        r#"{"outputFormat":"png"}"#,
    )
    .unwrap();
    let ours = image::load_from_memory(&out.bytes).unwrap().to_rgb8();
    let theirs = image::open(&reference).unwrap().to_rgb8();
    let (mean, max) = fixtures::delta_e76(ours.as_raw(), theirs.as_raw());
    eprintln!("CMYK JPEG: ΔE76 against Pillow mean {mean:.3} max {max:.3}");
    assert!(mean <= MEAN_DELTA_E && max <= MAX_DELTA_E, "{mean} {max}");
}
