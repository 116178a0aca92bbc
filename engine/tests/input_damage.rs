//! Damaged inputs never become "successful" edits: a truncated or corrupt file fails with kind
//! `decode` and a message that says what is missing, unless `failOn` accepts it, and then the
//! result says so. Intact photos of every kind pass the checks.

#![allow(clippy::unwrap_used)]

#[path = "fixtures/mod.rs"]
mod fixtures;

use fixtures::{images_dir, read};
use retouch_engine::codec::{check_integrity, decode, encode_with, inspect, EncodeOptions, Limits};
use retouch_engine::contract::{Format, Quality};
use retouch_engine::pipeline::Output;
use retouch_engine::{ErrorKind, Result};

fn run(bytes: &[u8], calls: &str, options: &str) -> Result<Output> {
    fixtures::run_job(bytes, "Garden.jpg", calls, options)
}

#[test]
fn every_shared_photo_is_intact() {
    let mut checked = 0;
    for entry in std::fs::read_dir(images_dir()).unwrap() {
        let path = entry.unwrap().path();
        let Ok(bytes) = std::fs::read(&path) else {
            continue; // the heic/ folder
        };
        let Ok(info) = inspect(&bytes, &Limits::default()) else {
            continue; // README, scripts, HEIC
        };
        assert_eq!(
            check_integrity(&bytes, info.format),
            None,
            "{}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} photos checked");
}

#[test]
fn a_cut_photo_fails_and_says_how_much_is_missing() {
    // The interrupted download of the bug report: Garden.jpg cut to 200 KB of its 265 KB.
    let garden = read("Garden.jpg");
    let cut = &garden[..200_000];
    for options in [
        "{}",
        r#"{"failOn": "warning"}"#,
        r#"{"failOn": "truncated"}"#,
    ] {
        let err = run(cut, "[]", options).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{options}");
        let message = err.to_string();
        assert!(
            message.starts_with("cannot decode image: the file ends after 200 KB, in the middle"),
            "{message}"
        );
        let percent: f64 = message
            .split("about ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no percentage in {message:?}"));
        // The scan data is cut at 75 % of the file; the rows lost follow the bytes lost.
        assert!((10.0..=45.0).contains(&percent), "{message}");
    }
    // The same with a step that changes pixels, and at a reduced decode (shrink-on-load).
    let err = run(cut, r#"[{"tool":"resize","params":{"width":400}}]"#, "{}").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
}

#[test]
fn fail_on_none_edits_what_is_there_and_says_so() {
    let garden = read("Garden.jpg");
    let out = run(&garden[..200_000], "[]", r#"{"failOn": "none"}"#).unwrap();
    // Never the damaged input passed through as the result (`neverLarger` is on here).
    assert!(!out.kept_input);
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    assert!(
        out.warnings[0].starts_with("The input is damaged: the file ends after 200 KB"),
        "{:?}",
        out.warnings
    );
    let full = inspect(&garden, &Limits::default()).unwrap();
    assert_eq!((out.width, out.height), (full.width, full.height));
    // An intact photo has no warning.
    assert!(run(&garden, "[]", "{}").unwrap().warnings.is_empty());
}

#[test]
fn a_cut_progressive_jpeg_png_and_webp_fail_too() {
    let photo = decode(&read("FreshFlower.jpg"), &Limits::default())
        .unwrap()
        .frame
        .crop_imm(500, 300, 400, 300);
    let q = Quality::new(85).unwrap();
    let progressive = EncodeOptions {
        progressive: true,
        ..EncodeOptions::default()
    };
    for (format, options) in [
        (Format::Jpg, progressive),
        (Format::Png, EncodeOptions::default()),
        (Format::Webp, EncodeOptions::default()),
    ] {
        let bytes = encode_with(&photo, format, q, options).unwrap();
        let err = run(&bytes[..bytes.len() * 3 / 4], "[]", "{}").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{format:?}: {err}");
        assert!(
            err.to_string()
                .starts_with("cannot decode image: the file ends after"),
            "{format:?}: {err}"
        );
    }
}

#[test]
fn a_corrupt_png_chunk_fails_at_error_and_passes_at_truncated() {
    let mut png = read("transparent.png");
    let idat = png.windows(4).position(|w| w == b"IDAT").unwrap();
    png[idat + 10] ^= 0x01; // inside the compressed data: the CRC no longer matches
    let err = run(&png, "[]", r#"{"failOn": "error"}"#).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("IDAT chunk is corrupt"), "{err}");
    // `truncated` accepts corrupt data the decoder can still read; if the decoder cannot,
    // the failure still names the damage.
    match run(&png, "[]", r#"{"failOn": "truncated"}"#) {
        Ok(out) => assert!(out.warnings[0].contains("IDAT chunk is corrupt")),
        Err(e) => assert!(e.to_string().contains("IDAT chunk is corrupt"), "{e}"),
    }
}
