//! The `retouch` binary, run for real: a batch with one corrupt file, usage errors, info, schema,
//! parse.

#![allow(clippy::unwrap_used)]

#[path = "../../tests/fixtures/mod.rs"]
mod fixtures;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use image::{DynamicImage, ImageFormat, RgbImage};

/// A fresh, empty folder for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("retouch-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn retouch(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_retouch"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write_image(path: &Path, format: ImageFormat) {
    let frame = DynamicImage::ImageRgb8(RgbImage::from_fn(120, 80, |x, y| {
        image::Rgb([x as u8, y as u8, 200])
    }));
    frame.save_with_format(path, format).unwrap();
}

#[test]
fn a_batch_with_one_corrupt_file_writes_the_others_and_exits_1() {
    let dir = scratch("batch");
    write_image(&dir.join("meadow.png"), ImageFormat::Png);
    write_image(&dir.join("sky.jpg"), ImageFormat::Jpeg);
    std::fs::write(
        dir.join("broken.jpg"),
        b"\xff\xd8\xff\xe0 this is not really a jpeg",
    )
    .unwrap();
    std::fs::write(
        dir.join("ops.json"),
        r#"[{"tool":"convert_format","params":{"format":"webp","quality":70}}]"#,
    )
    .unwrap();

    let out = retouch(
        &[
            "edit",
            "--ops",
            "ops.json",
            "--max-width",
            "4000",
            "-o",
            "out",
            "meadow.png",
            "broken.jpg",
            "sky.jpg",
        ],
        &dir,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("broken.jpg: decode: cannot decode image")),
        "{stderr}"
    );
    assert!(
        !stderr.contains("meadow") && !stderr.contains('\r'),
        "no bar when stderr is not a terminal: {stderr}"
    );
    let written = text(&out.stdout);
    assert_eq!(written.lines().count(), 2, "{written}");
    for name in ["meadow-edited.webp", "sky-edited.webp"] {
        let bytes = std::fs::read(dir.join("out").join(name)).unwrap();
        let info = retouch_engine::codec::inspect(&bytes, &Default::default()).unwrap();
        assert_eq!(format!("{}", info.format), "WebP", "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn options_on_the_command_line_win() {
    let dir = scratch("options");
    write_image(&dir.join("a.png"), ImageFormat::Png);
    std::fs::write(
        dir.join("ops.json"),
        r#"[{"tool":"adjust_quality","params":{"quality":50}}]"#,
    )
    .unwrap();
    let out = retouch(
        &[
            "edit",
            "--ops",
            "ops.json",
            "--format",
            "jpeg",
            "--quality",
            "95",
            "-j",
            "1",
            "-o",
            "o",
            "a.png",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read(dir.join("o/a-q50.jpg"))
        .unwrap()
        .starts_with(&[0xff, 0xd8]));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors_exit_2_and_name_the_problem() {
    let dir = scratch("usage");
    std::fs::write(
        dir.join("ops.json"),
        r#"[{"tool":"resize","params":{"width":-5}}]"#,
    )
    .unwrap();
    let out = retouch(&["edit", "--ops", "ops.json", "-o", "out", "a.png"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(
            "ops.json: toolCalls[0].params.width: expected an integer from 1 to 16384, got -5"
        ),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.join("out").exists());
    let out = retouch(
        &["edit", "--ops", "missing.json", "-o", "out", "a.png"],
        &dir,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("missing.json: cannot read"));
    assert_eq!(retouch(&["nonsense"], &dir).status.code(), Some(2));
    for help in [
        &["--help"][..],
        &["edit", "--help"],
        &["info", "-h"],
        &["schema", "--help"],
        &["parse", "--help"],
    ] {
        let out = retouch(help, &dir);
        assert_eq!(out.status.code(), Some(0), "{help:?}");
        assert!(text(&out.stdout).contains("Usage:"), "{help:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn info_prints_json_lines() {
    let dir = scratch("info");
    std::fs::copy(
        fixtures::images_dir().join("Storm-exif-orientation-6.jpg"),
        dir.join("s.jpg"),
    )
    .unwrap();
    std::fs::write(dir.join("empty.png"), b"").unwrap();
    let out = retouch(&["info", "s.jpg", "empty.png"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines[0],
        serde_json::json!({"file": "s.jpg", "format": "jpeg", "width": 1920, "height": 1280, "orientation": 6, "hasAlpha": false, "bytes": 247_543})
    );
    assert_eq!(lines[1]["error"]["kind"], "decode");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn schema_and_parse() {
    let dir = std::env::temp_dir();
    let out = retouch(&["schema"], &dir);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema, retouch_engine::contract::tool_schema());

    let mut child = Command::new(env!("CARGO_BIN_EXE_retouch"))
        .arg("parse")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"make it black and white\n\nrotate 90\nSignificantly increase the lighting\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    // The parser with its intent model: it adds the brightness the rules miss.
    assert_eq!(
        lines[3],
        retouch_parse::parse_command("Significantly increase the lighting").to_json()
    );
    assert_eq!(
        lines[3]["toolCalls"][1]["params"]["brightness"], 20,
        "{}",
        lines[3]
    );
    for line in &lines {
        assert!(
            line["toolCalls"].is_array() && line["unparsed"].is_array() && line["notes"].is_array(),
            "{line}"
        );
    }
}
