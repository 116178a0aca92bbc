//! Finishing an output: encoding under a byte budget, keeping the input when a re-encode would
//! only grow it, and writing the metadata the policy lets through.
//!
//! ```no_run
//! use retouch_engine::codec::finish::{finish, Finish};
//! use retouch_engine::codec::metadata::Metadata;
//! use retouch_engine::contract::{Format, Quality};
//! # let frame = image::DynamicImage::new_rgb8(1, 1);
//! let done = finish(&frame, &Finish {
//!     format: Format::Jpg,
//!     quality: Quality::saturating(85),
//!     max_bytes: Some(200_000),
//!     min_quality: 40,
//!     keep_input: None,
//!     metadata: Metadata::default(),
//!     encode: Default::default(),
//! })?;
//! println!("q{:?} at {:.0}%", done.quality, done.scale * 100.0);
//! # Ok::<(), retouch_engine::Error>(())
//! ```

use image::DynamicImage;

use super::metadata::{self, Metadata};
use super::size_target::{self, Target};
use super::EncodeOptions;
use crate::contract::{Format, Quality};
use crate::error::{Error, Result};
use crate::ops;

/// How to finish one output.
#[derive(Debug, Clone)]
pub struct Finish<'a> {
    /// The output format.
    pub format: Format,
    /// The quality asked for (JPEG and WebP).
    pub quality: Quality,
    /// The byte budget, if any.
    pub max_bytes: Option<u64>,
    /// The lowest quality the budget search may use before scaling down.
    pub min_quality: u8,
    /// The input's bytes, when they may be kept instead of a larger re-encode (`neverLarger`,
    /// and the input has this format and the frame's size).
    pub keep_input: Option<KeepInput<'a>>,
    /// The metadata to write (already filtered by the policy).
    pub metadata: Metadata,
    /// How JPEG and WebP are written beyond their quality.
    pub encode: EncodeOptions,
}

/// The input as a candidate to keep.
#[derive(Debug, Clone)]
pub struct KeepInput<'a> {
    /// The input file.
    pub bytes: &'a [u8],
    /// Metadata to write into it instead of its own (its own may hold what the policy removes).
    pub metadata: Metadata,
}

/// A finished output.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// The file.
    pub bytes: Vec<u8>,
    /// The quality used, for JPEG and WebP.
    pub quality: Option<u8>,
    /// The scale applied to meet `max_bytes` (1 when none).
    pub scale: f32,
    /// Width and height of the pixels written.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Whether the input's bytes were kept (with the policy's metadata) because the re-encode
    /// was larger.
    pub kept_input: bool,
}

/// Encodes `frame` as `finish` says; see the module docs.
pub fn finish(frame: &DynamicImage, finish: &Finish<'_>) -> Result<Finished> {
    let lossy = finish.format != Format::Png;
    let (width, height) = (frame.width(), frame.height());
    let mut done = match finish.max_bytes {
        None => Finished {
            bytes: metadata::embed(
                super::encode_with(frame, finish.format, finish.quality, finish.encode)?,
                finish.format,
                &finish.metadata,
            ),
            quality: lossy.then_some(finish.quality.get()),
            scale: 1.0,
            width,
            height,
            kept_input: false,
        },
        Some(max) => {
            let overhead = metadata::embed(Vec::new(), finish.format, &finish.metadata).len();
            let budget = usize::try_from(max).unwrap_or(usize::MAX);
            let target = Target {
                max_bytes: budget.saturating_sub(finish.metadata.len() + overhead + 64),
                min_quality: finish.min_quality,
                quality: finish.quality.get(),
                lossy,
            };
            let mut size = (width, height);
            let fitted = size_target::fit(&target, |q, scale| {
                let q = Quality::saturating(q.into());
                if scale >= 1.0 {
                    size = (width, height);
                    return super::encode_with(frame, finish.format, q, finish.encode);
                }
                let w = ((width as f32 * scale).round() as u32).max(1);
                let small = ops::fit_inside(frame.clone(), Some(w), None)?;
                size = (small.width(), small.height());
                super::encode_with(&small, finish.format, q, finish.encode)
            })?;
            let bytes = metadata::embed(fitted.bytes, finish.format, &finish.metadata);
            if bytes.len() as u64 > max {
                return Err(Error::TargetUnreachable(format!(
                    "the metadata alone leaves no room for the picture in {max} bytes"
                )));
            }
            Finished {
                bytes,
                quality: lossy.then_some(fitted.quality),
                scale: fitted.scale,
                width: size.0,
                height: size.1,
                kept_input: false,
            }
        }
    };
    if let Some(keep) = &finish.keep_input {
        if done.scale >= 1.0 && done.bytes.len() > keep.bytes.len() {
            let kept = metadata::embed(keep.bytes.to_vec(), finish.format, &keep.metadata);
            if kept.len() < done.bytes.len() {
                done.bytes = kept;
                done.kept_input = true;
                done.quality = None;
            }
        }
    }
    Ok(done)
}
