//! The compression benchmark: bytes at equal SSIMULACRA2, ours against sharp. See ../README.md.
//!
//! ```text
//! compression-bench prepare WORK MAX_SIDE PHOTO...   reference frames → WORK/ref/NAME.png
//! compression-bench encode  WORK QUALITIES           our encoders → WORK/out/<encoder>/NAME.qNN.ext
//! compression-bench score   WORK                     SSIMULACRA2 of every output → WORK/scores.tsv
//! compression-bench table   WORK                     the Markdown tables
//! ```
//!
//! sharp's outputs (written by `sharp.mjs` into WORK/out/sharp-*/) are scored the same way: every
//! output is decoded by the engine's own decoder and compared with the reference frame.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use image::{imageops::FilterType, DynamicImage, RgbImage};
use rayon::prelude::*;
use retouch_engine::codec::{self, EncodeOptions, Limits};
use retouch_engine::contract::{ChromaSubsampling, Effort, Format, Quality};
use ssimulacra2::{compute_frame_ssimulacra2, ColorPrimaries, LinearRgb, Rgb, TransferCharacteristic};

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: compression-bench prepare|encode|score|table WORK ...";
    let (cmd, work) = match args.as_slice() {
        [cmd, work, ..] => (cmd.as_str(), PathBuf::from(work)),
        _ => return Err(usage.into()),
    };
    match cmd {
        "prepare" => {
            let max_side: u32 = args.get(2).ok_or(usage)?.parse()?;
            prepare(&work, max_side, &args[3..])
        }
        "encode" => {
            let qualities = args.get(2).ok_or(usage)?;
            let qualities: Vec<u8> = qualities
                .split(',')
                .map(str::parse)
                .collect::<Result<_, _>>()?;
            encode_all(&work, &qualities)
        }
        "score" => score_all(&work),
        "table" => {
            print!("{}", table(&work)?);
            Ok(())
        }
        _ => Err(usage.into()),
    }
}

/// Decodes each photo upright, scales it to fit `max_side` (Lanczos3; 0 = full size) and saves it
/// as a PNG: the pixels every encoder gets and every score is measured against.
fn prepare(work: &Path, max_side: u32, photos: &[String]) -> Res<()> {
    let dir = work.join("ref");
    fs::create_dir_all(&dir)?;
    for photo in photos {
        let bytes = fs::read(photo)?;
        let frame = codec::decode(&bytes, &Limits::default())?.frame.to_rgb8();
        let (w, h) = frame.dimensions();
        let frame = if max_side > 0 && w.max(h) > max_side {
            let s = f64::from(max_side) / f64::from(w.max(h));
            let (nw, nh) = (
                (f64::from(w) * s).round() as u32,
                (f64::from(h) * s).round() as u32,
            );
            image::imageops::resize(&frame, nw, nh, FilterType::Lanczos3)
        } else {
            frame
        };
        let name = Path::new(photo)
            .file_stem()
            .ok_or("photo without a name")?
            .to_string_lossy()
            .into_owned();
        frame.save(dir.join(format!("{name}.png")))?;
        eprintln!("ref {name}: {} × {}", frame.width(), frame.height());
    }
    Ok(())
}

/// One of our encoder settings.
struct Encoder {
    name: &'static str,
    /// Only with `ENCODERS=all` (slow, for reference).
    extra: bool,
    ext: &'static str,
    encode: fn(&RgbImage, u8) -> Res<Vec<u8>>,
}

const ENCODERS: &[Encoder] = &[
    Encoder {
        name: "retouch-jpeg",
        extra: false,
        ext: "jpg",
        encode: |f, q| engine(f, q, Format::Jpg, EncodeOptions::default()),
    },
    Encoder {
        name: "retouch-jpeg-max",
        extra: false,
        ext: "jpg",
        encode: |f, q| engine(f, q, Format::Jpg, MAX),
    },
    Encoder {
        name: "retouch-jpeg-max-progressive",
        extra: false,
        ext: "jpg",
        encode: |f, q| {
            let o = EncodeOptions {
                progressive: true,
                ..MAX
            };
            engine(f, q, Format::Jpg, o)
        },
    },
    Encoder {
        name: "retouch-jpeg-444",
        extra: false,
        ext: "jpg",
        encode: |f, q| {
            let o = EncodeOptions {
                chroma: Some(ChromaSubsampling::Full),
                ..EncodeOptions::default()
            };
            engine(f, q, Format::Jpg, o)
        },
    },
    Encoder {
        name: "jpeg-encoder",
        extra: false,
        ext: "jpg",
        encode: jpeg_encoder_old_default,
    },
    Encoder {
        name: "mozjpeg-rs-smallest",
        extra: true,
        ext: "jpg",
        encode: |f, q| {
            Ok(mozjpeg_rs::Encoder::new(mozjpeg_rs::Preset::ProgressiveSmallest)
                .quality(q)
                .subsampling(mozjpeg_rs::Subsampling::S420)
                .encode_rgb(f.as_raw(), f.width(), f.height())?)
        },
    },
    Encoder {
        name: "retouch-webp",
        extra: false,
        ext: "webp",
        encode: |f, q| engine(f, q, Format::Webp, EncodeOptions::default()),
    },
    Encoder {
        name: "retouch-webp-max",
        extra: false,
        ext: "webp",
        encode: |f, q| engine(f, q, Format::Webp, MAX),
    },
    Encoder {
        name: "libwebp-m4",
        extra: false,
        ext: "webp",
        encode: |f, q| libwebp(f, q, 4),
    },
];

/// The engine with `effort: "max"`.
const MAX: EncodeOptions = EncodeOptions {
    effort: Effort::Max,
    progressive: false,
    chroma: None,
};

/// The engine's own encoder (`retouch_engine::codec::encode_with`).
fn engine(frame: &RgbImage, q: u8, format: Format, options: EncodeOptions) -> Res<Vec<u8>> {
    let quality = Quality::new(q).ok_or("quality out of range")?;
    Ok(codec::encode_with(
        &DynamicImage::ImageRgb8(frame.clone()),
        format,
        quality,
        options,
    )?)
}

/// The engine's JPEG path before this benchmark: jpeg-encoder, standard Huffman tables, 4:2:0
/// below q90, 4:4:4 from q90.
fn jpeg_encoder_old_default(frame: &RgbImage, q: u8) -> Res<Vec<u8>> {
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, q);
    enc.set_sampling_factor(if q < 90 {
        jpeg_encoder::SamplingFactor::F_2_2
    } else {
        jpeg_encoder::SamplingFactor::F_1_1
    });
    enc.encode(
        frame.as_raw(),
        frame.width() as u16,
        frame.height() as u16,
        jpeg_encoder::ColorType::Rgb,
    )?;
    Ok(out)
}

fn libwebp(frame: &RgbImage, q: u8, method: u8) -> Res<Vec<u8>> {
    Ok(retouch_webp::encode_lossy(
        frame.as_raw(),
        frame.width(),
        frame.height(),
        retouch_webp::Channels::Rgb,
        f32::from(q),
        method,
    )?)
}

fn refs(work: &Path) -> Res<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for e in fs::read_dir(work.join("ref"))? {
        let p = e?.path();
        if p.extension().is_some_and(|e| e == "png") {
            let name = p.file_stem().ok_or("no name")?.to_string_lossy().into_owned();
            out.push((name, p));
        }
    }
    out.sort();
    Ok(out)
}

/// Encodes every reference with every encoder at every quality, one at a time (timed), and
/// appends `encoder \t photo \t q \t bytes \t ms` lines to WORK/times.tsv.
fn encode_all(work: &Path, qualities: &[u8]) -> Res<()> {
    let only: Option<Vec<String>> = std::env::var("ENCODERS")
        .ok()
        .map(|s| s.split(',').map(str::to_owned).collect());
    let mut log = String::new();
    for (name, path) in refs(work)? {
        let frame = image::open(&path)?.to_rgb8();
        for enc in ENCODERS {
            let chosen = match &only {
                Some(o) if o.iter().any(|n| n == "all") => true,
                Some(o) => o.iter().any(|n| n == enc.name),
                None => !enc.extra,
            };
            if !chosen {
                continue;
            }
            let dir = work.join("out").join(enc.name);
            fs::create_dir_all(&dir)?;
            for &q in qualities {
                let t = Instant::now();
                let bytes = (enc.encode)(&frame, q)?;
                let ms = t.elapsed().as_secs_f64() * 1e3;
                fs::write(dir.join(format!("{name}.q{q}.{}", enc.ext)), &bytes)?;
                writeln!(log, "{}\t{name}\t{q}\t{}\t{ms:.2}", enc.name, bytes.len())?;
            }
        }
        eprintln!("encoded {name}");
    }
    fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(work.join("times.tsv"))?
        .write_all(log.as_bytes())?;
    Ok(())
}

fn linear(frame: &RgbImage) -> Res<LinearRgb> {
    let data = frame
        .pixels()
        .map(|p| p.0.map(|c| f32::from(c) / 255.0))
        .collect();
    let rgb = Rgb::new(
        data,
        frame.width() as usize,
        frame.height() as usize,
        TransferCharacteristic::SRGB,
        ColorPrimaries::BT709,
    )?;
    Ok(LinearRgb::try_from(rgb)?)
}

/// Scores every file under WORK/out against its reference: `encoder \t photo \t q \t bytes \t
/// ssimulacra2 \t mean absolute error` lines in WORK/scores.tsv (the error, per channel value, lets
/// `pillow_check.py` confirm that Pillow decodes the same pixels as our decoder).
fn score_all(work: &Path) -> Res<()> {
    type Job = (String, String, u8, PathBuf);
    let mut jobs = Vec::new();
    for e in fs::read_dir(work.join("out"))? {
        let dir = e?.path();
        if !dir.is_dir() {
            continue;
        }
        let encoder = dir.file_name().ok_or("no name")?.to_string_lossy().into_owned();
        for f in fs::read_dir(&dir)? {
            let f = f?.path();
            let stem = f.file_stem().ok_or("no name")?.to_string_lossy().into_owned();
            let Some((photo, q)) = stem.rsplit_once(".q") else {
                continue;
            };
            jobs.push((encoder.clone(), photo.to_owned(), q.parse::<u8>()?, f));
        }
    }
    jobs.sort();
    let mut lines = Vec::new();
    for (name, path) in refs(work)? {
        let reference = image::open(&path)?.to_rgb8();
        let lin = linear(&reference)?;
        // Identical files (the engine's default is one of the named settings) are scored once.
        let mut files: BTreeMap<Vec<u8>, Vec<&Job>> = BTreeMap::new();
        for job in jobs.iter().filter(|j| j.1 == name) {
            files.entry(fs::read(&job.3)?).or_default().push(job);
        }
        let files: Vec<(Vec<u8>, Vec<&Job>)> = files.into_iter().collect();
        let scored: Vec<Res<Vec<String>>> = files
            .par_iter()
            .map(|(bytes, jobs)| {
                let decoded = codec::decode(bytes, &Limits::default())?.frame.to_rgb8();
                let score = compute_frame_ssimulacra2(lin.clone(), linear(&decoded)?)?;
                let mae = reference
                    .as_raw()
                    .iter()
                    .zip(decoded.as_raw())
                    .map(|(a, b)| f64::from(a.abs_diff(*b)))
                    .sum::<f64>()
                    / reference.as_raw().len() as f64;
                Ok(jobs
                    .iter()
                    .map(|(encoder, photo, q, _)| {
                        format!(
                            "{encoder}\t{photo}\t{q}\t{}\t{score:.3}\t{mae:.4}",
                            bytes.len()
                        )
                    })
                    .collect())
            })
            .collect();
        for s in scored {
            lines.extend(s?);
        }
        eprintln!("scored {name}");
    }
    fs::write(work.join("scores.tsv"), lines.join("\n") + "\n")?;
    Ok(())
}

/// Per encoder, photo: quality → (bytes, score).
type Curves = BTreeMap<String, BTreeMap<String, BTreeMap<u8, (f64, f64)>>>;

fn read_scores(work: &Path) -> Res<Curves> {
    let mut c = Curves::new();
    for line in fs::read_to_string(work.join("scores.tsv"))?.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            continue;
        }
        c.entry(f[0].to_owned())
            .or_default()
            .entry(f[1].to_owned())
            .or_default()
            .insert(f[2].parse()?, (f[3].parse()?, f[4].parse()?));
    }
    Ok(c)
}

/// ln(bytes) `curve` needs to reach `score`, interpolated linearly between the two qualities that
/// bracket it (scores sorted ascending); None outside the curve's range.
fn log_bytes_at(curve: &BTreeMap<u8, (f64, f64)>, score: f64) -> Option<f64> {
    let mut pts: Vec<(f64, f64)> = curve.values().map(|&(b, s)| (s, b.ln())).collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    pts.windows(2).find_map(|w| {
        let ((s0, b0), (s1, b1)) = (w[0], w[1]);
        (s0 <= score && score <= s1).then(|| {
            if s1 - s0 < 1e-9 {
                b0
            } else {
                b0 + (b1 - b0) * (score - s0) / (s1 - s0)
            }
        })
    })
}

/// Geometric mean of ours/theirs bytes at our score, per quality of ours and over all; counts
/// the (photo, quality) points inside their range.
fn ratios(ours: &Curves, enc: &str, theirs: &str) -> (BTreeMap<u8, f64>, f64, usize, usize) {
    let (Some(a), Some(b)) = (ours.get(enc), ours.get(theirs)) else {
        return (BTreeMap::new(), f64::NAN, 0, 0);
    };
    let mut per_q: BTreeMap<u8, Vec<f64>> = BTreeMap::new();
    let mut total = 0;
    for (photo, curve) in a {
        let Some(other) = b.get(photo) else { continue };
        for (&q, &(bytes, score)) in curve {
            total += 1;
            if let Some(lb) = log_bytes_at(other, score) {
                per_q.entry(q).or_default().push(bytes.ln() - lb);
            }
        }
    }
    let all: Vec<f64> = per_q.values().flatten().copied().collect();
    let gm = |v: &[f64]| (v.iter().sum::<f64>() / v.len() as f64).exp();
    (
        per_q.iter().map(|(q, v)| (*q, gm(v))).collect(),
        if all.is_empty() { f64::NAN } else { gm(&all) },
        all.len(),
        total,
    )
}

fn read_times(work: &Path) -> BTreeMap<String, f64> {
    let mut t = BTreeMap::new();
    for line in fs::read_to_string(work.join("times.tsv"))
        .unwrap_or_default()
        .lines()
    {
        let f: Vec<&str> = line.split('\t').collect();
        if let (Some(name), Some(ms)) = (f.first(), f.get(4).and_then(|s| s.parse::<f64>().ok())) {
            *t.entry((*name).to_owned()).or_default() += ms;
        }
    }
    t
}

fn table(work: &Path) -> Res<String> {
    let c = read_scores(work)?;
    let times = read_times(work);
    let qualities: Vec<u8> = c
        .values()
        .flat_map(|p| p.values().flat_map(|q| q.keys().copied()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let photos = c.values().map(BTreeMap::len).max().unwrap_or(0);
    let mut s = String::new();
    for (format, ext, peers) in [
        ("JPEG", "jpeg", &["sharp-jpeg", "sharp-mozjpeg"][..]),
        ("WebP", "webp", &["sharp-webp"][..]),
    ] {
        let encoders: Vec<&String> = c
            .keys()
            .filter(|k| k.contains(ext))
            .collect();
        writeln!(s, "\n### {format}: mean bytes / mean SSIMULACRA2 over {photos} photos\n")?;
        write!(s, "| encoder |")?;
        for q in &qualities {
            write!(s, " q{q} |")?;
        }
        writeln!(s, " encode ms (native, all photos × qualities) |")?;
        writeln!(s, "|---|{}---:|", "---:|".repeat(qualities.len()))?;
        for e in &encoders {
            write!(s, "| {e} |")?;
            for q in &qualities {
                let pts: Vec<(f64, f64)> = c[*e].values().filter_map(|p| p.get(q).copied()).collect();
                if pts.is_empty() {
                    write!(s, " |")?;
                    continue;
                }
                let n = pts.len() as f64;
                let kb = pts.iter().map(|p| p.0).sum::<f64>() / n / 1024.0;
                let score = pts.iter().map(|p| p.1).sum::<f64>() / n;
                write!(s, " {kb:.0} KiB / {score:.1} |")?;
            }
            match times.get(*e) {
                Some(ms) => writeln!(s, " {ms:.0} |")?,
                None => writeln!(s, " (sharp.mjs) |")?,
            }
        }
        writeln!(
            s,
            "\n**Bytes of ours / bytes of the peer at equal SSIMULACRA2** (geometric mean over photos; \
             the peer's bytes interpolated along its quality curve at our score; below 1: ours is smaller)\n"
        )?;
        write!(s, "| encoder | vs |")?;
        for q in &qualities {
            write!(s, " at our q{q} |")?;
        }
        writeln!(s, " **all** | points |")?;
        writeln!(s, "|---|---|{}---:|---:|", "---:|".repeat(qualities.len()))?;
        for e in encoders.iter().filter(|e| !e.starts_with("sharp")) {
            for peer in peers {
                let (per_q, all, n, total) = ratios(&c, e, peer);
                write!(s, "| {e} | {peer} |")?;
                for q in &qualities {
                    match per_q.get(q) {
                        Some(r) => write!(s, " {r:.3} |")?,
                        None => write!(s, " – |")?,
                    }
                }
                writeln!(s, " **{all:.3}** | {n}/{total} |")?;
            }
        }
    }
    Ok(s)
}
