//! The bad-input matrix: every class of hostile or unusual file people will feed Retouch, in every
//! format, through the whole pipeline (decode with limits → resize → rotate → encode).
//!
//! Classes: empty, truncated at several points, corrupt headers, wrong extension, headers claiming
//! huge sizes (decompression bombs), animated files, 1×1, 16-bit PNG, CMYK JPEG, grey+alpha,
//! embedded ICC profiles (real, garbage, truncated, hostile, or for the wrong colour space). Each input either gives a correct result (a readable file of the size the
//! pipeline reports) or the error kind its class allows; none panics; bombs are refused without
//! allocating (peak RSS checked); the `retouch` CLI's test runs them all as one batch
//! (engine/cli/tests/bad_input_batch.rs). The inputs are built in `bad_input/cases.rs`; the matrix is also written to
//! `$CARGO_TARGET_TMPDIR/bad-input-matrix/` (files + `manifest.json`) for the wasm package's test.

#![allow(clippy::unwrap_used)]

#[path = "bad_input/cases.rs"]
mod cases;
#[path = "fixtures/mod.rs"]
mod fixtures;

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use cases::{matrix, Case};
use retouch_engine::codec::{inspect, Limits};
use retouch_engine::contract::parse_tool_calls;
use retouch_engine::pipeline::{ImageInput, Job};
use retouch_engine::ErrorKind;

// ---------------------------------------------------------------- running

fn job() -> Job {
    Job {
        tool_calls: parse_tool_calls(
            r#"[{"tool":"resize","params":{"width":16}},{"tool":"rotate","params":{"degrees":90}}]"#,
        )
        .unwrap(),
        ..Job::default()
    }
}

/// Peak resident memory of this process in KiB (Linux), after resetting it when `reset`.
fn peak_rss_kib(reset: bool) -> Option<u64> {
    if reset {
        std::fs::write("/proc/self/clear_refs", "5").ok()?;
    }
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs one case: `Ok(None)` for a correct result, `Ok(Some((kind, message)))` for an error,
/// `Err` for a panic or a wrong result.
fn run(case: &Case, job: &Job) -> Result<Option<(ErrorKind, String)>, String> {
    let input = ImageInput {
        bytes: &case.bytes,
        name: &case.name,
        id: None,
        tags: &[],
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        job.run(&input, &mut |_| ControlFlow::Continue(()))
    }));
    match outcome {
        Err(_) => Err("panicked".into()),
        Ok(Err(e)) => {
            if e.to_string().trim().is_empty() {
                return Err("an error without a message".into());
            }
            Ok(Some((e.kind(), e.to_string())))
        }
        Ok(Ok(out)) => {
            let back = inspect(&out.bytes, &Limits::default())
                .map_err(|e| format!("unreadable output: {e}"))?;
            if (back.width, back.height) != (out.width, out.height) {
                return Err(format!(
                    "output is {}×{}, reported {}×{}",
                    back.width, back.height, out.width, out.height
                ));
            }
            Ok(None)
        }
    }
}

#[test]
fn every_input_gives_a_correct_result_or_its_specific_error() {
    let job = job();
    let cases = matrix();
    // The meter works: touching 64 MiB after a reset shows up as growth.
    if let Some(before) = peak_rss_kib(true) {
        let block = vec![1u8; 64 << 20];
        let after = peak_rss_kib(false).unwrap_or(before);
        assert!(
            after - before >= 60 << 10,
            "peak RSS meter: {before} → {after} KiB"
        );
        drop(std::hint::black_box(block));
    }
    let mut per_class: BTreeMap<&str, [usize; 4]> = BTreeMap::new(); // inputs, ok, decode, limits
    let mut problems = Vec::new();
    let mut worst_bomb_kib = 0;
    for case in &cases {
        let before = peak_rss_kib(case.class == "bomb");
        let result = run(case, &job);
        if case.class == "bomb" {
            if let (Some(before), Some(after)) = (before, peak_rss_kib(false)) {
                worst_bomb_kib = worst_bomb_kib.max(after.saturating_sub(before));
            }
        }
        let counts = per_class.entry(case.class).or_default();
        counts[0] += 1;
        match result {
            Err(why) => problems.push(format!("{}: {why}", case.name)),
            Ok(error) => {
                let kind = error.as_ref().map(|(k, _)| *k);
                counts[match kind {
                    None => 1,
                    Some(ErrorKind::Decode) => 2,
                    _ => 3,
                }] += 1;
                if !case.expect.allows(kind) {
                    problems.push(format!(
                        "{}: expected {}, got {}",
                        case.name,
                        case.expect.as_str(),
                        error.map_or("ok".into(), |(k, m)| format!("{k}: {m}"))
                    ));
                }
            }
        }
    }
    println!("bad-input matrix: {} inputs", cases.len());
    for (class, [n, ok, decode, limits]) in &per_class {
        println!("  {class:<16} {n:>4} inputs: {ok:>4} ok, {decode:>4} decode, {limits:>4} limits");
    }
    println!("  bombs: worst peak-RSS growth {worst_bomb_kib} KiB");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // A refused bomb allocates nothing pixel-sized: well under one 4096×4096 RGBA frame.
    assert!(
        worst_bomb_kib < 32 * 1024,
        "a bomb grew the peak RSS by {worst_bomb_kib} KiB"
    );
    export(&cases);
}

/// Writes the matrix for the wasm package's test: the files and `manifest.json`
/// (`[{file, class, expect}]`, `expect` one of ok, ok|decode, decode, limits, decode|limits).
fn export(cases: &[Case]) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad-input-matrix");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut manifest = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let file = format!("{i:03}-{}", c.name);
        std::fs::write(dir.join(&file), &c.bytes).unwrap();
        manifest.push(serde_json::json!({"file": file, "name": c.name, "class": c.class, "expect": c.expect.as_str()}));
    }
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
    println!("  exported to {}", dir.display());
}
