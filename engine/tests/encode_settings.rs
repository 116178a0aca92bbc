//! The encoder options `effort`, `progressive` and `chromaSubsampling` end to end: every
//! combination makes a file that our decoder and Pillow (libjpeg-turbo, libwebp; Debian's
//! `python3-pil`, installed by `scripts/setup.sh`) both read to the same pixels, and the JPEG
//! headers say what was asked.

#![allow(clippy::unwrap_used)]

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::Command;

use retouch_engine::codec::{decode, Limits};
use retouch_engine::contract::{parse_options, parse_tool_calls};
use retouch_engine::pipeline::{ImageInput, Job};

/// LadyBird.jpg cut to 400 × 250 px (a crop keeps debug builds quick), through the pipeline.
fn run(options: &str) -> Vec<u8> {
    let job = Job {
        tool_calls: parse_tool_calls(
            r#"[{"tool":"crop","params":{"x":1000,"y":650,"width":400,"height":250}}]"#,
        )
        .unwrap(),
        options: parse_options(options).unwrap(),
        limits: Limits::default(),
    };
    let bytes = fixtures::read("LadyBird.jpg");
    let input = ImageInput {
        bytes: &bytes,
        name: "photo.jpg",
        id: None,
        tags: &[],
    };
    job.run(&input, &mut |_| ControlFlow::Continue(()))
        .unwrap()
        .bytes
}

/// Mean absolute difference per channel value between Pillow's decode of `file` and `rgb`.
fn pillow_difference(file: &Path, rgb: &[u8]) -> f64 {
    let raw = file.with_extension("rgb");
    let python = std::env::var("RETOUCH_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
    let script = "import sys\nfrom PIL import Image\n\
        open(sys.argv[2],'wb').write(Image.open(sys.argv[1]).convert('RGB').tobytes())\n";
    let status = Command::new(&python)
        .args(["-c", script, file.to_str().unwrap(), raw.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success(), "Pillow could not read {}", file.display());
    let theirs = std::fs::read(&raw).unwrap();
    assert_eq!(theirs.len(), rgb.len(), "{}", file.display());
    let sum: u64 = theirs
        .iter()
        .zip(rgb)
        .map(|(a, b)| u64::from(a.abs_diff(*b)))
        .sum();
    sum as f64 / rgb.len() as f64
}

/// Whether the JPEG has the start-of-frame marker `sof` (0xC0 baseline, 0xC2 progressive) and
/// its chroma sampling factor (0x22 for 4:2:0, 0x11 for 4:4:4 on the first component).
fn jpeg_frame(bytes: &[u8]) -> (u8, u8) {
    let at = bytes
        .windows(2)
        .position(|w| w[0] == 0xFF && (w[1] == 0xC0 || w[1] == 0xC2))
        .unwrap();
    // FF Cn, length (2), precision, height (2), width (2), components, then id, sampling.
    (bytes[at + 1], bytes[at + 11])
}

#[test]
fn every_setting_reads_the_same_in_pillow_and_ours() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("encode_settings");
    std::fs::create_dir_all(&dir).unwrap();
    for format in ["jpg", "webp"] {
        for effort in ["fast", "max"] {
            for (progressive, chroma) in [(false, "420"), (true, "444"), (true, "420")] {
                let options = format!(
                    r#"{{"outputFormat":"{format}","quality":80,"effort":"{effort}",
                        "progressive":{progressive},"chromaSubsampling":"{chroma}"}}"#
                );
                let bytes = run(&options);
                let name = format!("{effort}-{progressive}-{chroma}.{format}");
                let ours = decode(&bytes, &Limits::default()).unwrap().frame.to_rgb8();
                assert_eq!(ours.dimensions(), (400, 250), "{name}");
                let file = dir.join(&name);
                std::fs::write(&file, &bytes).unwrap();
                let diff = pillow_difference(&file, ours.as_raw());
                eprintln!("{name}: {} bytes, Pillow vs ours {diff:.3}", bytes.len());
                // IDCT and chroma upsampling differ slightly between decoders; a misread
                // Huffman table or scan would differ by tens.
                assert!(
                    diff < 1.0,
                    "{name}: Pillow and our decoder differ by {diff:.2}"
                );
                if format == "jpg" {
                    let sof = if progressive { 0xC2 } else { 0xC0 };
                    let sampling = if chroma == "420" { 0x22 } else { 0x11 };
                    assert_eq!(jpeg_frame(&bytes), (sof, sampling), "{name}");
                }
            }
        }
    }
}

#[test]
fn max_effort_makes_smaller_files() {
    for format in ["jpg", "webp"] {
        let fast = run(&format!(r#"{{"outputFormat":"{format}","quality":80}}"#));
        let max = run(&format!(
            r#"{{"outputFormat":"{format}","quality":80,"effort":"max"}}"#
        ));
        assert!(
            max.len() < fast.len(),
            "{format}: max {} bytes, fast {}",
            max.len(),
            fast.len()
        );
    }
}

#[test]
fn default_chroma_is_420_below_97_and_444_from_97() {
    for (quality, sampling) in [(90, 0x22), (96, 0x22), (97, 0x11)] {
        let bytes = run(&format!(r#"{{"outputFormat":"jpg","quality":{quality}}}"#));
        assert_eq!(jpeg_frame(&bytes), (0xC0, sampling), "q{quality}");
    }
}
