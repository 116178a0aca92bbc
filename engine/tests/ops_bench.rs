//! Timings of the hot operations on a 17.9 MP frame (the benchmark photo's size), printed, never
//! asserted (speed is judged in benchmarks, not tests). Run natively with:
//!
//! `cargo test --release -p retouch-engine --test ops_bench -- --ignored --nocapture`
//!
//! `OPS_BENCH_ONLY=blur` times only the operations whose name contains `blur`, and
//! `OPS_BENCH_RUNS=1` runs each once (for `valgrind --tool=callgrind` instruction counts).
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use image::{DynamicImage, RgbImage};
use retouch_engine::contract::parse_tool_calls;
use retouch_engine::ops;

fn frame() -> DynamicImage {
    // Photo-sized, with gradients and texture; blur and LUT costs do not depend on content.
    let img = RgbImage::from_fn(5640, 3172, |x, y| {
        image::Rgb([(x / 22) as u8, (y / 13) as u8, ((x ^ y) & 0xff) as u8])
    });
    DynamicImage::ImageRgb8(img)
}

fn time(name: &str, tool_json: &str) {
    if std::env::var("OPS_BENCH_ONLY").is_ok_and(|only| !name.contains(only.as_str())) {
        return;
    }
    let runs: usize = std::env::var("OPS_BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let calls = parse_tool_calls(tool_json).unwrap();
    let input = frame();
    let mut best = f64::MAX;
    for _ in 0..runs {
        let f = input.clone();
        let t = Instant::now();
        let out = ops::apply(f, &calls[0].tool).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        std::hint::black_box(out);
    }
    println!(
        "{name:<28} {:>7.1} ms (best of {runs}, 5640 × 3172 RGB)",
        best * 1e3
    );
}

#[test]
#[ignore = "benchmark: run with --release -- --ignored --nocapture"]
fn hot_operations() {
    time(
        "blur σ 5",
        r#"[{"tool":"apply_filter","params":{"filter":"blur"}}]"#,
    );
    time(
        "blur σ 20",
        r#"[{"tool":"apply_filter","params":{"filter":"blur","sigma":20}}]"#,
    );
    time(
        "sharpen",
        r#"[{"tool":"apply_filter","params":{"filter":"sharpen"}}]"#,
    );
    time(
        "grayscale",
        r#"[{"tool":"apply_filter","params":{"filter":"grayscale"}}]"#,
    );
    time(
        "adjust (LUT only)",
        r#"[{"tool":"adjust","params":{"brightness":10,"contrast":20,"gamma":1.2}}]"#,
    );
    time(
        "adjust (with saturation)",
        r#"[{"tool":"adjust","params":{"brightness":10,"saturation":30}}]"#,
    );
    time(
        "rotate 90",
        r#"[{"tool":"rotate","params":{"degrees":90}}]"#,
    );
    time(
        "resize to 1600 wide",
        r#"[{"tool":"resize","params":{"width":1600}}]"#,
    );
    time(
        "rotate 10 (free)",
        r#"[{"tool":"rotate","params":{"degrees":10}}]"#,
    );
}
