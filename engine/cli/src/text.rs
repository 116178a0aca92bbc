//! `retouch schema` and `retouch parse`: the contract and the command parser as text.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use retouch_engine::contract::{tool_calls_to_json, tool_schema};
use retouch_parse::parse_command;
use serde_json::json;

pub fn schema() -> ExitCode {
    match serde_json::to_string_pretty(&tool_schema()) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("retouch: cannot print the schema: {e}");
            ExitCode::from(1)
        }
    }
}

/// One command per line in, one JSON object per line out (blank lines included, so lines pair up).
pub fn parse_lines() -> ExitCode {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::stdout().lock();
    for line in stdin.lines() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("retouch: cannot read stdin: {e}");
                return ExitCode::from(2);
            }
        };
        let parsed = parse_command(&line);
        let object = json!({
            "toolCalls": tool_calls_to_json(&parsed.tool_calls),
            "unparsed": parsed.unparsed,
            "notes": parsed.notes,
        });
        if writeln!(out, "{object}").is_err() {
            // stdout closed (e.g. piped into `head`): stop quietly.
            return ExitCode::SUCCESS;
        }
    }
    ExitCode::SUCCESS
}
