//! Encoders, one module per format. Each takes any of the four 8-bit layouts.

pub(super) mod jpeg;
pub(super) mod png;
pub(super) mod webp;
