//! The Retouch backend on Cloudflare Workers.
//!
//! The browser does the pixels; this worker does what needs a server: who the user is (JWT),
//! turning a plain-language command into tool calls (an LLM, checked strictly, with the engine's
//! deterministic parser as the fallback), sessions with live progress (a Durable Object per
//! session streaming Server-Sent Events), and signed uploads of results into R2.
//!
//! The modules at the top are pure logic and build natively (`cargo test -p retouch-worker`);
//! the HTTP layer, the Durable Objects and the bindings live in `app` and build for wasm32 only.

pub mod error;
pub mod generative;
pub mod headers;
pub mod image_probe;
pub mod jwt;
pub mod keyring;
pub mod llm;
pub mod log;
pub mod metrics;
pub mod origin;
pub mod ratelimit;
pub mod request;
pub mod route;
pub mod s3;
pub mod session;
pub mod signing;
pub mod sse;
pub mod upload;

#[cfg(target_arch = "wasm32")]
mod app;
