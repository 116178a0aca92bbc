//! # Retouch engine
//!
//! The pure-Rust image core of Retouch: decoding with limits ([`codec`]), every pixel operation
//! ([`ops`]) and the [`pipeline`] that applies a job of tool calls to one image with progress and
//! cancellation. The tool-call [`contract`] it executes is the `retouch-contract` crate, re-exported
//! here; the command parser is `retouch-parse`, and the `retouch` command is `retouch-cli`.
//!
//! ```
//! use retouch_engine::contract::{parse_tool_calls, tool_calls_to_json};
//! let calls = parse_tool_calls(r#"[{"tool":"flip","params":{"direction":"horizontal"}}]"#)?;
//! assert_eq!(tool_calls_to_json(&calls)[0]["applyToAll"], true);
//! # Ok::<(), retouch_engine::Error>(())
//! ```

pub use retouch_contract as contract;
/// Inside the engine, `crate::error::…` names the contract's error type.
use retouch_contract::error;
pub use retouch_contract::naming;
pub use retouch_contract::{Error, ErrorKind, Result};

pub mod codec;
pub mod ops;
pub mod pipeline;
