//! The native engine on the cases of `tests/wasm/native.test.mjs`, for comparing the wasm package's
//! output with native output.
//!
//! Reads a JSON array of cases from stdin — `{"input": PATH, "toolCalls": [...], "options": {...},
//! "output": PATH}` — runs each through [`Job::run`] exactly as the wasm `process` does, writes the
//! encoded result to `output`, and prints one JSON line per case: `{"width", "height", "format",
//! "size"}` or `{"kind", "message"}`.
//!
//! ```text
//! echo '[{"input":"a.jpg","toolCalls":[],"options":null,"output":"/tmp/a.jpg"}]' |
//!   cargo run --release -p retouch-wasm --example native_reference
//! ```

use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;

use retouch_engine::contract::{parse_options_from_value, tool_calls_from_value};
use retouch_engine::pipeline::{ImageInput, Job};
use retouch_engine::Error;
use serde_json::{json, Value};

fn main() {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("native_reference: cannot read stdin: {e}");
        std::process::exit(2);
    }
    let cases: Vec<Value> = match serde_json::from_str(&text) {
        Ok(Value::Array(cases)) => cases,
        _ => {
            eprintln!("native_reference: expected a JSON array of cases on stdin");
            std::process::exit(2);
        }
    };
    for case in &cases {
        let line = match run(case) {
            Ok(line) => line,
            Err(e) => json!({"kind": e.kind().as_str(), "message": e.to_string()}),
        };
        println!("{line}");
    }
}

fn run(case: &Value) -> Result<Value, Error> {
    let field = |name: &str| case.get(name).and_then(Value::as_str).unwrap_or_default();
    let input = Path::new(field("input"));
    let bytes =
        std::fs::read(input).map_err(|e| Error::Decode(format!("{}: {e}", input.display())))?;
    let job = Job {
        tool_calls: tool_calls_from_value(case.get("toolCalls").unwrap_or(&Value::Null))?,
        options: parse_options_from_value(case.get("options").unwrap_or(&Value::Null))?,
        limits: Default::default(),
    };
    let name = input
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("image");
    let image = ImageInput {
        bytes: &bytes,
        name,
        id: None,
        tags: &[],
    };
    let out = job.run(&image, &mut |_| ControlFlow::Continue(()))?;
    std::fs::write(field("output"), &out.bytes)
        .map_err(|e| Error::Encode(format!("{}: {e}", field("output"))))?;
    Ok(json!({
        "width": out.width,
        "height": out.height,
        "format": out.format.extension(),
        "size": out.bytes.len(),
        "name": out.name,
    }))
}
