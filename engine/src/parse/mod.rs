//! The deterministic command parser: plain language to tool calls, with no LLM.
//!
//! (Being written: issue 6.)

use crate::contract::ToolCall;

/// What the parser made of a command.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedCommand {
    /// The tool calls, in the order the command asked for them.
    pub tool_calls: Vec<ToolCall>,
    /// Fragments of the command that the parser could not place.
    pub unparsed: Vec<String>,
    /// Remarks for people, e.g. how an intensity word was read.
    pub notes: Vec<String>,
}

/// Parses a command into tool calls.
pub fn parse_command(command: &str) -> ParsedCommand {
    let text = command.trim();
    ParsedCommand {
        unparsed: if text.is_empty() {
            vec![]
        } else {
            vec![text.to_owned()]
        },
        ..ParsedCommand::default()
    }
}
