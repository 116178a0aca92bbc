//! HEIC/HEIF for Retouch: the decoder ([`probe`], [`decode`], with the `decode` feature) and the
//! decoded-frame container ([`frame`]) that carries its output into the engine.
//!
//! Why the container: the base npm package must not grow by a HEVC decoder that most people never
//! need, so in the browser the decoder is a separate wasm module, loaded only when a file's first
//! bytes say HEIF. It decodes to a [`frame`] (upright 8-bit pixels plus the ICC profile, EXIF and
//! XMP) and the base engine opens that like any image file; natively the engine calls [`decode`]
//! directly. Both paths give the same pixels.
//!
//! Decoding uses heic-rs for the boxes and the HEVC pictures and does the rest here: grid tiles
//! are converted one by one into the output (never a second full-size YCbCr plane), `iovl`
//! overlays are composed, alpha planes are attached, and the YCbCr → RGB matrix and range come
//! from the file's `nclx` box, else from the HEVC stream's own video signal description (VUI:
//! iPhones and Xiaomi phones write full range, BT.601), else limited range BT.601, as libheif
//! reads them. heic-rs's own conversion assumes BT.709 limited range when the box is absent,
//! which makes every iPhone photo 8–14 levels too bright and too contrasty.

#[cfg(feature = "decode")]
mod decode;
mod error;
pub mod frame;
pub mod integrity;
#[cfg(feature = "decode")]
mod vui;

#[cfg(feature = "decode")]
pub use decode::{decode, metadata, probe, Image, Info, Metadata};
pub use error::{Error, Result};
