//! `retouch info`: header facts as JSON lines.

use std::path::Path;
use std::process::ExitCode;

use retouch_engine::codec::{inspect, ImageInfo, Limits};
use serde_json::{json, Value};

pub fn run(files: &[impl AsRef<Path>]) -> ExitCode {
    let mut failed = false;
    for file in files {
        let file = file.as_ref();
        let line = match std::fs::read(file) {
            Ok(bytes) => match inspect(&bytes, &Limits::default()) {
                Ok(info) => described(file, &info, bytes.len()),
                Err(e) => {
                    failed = true;
                    error(file, e.kind().as_str(), &e.to_string())
                }
            },
            Err(e) => {
                failed = true;
                error(file, "io", &format!("cannot read: {e}"))
            }
        };
        println!("{line}");
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn described(file: &Path, info: &ImageInfo, bytes: usize) -> Value {
    json!({
        "file": file.display().to_string(),
        "format": info.format.name().to_ascii_lowercase(),
        "width": info.width,
        "height": info.height,
        "orientation": info.orientation,
        "hasAlpha": info.has_alpha,
        "bytes": bytes,
    })
}

fn error(file: &Path, kind: &str, message: &str) -> Value {
    json!({"file": file.display().to_string(), "error": {"kind": kind, "message": message}})
}
