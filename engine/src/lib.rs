//! # Retouch engine
//!
//! The pure-Rust core of Retouch: the tool-call [`contract`] that every part of the product shares,
//! the deterministic command [`parse`]r, and — behind the default `codecs` feature — decoding with
//! limits ([`codec`]), every pixel operation ([`ops`]) and the [`pipeline`] that applies a job to one
//! image with progress and cancellation.
//!
//! Without default features the crate is the contract and the parser only, with no image code: the
//! Cloudflare Worker links it that way.
//!
//! ```
//! use retouch_engine::contract::{parse_tool_calls, tool_calls_to_json};
//! let calls = parse_tool_calls(r#"[{"tool":"flip","params":{"direction":"horizontal"}}]"#)?;
//! assert_eq!(tool_calls_to_json(&calls)[0]["applyToAll"], true);
//! # Ok::<(), retouch_engine::Error>(())
//! ```

pub mod contract;
mod error;
pub mod naming;
pub mod parse;

#[cfg(feature = "codecs")]
pub mod codec;
#[cfg(feature = "codecs")]
pub mod ops;
#[cfg(feature = "codecs")]
pub mod pipeline;

pub use error::{Error, ErrorKind, Result};
