//! The bad-input matrix (engine/tests/bad_input/cases.rs) as one batch through the `retouch`
//! command: the bad files fail alone, each with its message, and every good file still has an
//! output.

#![allow(clippy::unwrap_used)]

#[path = "../../tests/bad_input/cases.rs"]
mod cases;
#[path = "../../tests/fixtures/mod.rs"]
mod fixtures;

use std::path::Path;

use cases::{matrix, Expect};

/// In a batch, the good files still succeed: the `retouch` CLI over the whole matrix.
#[test]
fn in_a_batch_the_good_files_still_succeed() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad-input-batch");
    let _ = std::fs::remove_dir_all(&dir);
    let (inputs, outputs) = (dir.join("in"), dir.join("out"));
    std::fs::create_dir_all(&inputs).unwrap();
    let cases = matrix();
    let mut files = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let path = inputs.join(format!("{i:03}-{}", c.name));
        std::fs::write(&path, &c.bytes).unwrap();
        files.push(path);
    }
    let ops = dir.join("ops.json");
    std::fs::write(&ops, r#"[{"tool":"resize","params":{"width":16}}]"#).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_retouch"))
        .arg("edit")
        .arg("--ops")
        .arg(&ops)
        .arg("-o")
        .arg(&outputs)
        .args(&files)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "some fail, so exit 1:\n{stderr}"
    );
    assert!(
        !stderr.contains("internal"),
        "a panic cost an image:\n{stderr}"
    );
    let written = std::fs::read_dir(&outputs).unwrap().count();
    let must = cases.iter().filter(|c| c.expect == Expect::Ok).count();
    assert!(
        written >= must,
        "{written} outputs, but {must} inputs must succeed:\n{stderr}"
    );
    for (i, c) in cases
        .iter()
        .enumerate()
        .filter(|(_, c)| c.expect == Expect::Ok)
    {
        let stem = format!("{i:03}-{}", c.name);
        let stem = stem
            .rsplit_once('.')
            .map_or(stem.as_str(), |(s, _)| s)
            .to_owned();
        let found = std::fs::read_dir(&outputs)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(&stem));
        assert!(found, "{} has no output in the batch:\n{stderr}", c.name);
    }
}
