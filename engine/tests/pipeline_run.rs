//! The pipeline: steps and progress, cancellation, output format and quality, naming, and the
//! generative fail-fast.

#![allow(clippy::unwrap_used)]

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::ops::ControlFlow;

use image::{DynamicImage, ImageFormat, RgbImage};
use retouch_engine::codec::{decode, Limits};
use retouch_engine::contract::{parse_options, parse_tool_calls, Format};
use retouch_engine::pipeline::{ImageInput, Job, Output, Progress};
use retouch_engine::{Error, ErrorKind};

/// A 96 × 64 gradient as `format` bytes.
fn small(format: ImageFormat) -> Vec<u8> {
    let frame = DynamicImage::ImageRgb8(RgbImage::from_fn(96, 64, |x, y| {
        image::Rgb([(x * 2) as u8, (y * 3) as u8, 128])
    }));
    let mut out = std::io::Cursor::new(Vec::new());
    frame.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn job(calls: &str, options: &str) -> Job {
    Job {
        tool_calls: parse_tool_calls(calls).unwrap(),
        options: parse_options(options).unwrap(),
        limits: Limits::default(),
    }
}

fn run_named(
    job: &Job,
    bytes: &[u8],
    name: &str,
    id: Option<&str>,
) -> (Result<Output, Error>, Vec<Progress>) {
    let tags = vec!["beach".to_owned()];
    let input = ImageInput {
        bytes,
        name,
        id,
        tags: &tags,
    };
    let mut seen = Vec::new();
    let out = job.run(&input, &mut |p| {
        seen.push(p.clone());
        ControlFlow::Continue(())
    });
    (out, seen)
}

fn run(job: &Job, bytes: &[u8]) -> (Result<Output, Error>, Vec<Progress>) {
    run_named(job, bytes, "photo.png", None)
}

const TO_WEBP: &str = r#"[{"tool":"convert_format","params":{"format":"webp"}}]"#;

#[test]
fn progress_runs_from_zero_to_one_through_every_step() {
    let (out, seen) = run(&job(TO_WEBP, "{}"), &small(ImageFormat::Png));
    let out = out.unwrap();
    let messages: Vec<&str> = seen.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "Decoding 96 × 64 PNG",
            "Converting to WebP",
            "Encoding WebP q90",
            "Done"
        ]
    );
    assert!(seen.iter().all(|p| p.steps == 3));
    assert_eq!(
        seen.iter().map(|p| p.step).collect::<Vec<_>>(),
        [0, 1, 2, 2]
    );
    assert!(seen.windows(2).all(|w| w[0].fraction < w[1].fraction));
    assert_eq!((seen[0].fraction, seen[3].fraction), (0.0, 1.0));
    assert_eq!((out.width, out.height, out.format), (96, 64, Format::Webp));
    assert_eq!(
        decode(&out.bytes, &Limits::default())
            .unwrap()
            .frame
            .width(),
        96
    );
}

#[test]
fn cancel_stops_before_the_next_step() {
    let j = job(TO_WEBP, "{}");
    let bytes = small(ImageFormat::Png);
    for stop_at in 0..3 {
        let mut calls = 0;
        let input = ImageInput {
            bytes: &bytes,
            name: "a.png",
            id: None,
            tags: &[],
        };
        let err = j
            .run(&input, &mut |p| {
                calls += 1;
                if p.step == stop_at {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            })
            .unwrap_err();
        assert_eq!(err, Error::Cancelled);
        assert_eq!(calls, stop_at + 1, "no report after the cancel");
    }
}

#[test]
fn output_format_follows_options_then_the_last_conversion_then_the_input() {
    let png = small(ImageFormat::Png);
    let conv = r#"[{"tool":"convert_format","params":{"format":"jpg"}},{"tool":"convert_format","params":{"format":"webp"}}]"#;
    assert_eq!(run(&job(conv, "{}"), &png).0.unwrap().format, Format::Webp);
    assert_eq!(
        run(&job(conv, r#"{"outputFormat":"png"}"#), &png)
            .0
            .unwrap()
            .format,
        Format::Png
    );
    assert_eq!(run(&job("[]", "{}"), &png).0.unwrap().format, Format::Png);
    let jpeg = small(ImageFormat::Jpeg);
    assert_eq!(run(&job("[]", "{}"), &jpeg).0.unwrap().format, Format::Jpg);
    for other in [ImageFormat::Gif, ImageFormat::Bmp] {
        let out = run(&job("[]", "{}"), &small(other)).0.unwrap();
        assert_eq!(out.format, Format::Png, "{other:?}");
        assert!(out.bytes.starts_with(b"\x89PNG"));
    }
}

#[test]
fn quality_follows_options_then_the_last_step_then_90() {
    let png = small(ImageFormat::Png);
    let encoding = |calls: &str, options: &str| {
        let (_, seen) = run(&job(calls, options), &png);
        seen[seen.len() - 2].message.clone()
    };
    let webp = r#"{"outputFormat":"webp"}"#;
    assert_eq!(encoding("[]", webp), "Encoding WebP q90");
    assert_eq!(
        encoding(r#"[{"tool":"adjust_quality","params":{}}]"#, webp),
        "Encoding WebP q80"
    );
    assert_eq!(
        encoding(
            r#"[{"tool":"adjust_quality","params":{"quality":30}},{"tool":"convert_format","params":{"format":"jpg","quality":60}}]"#,
            "{}"
        ),
        "Encoding JPEG q60"
    );
    assert_eq!(
        encoding(
            r#"[{"tool":"adjust_quality","params":{"quality":30}}]"#,
            r#"{"outputFormat":"webp","quality":55}"#
        ),
        "Encoding WebP q55"
    );
    assert_eq!(
        encoding(
            r#"[{"tool":"adjust_quality","params":{"quality":30}}]"#,
            "{}"
        ),
        "Encoding PNG"
    );
    // The quality is really used: a lower one gives a smaller file.
    let size = |q: u8| {
        let o = format!(r#"{{"outputFormat":"jpg","quality":{q}}}"#);
        run(&job("[]", &o), &small(ImageFormat::Png))
            .0
            .unwrap()
            .bytes
            .len()
    };
    assert!(size(20) < size(95));
}

#[test]
fn outputs_are_named_and_tagged() {
    let calls = r#"[{"tool":"adjust_quality","params":{"quality":70}},{"tool":"convert_format","params":{"format":"webp"}}]"#;
    let out = run_named(
        &job(calls, "{}"),
        &small(ImageFormat::Png),
        "My Holiday.png",
        None,
    )
    .0
    .unwrap();
    assert_eq!(out.name, "My-Holiday-q70");
    assert_eq!(out.file_name(), "My-Holiday-q70.webp");
    assert_eq!(out.tags, ["beach", "edited"]);
}

#[test]
fn calls_for_other_images_are_skipped() {
    let calls = r#"[{"tool":"convert_format","params":{"format":"webp"},"applyToAll":false,"imageId":"img_2"}]"#;
    let j = job(calls, "{}");
    let png = small(ImageFormat::Png);
    let (out, seen) = run_named(&j, &png, "a.png", Some("img_1"));
    assert_eq!(out.unwrap().format, Format::Png);
    assert_eq!(seen[0].steps, 2);
    let (out, _) = run_named(&j, &png, "a.png", Some("img_2"));
    assert_eq!(out.unwrap().format, Format::Webp);
}

#[test]
fn generative_steps_fail_before_decoding() {
    let calls = r#"[{"tool":"convert_format","params":{"format":"webp"}},{"tool":"generate_with_llm","params":{"prompt":"remove the man"}}]"#;
    let (out, seen) = run(&job(calls, "{}"), b"not even an image");
    let err = out.unwrap_err();
    assert_eq!(
        err,
        Error::NeedsGenerative {
            step: 1,
            prompt: "remove the man".into()
        }
    );
    assert!(seen.is_empty());
    // For another image it does not apply, and the job runs.
    let only2 = r#"[{"tool":"generate_with_llm","params":{"prompt":"x"},"applyToAll":false,"imageId":"b"}]"#;
    assert!(run_named(
        &job(only2, "{}"),
        &small(ImageFormat::Png),
        "a.png",
        Some("a")
    )
    .0
    .is_ok());
}

#[test]
fn bad_input_and_limits_are_reported_as_such() {
    let (out, _) = run(&job("[]", "{}"), b"");
    assert_eq!(out.unwrap_err().kind(), ErrorKind::Decode);
    let mut j = job("[]", "{}");
    j.limits.max_pixels = 1000;
    let (out, seen) = run(&j, &small(ImageFormat::Png));
    assert_eq!(out.unwrap_err().kind(), ErrorKind::Limits);
    assert!(seen.is_empty(), "refused before the decode step starts");
}

#[test]
fn real_photo_with_orientation_goes_through() {
    let bytes = fixtures::read("Storm-exif-orientation-6.jpg");
    let (out, seen) = run_named(&job("[]", r#"{"quality":60}"#), &bytes, "Storm.jpg", None);
    let out = out.unwrap();
    assert_eq!(seen[0].message, "Decoding 1920 × 1280 JPEG");
    assert_eq!((out.width, out.height), (1920, 1280));
    let back = decode(&out.bytes, &Limits::default()).unwrap();
    assert_eq!((back.frame.width(), back.info.orientation), (1920, 1));
}

#[test]
fn pixel_steps_then_the_fit_box_shape_the_output() {
    let calls = r#"[{"tool":"rotate","params":{"degrees":90}},{"tool":"resize","params":{"width":32}},
                    {"tool":"flip","params":{"direction":"horizontal"}},{"tool":"apply_filter","params":{"filter":"grayscale"}}]"#;
    let (out, seen) = run(
        &job(calls, r#"{"maxHeight":40,"outputFormat":"png"}"#),
        &small(ImageFormat::Png),
    );
    let out = out.unwrap();
    let messages: Vec<&str> = seen.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "Decoding 96 × 64 PNG",
            "Rotating 90°",
            "Resizing to 32 px wide",
            "Mirroring left to right",
            "Applying the grayscale filter",
            "Fitting inside 40 px high",
            "Encoding PNG",
            "Done"
        ]
    );
    // 96 × 64 turned is 64 × 96, resized to 32 × 48, fitted into a height of 40.
    assert_eq!((out.width, out.height), (27, 40));
    assert_eq!(out.name, "photo-rot90-32w-mirrored-grayscale");
    let back = decode(&out.bytes, &Limits::default()).unwrap();
    assert_eq!((back.frame.width(), back.frame.height()), (27, 40));
    assert!(
        back.frame.as_luma8().is_some(),
        "grayscale stays one channel"
    );
}

#[test]
fn the_fit_box_never_enlarges() {
    let (out, seen) = run(
        &job("[]", r#"{"maxWidth":4000,"maxHeight":3000}"#),
        &small(ImageFormat::Png),
    );
    assert_eq!(seen[1].message, "Fitting inside 4000 × 3000");
    let out = out.unwrap();
    assert_eq!((out.width, out.height), (96, 64));
}

#[test]
fn an_operation_error_stops_the_job_with_its_kind() {
    let calls = r#"[{"tool":"crop","params":{"x":500,"y":0,"width":10,"height":10}}]"#;
    let (out, _) = run(&job(calls, "{}"), &small(ImageFormat::Png));
    let err = out.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidParams, "{err}");
}
