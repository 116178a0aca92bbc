//! The tool JSON Schema is what an LLM is shown: any change to it must be deliberate.
//!
//! On a difference this test fails and writes the new schema beside the snapshot
//! (`tool-schema.json.new`). `RETOUCH_UPDATE_SNAPSHOTS=1 cargo test --test schema_snapshot`
//! accepts the change by rewriting the snapshot, and still fails once so it is never silent.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

#[test]
fn tool_schema_matches_snapshot() {
    check_snapshot("tool-schema.json", &retouch_contract::tool_schema());
}

#[test]
fn job_options_schema_matches_snapshot() {
    check_snapshot(
        "job-options-schema.json",
        &retouch_contract::job_options_schema(),
    );
}

fn check_snapshot(name: &str, schema: &serde_json::Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    let actual = serde_json::to_string_pretty(schema).unwrap() + "\n";
    if std::env::var_os("RETOUCH_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        panic!(
            "snapshot rewritten at {}; run again without RETOUCH_UPDATE_SNAPSHOTS",
            path.display()
        );
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if actual != expected {
        let new = path.with_extension("json.new");
        std::fs::write(&new, &actual).unwrap();
        panic!(
            "the schema changed; compare {} with {}, and accept with RETOUCH_UPDATE_SNAPSHOTS=1",
            path.display(),
            new.display()
        );
    }
}

#[test]
fn every_tool_is_a_strict_function() {
    let tools = retouch_contract::tool_schema();
    let tools = tools.as_array().unwrap();
    assert_eq!(tools.len(), retouch_contract::TOOL_NAMES.len());
    for t in tools {
        let f = &t["function"];
        assert_eq!(t["type"], "function");
        assert!(!f["description"].as_str().unwrap().is_empty(), "{f}");
        assert_eq!(f["parameters"]["type"], "object", "{f}");
        assert_eq!(f["parameters"]["additionalProperties"], false, "{f}");
        assert!(
            !f.to_string().contains("\"null\""),
            "optional fields must not offer null: {f}"
        );
        assert!(
            !f.to_string().contains("$ref"),
            "schemas are inlined for small models: {f}"
        );
    }
}
