//! The pipeline: one image through a job's tool calls, with progress and cancellation.

use std::ops::ControlFlow;

use crate::codec::Limits;
use crate::contract::{Format, JobOptions, ToolCall};
use crate::error::{Error, Result};

/// A job: the tool calls and options applied to every image, and the limits inputs must respect.
#[derive(Debug, Clone, Default)]
pub struct Job {
    /// The validated tool calls, in order.
    pub tool_calls: Vec<ToolCall>,
    /// Options for the whole job.
    pub options: JobOptions,
    /// Limits checked before decoding.
    pub limits: Limits,
}

/// One input image.
#[derive(Debug, Clone, Copy)]
pub struct ImageInput<'a> {
    /// The encoded file.
    pub bytes: &'a [u8],
    /// Its file name, used to name the output.
    pub name: &'a str,
    /// Its id, which `applyToAll: false` tool calls refer to.
    pub id: Option<&'a str>,
    /// Its tags; the output gets these plus `edited`.
    pub tags: &'a [String],
}

/// A progress report.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Zero-based index of the current step (decode and encode count as steps).
    pub step: usize,
    /// Number of steps.
    pub steps: usize,
    /// Overall fraction done, 0 to 1.
    pub fraction: f32,
    /// What is happening, for people: "Resizing to 1200 × 800".
    pub message: String,
}

/// The result for one image.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// The encoded file.
    pub bytes: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The format of `bytes`.
    pub format: Format,
    /// The output name without extension (see [`crate::naming`]).
    pub name: String,
    /// The input's tags plus `edited`.
    pub tags: Vec<String>,
}

impl Job {
    /// Runs the job on one image. `on_progress` is called at every step; returning
    /// `ControlFlow::Break(())` cancels the job with [`Error::Cancelled`] before the next step.
    pub fn run(
        &self,
        _input: &ImageInput<'_>,
        _on_progress: &mut dyn FnMut(&Progress) -> ControlFlow<()>,
    ) -> Result<Output> {
        Err(Error::Unsupported("the pipeline is being written".into()))
    }
}
