//! The fuzz targets as a stable `cargo test` harness: every seed in `corpus/<target>/seed-*`, every
//! crash fixture in `regressions/<target>/`, then seeded random mutations of them (bit flips,
//! truncations, byte runs, splices). `FUZZ_REPLAY_ITERS` sets the mutations per target (default
//! 3000); `FUZZ_REPLAY_SEED` the random seed. Also writes the seed files (tiny images of every
//! format, commands, tool calls) that `cargo fuzz run` starts from.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 4] = [
    ("decode_pipeline", retouch_engine_fuzz::decode_pipeline),
    ("decode_heif", retouch_engine_fuzz::decode_heif),
    ("tool_calls", retouch_engine_fuzz::tool_calls),
    ("parse_command", retouch_engine_fuzz::parse_command),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A small, colourful image with some transparency.
fn picture(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgba8(RgbaImage::from_fn(w, h, |x, y| {
        Rgba([
            (x * 37) as u8,
            (y * 23) as u8,
            ((x + y) * 11) as u8,
            128 + (x * 7) as u8,
        ])
    }))
}

fn encoded(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let img = match format {
        ImageFormat::Jpeg => DynamicImage::ImageRgb8(img.to_rgb8()),
        _ => img.clone(),
    };
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encodes");
    out.into_inner()
}

/// The seeds of each target, as (file name, bytes).
fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    match target {
        "decode_pipeline" => {
            let img = picture(12, 9);
            let formats = [
                ("png", ImageFormat::Png),
                ("jpg", ImageFormat::Jpeg),
                ("webp", ImageFormat::WebP),
                ("gif", ImageFormat::Gif),
                ("bmp", ImageFormat::Bmp),
            ];
            let mut out = Vec::new();
            for (ext, f) in formats {
                let file = encoded(&img, f);
                // No calls, default options.
                out.push((format!("seed-{ext}"), [&[0u8, 0][..], &file].concat()));
                // Two calls (resize by scale, rotate 30°) and PNG output.
                let calls = [1u8, 96, 0, 0, 0, 0, 0, 0, 2, 157, 0, 0, 0, 0, 0, 0];
                out.push((
                    format!("seed-{ext}-calls"),
                    [&[2u8][..], &calls, &[1], &file].concat(),
                ));
            }
            // Real JPEG layouts (progressive, restarts, subsampling, grey, CMYK with a profile) with
            // `maxWidth: 64` (options bit 0x04), so the reduced-scale decoder and the colour
            // conversion get fuzzed from files that reach their inner loops.
            for dir in ["shrink", "cmyk"] {
                let fixtures = files_in(&root().join("../tests/fixtures").join(dir));
                for (name, bytes) in fixtures.iter().filter(|(n, _)| n.ends_with(".jpg")) {
                    let stem = name.trim_end_matches(".jpg");
                    out.push((format!("seed-{dir}-{stem}"), [&[0u8, 0x04][..], bytes].concat()));
                }
            }
            out
        }
        "decode_heif" => {
            // The small shared HEIC photos (../shared/images/heic, beside the repository or one
            // of its ancestors): a cut file and a grey one.
            let dir = root()
                .ancestors()
                .map(|a| a.join("shared/images/heic"))
                .find(|p| p.is_dir());
            let mut out: Vec<(String, Vec<u8>)> = dir
                .map(|d| files_in(&d))
                .unwrap_or_default()
                .into_iter()
                .filter(|(n, b)| n.ends_with(".heic") && b.len() < 100_000)
                .map(|(n, b)| (format!("seed-{}", n.trim_end_matches(".heic")), b))
                .collect();
            let frame = retouch_heif::frame::write(&retouch_heif::frame::FrameRef {
                source: retouch_heif::frame::SOURCE_HEIF,
                width: 3,
                height: 2,
                channels: 4,
                icc: None,
                exif: Some(b"II*\0\x08\0\0\0\0\0"),
                xmp: None,
                damage: Some((true, "cut")),
                pixels: &[7; 24],
            });
            out.push(("seed-frame".into(), frame));
            out
        }
        "tool_calls" => [
            r##"[{"tool":"resize","params":{"width":800,"fit":"cover"}},{"tool":"rotate","params":{"degrees":-90,"background":"#fff"}}]"##,
            r#"[{"tool":"crop","params":{"aspectRatio":"16:9","gravity":"north"},"applyToAll":false,"imageId":"img_2"}]"#,
            r#"[{"tool":"add_text","params":{"text":"© Ana","fontSize":48,"color":"rgba(0,0,0,0.5)","position":"south-east"}}]"#,
            r#"[{"tool":"adjust","params":{"brightness":10,"contrast":-5.5,"hue":180,"gamma":2.2,"exposure":-1}},{"tool":"apply_filter","params":{"filter":"blur","sigma":2}}]"#,
            r#"[{"tool":"convert_format","params":{"format":"webp","quality":80}},{"tool":"generate_with_llm","params":{"prompt":"remove the car"}}]"#,
            r#"{"outputFormat":"jpg","quality":85,"maxWidth":1200,"maxHeight":900}"#,
        ]
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("seed-{i}"), s.as_bytes().to_vec()))
        .collect(),
        _ => [
            "make them black and white, 800 px wide, webp quality 80",
            "rotate 90 degrees clockwise and crop to a square",
            "brighten a bit, more contrast, add a 10px white border and the text \"© Ana 2026\" bottom right",
            "remove the person in the background and make the sky bluer",
            "flip horizontally, resize to 50%, sharpen, sepia, convert to png",
        ]
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("seed-{i}"), s.as_bytes().to_vec()))
        .collect(),
    }
}

/// Files in `dir` (none if it does not exist), sorted.
fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, fs::read(e.path()).expect("readable fixture"))
        })
        .collect();
    out.sort();
    out
}

/// xorshift64*: small, seeded and good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One random mutation of `input`, possibly spliced with `other`.
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = v.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                v[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                v[i] = [0, 0xff, 0x7f, 0x80, 1][rng.below(5)];
            }
            2 => v.truncate(rng.below(len + 1)),
            3 => {
                let at = rng.below(len + 1);
                let run = vec![rng.next() as u8; 1 + rng.below(64)];
                v.splice(at..at, run);
            }
            4 if len > 4 => {
                // An interesting 32-bit value (sizes, lengths) at a random place, big-endian.
                let i = rng.below(len - 4);
                let n: u32 = [0, 1, 0xffff, 0x7fff_ffff, 0xffff_ffff, 65_500][rng.below(6)];
                v[i..i + 4].copy_from_slice(&n.to_be_bytes());
            }
            5 if !other.is_empty() => {
                let cut = rng.below(len + 1);
                let from = rng.below(other.len());
                v.truncate(cut);
                v.extend_from_slice(&other[from..]);
            }
            _ => {
                let i = rng.below(len + 1);
                v.insert(i, rng.next() as u8);
            }
        }
    }
    v
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn seeds_regressions_and_mutations_never_break_a_promise() {
    let iters = env_number("FUZZ_REPLAY_ITERS", 3000);
    let seed = env_number("FUZZ_REPLAY_SEED", 0x5eed_2026);
    for (name, target) in TARGETS {
        let t0 = Instant::now();
        let corpus_dir = root().join("corpus").join(name);
        fs::create_dir_all(&corpus_dir).expect("corpus folder");
        for (file, bytes) in seeds(name) {
            let path = corpus_dir.join(file);
            if fs::read(&path).ok().as_deref() != Some(&bytes[..]) {
                fs::write(&path, &bytes).expect("seed written");
            }
        }
        // Seeds, whatever cargo fuzz added to the corpus, and the crash fixtures.
        let mut inputs = files_in(&corpus_dir);
        let regressions = files_in(&root().join("regressions").join(name));
        inputs.extend(regressions.iter().cloned());
        for (file, bytes) in &inputs {
            eprintln!("{name}: {file}");
            target(bytes);
        }
        let mut rng = Rng(seed ^ name.len() as u64);
        for i in 0..iters {
            let a = &inputs[rng.below(inputs.len())].1;
            let b = &inputs[rng.below(inputs.len())].1;
            let input = mutate(&mut rng, a, b);
            let run = std::panic::catch_unwind(|| target(&input));
            if run.is_err() {
                let dir = root().join("artifacts").join(name);
                fs::create_dir_all(&dir).expect("artifacts folder");
                let path = dir.join(format!("replay-crash-{seed:x}-{i}"));
                fs::write(&path, &input).expect("crash saved");
                panic!(
                    "{name}: mutation {i} broke a promise; input saved to {}",
                    path.display()
                );
            }
        }
        println!(
            "fuzz replay {name}: {} fixtures ({} regressions) + {iters} mutations in {:.1} s",
            inputs.len(),
            regressions.len(),
            t0.elapsed().as_secs_f64()
        );
    }
}
