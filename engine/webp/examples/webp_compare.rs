//! Native side of the WebP encoder comparison (the wasm side is tests/bench/webp/compare.mjs):
//! time, bytes and PSNR of libwebp at methods 2/3/4 against vaam-image-webp, q80, on each photo.
//!
//! ```text
//! cargo run --release -p retouch-webp --example webp_compare -- OUT_DIR IMAGE...
//! ```
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::Instant;

use retouch_webp::{encode_lossy, Channels};

const QUALITY: u8 = 80;

fn vaam(rgb: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = image_webp::WebPEncoder::new(&mut out);
    let mut params = image_webp::EncoderParams::default();
    params.use_lossy = true;
    params.lossy_quality = QUALITY;
    encoder.set_params(params);
    encoder
        .encode(rgb, width, height, image_webp::ColorType::Rgb8)
        .unwrap();
    out
}

/// CPU time of this thread (ns, from /proc; 0 elsewhere): the machine is shared, so wall time
/// alone over-counts whatever else runs.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn psnr(webp: &[u8], source: &[u8]) -> f64 {
    let back = image::load_from_memory_with_format(webp, image::ImageFormat::WebP)
        .unwrap()
        .to_rgb8();
    let sum: u64 = back
        .as_raw()
        .iter()
        .zip(source)
        .map(|(&a, &b)| u64::from(a.abs_diff(b)).pow(2))
        .sum();
    10.0 * (255.0 * 255.0 / (sum as f64 / source.len() as f64)).log10()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (out_dir, images) = args
        .split_first()
        .expect("usage: webp_compare OUT_DIR IMAGE...");
    std::fs::create_dir_all(out_dir).unwrap();
    type Encoder = Box<dyn Fn(&[u8], u32, u32) -> Vec<u8>>;
    let mut encoders: Vec<(String, Encoder)> = vec![("vaam-image-webp".into(), Box::new(vaam))];
    for method in [2, 3, 4] {
        encoders.push((
            format!("libwebp m{method}"),
            Box::new(move |rgb, w, h| {
                encode_lossy(rgb, w, h, Channels::Rgb, f32::from(QUALITY), method).unwrap()
            }),
        ));
    }
    for image in images {
        let rgb = image::open(image).unwrap().to_rgb8();
        let (w, h) = rgb.dimensions();
        let runs = if w * h > 8_000_000 { 3 } else { 5 };
        println!("\n{image} {w}×{h} (native, q{QUALITY}, 1 warm-up + median of {runs})");
        println!("encoder          wall ms  cpu ms     bytes   PSNR dB");
        for (name, encode) in &encoders {
            let mut out = encode(&rgb, w, h);
            let (mut wall, mut cpu) = (Vec::new(), Vec::new());
            for _ in 0..runs {
                let (start, start_cpu) = (Instant::now(), cpu_ns());
                out = encode(&rgb, w, h);
                wall.push(start.elapsed().as_secs_f64() * 1e3);
                cpu.push((cpu_ns() - start_cpu) as f64 / 1e6);
            }
            let stem = Path::new(image).file_stem().unwrap().to_string_lossy();
            let slug = name.replace(' ', "-");
            std::fs::write(
                Path::new(out_dir).join(format!("{stem}.native.{slug}.webp")),
                &out,
            )
            .unwrap();
            let (wall, cpu) = (median(wall), median(cpu));
            let (bytes, db) = (out.len(), psnr(&out, &rgb));
            println!("{name:16} {wall:8.0} {cpu:7.0} {bytes:9}   {db:.2}");
        }
    }
}
