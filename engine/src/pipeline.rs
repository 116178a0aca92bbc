//! The pipeline: one image through a job's tool calls, with progress and cancellation.

use std::ops::ControlFlow;

use crate::codec::finish::{self, Finish, KeepInput};
use crate::codec::metadata::{self, Metadata, MetadataMode, MetadataPolicy};
use crate::codec::{self, color, DamageLevel, EncodeOptions, InputFormat, Limits};
use crate::contract::{
    Direction, FailOn, Format, JobOptions, MaxBytes, MetadataOption, Pixels, Quality, Tool,
    ToolCall,
};
use crate::error::{Error, Result};
use crate::naming::{output_name, output_tags};
use crate::ops;

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
    /// The quality the encoder used (JPEG, WebP), after any `maxBytes` search; `None` for PNG
    /// and when the input was kept.
    pub quality: Option<u8>,
    /// The scale applied to meet `maxBytes`: 1 when the size was kept.
    pub scale: f32,
    /// Whether the input's own bytes were kept (`neverLarger`) because the re-encode was larger.
    pub kept_input: bool,
    /// What people should know about this result: that the input was damaged and accepted
    /// (`failOn` below its level), for example. Empty for an intact input.
    pub warnings: Vec<String>,
}

impl Output {
    /// The file name: [`Output::name`] plus the format's extension, e.g. `beach-1200w.webp`.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.name, self.format.extension())
    }
}

impl Job {
    /// Runs the job on one image. `on_progress` is called at every step; returning
    /// `ControlFlow::Break(())` cancels the job with [`Error::Cancelled`] before the next step.
    ///
    /// The steps are: decode (the limits are checked first), each tool call that applies to this
    /// image, fitting inside `maxWidth` × `maxHeight` when set, and encode; a last report with
    /// `fraction` 1 says the image is done. A `generate_with_llm` call that applies fails the job
    /// with [`Error::NeedsGenerative`] before anything is decoded.
    ///
    /// The output format is `options.outputFormat`, else the last `convert_format` call's, else
    /// the input's (GIF and BMP become PNG). The quality is `options.quality`, else the last
    /// quality a `convert_format` or `adjust_quality` call gives (`adjust_quality` defaults to 80),
    /// else 90.
    ///
    /// ```no_run
    /// use std::ops::ControlFlow;
    /// use retouch_engine::contract::parse_tool_calls;
    /// use retouch_engine::pipeline::{ImageInput, Job};
    /// let job = Job {
    ///     tool_calls: parse_tool_calls(r#"[{"tool":"convert_format","params":{"format":"webp"}}]"#)?,
    ///     ..Job::default()
    /// };
    /// let bytes = std::fs::read("beach.jpg")?;
    /// let input = ImageInput { bytes: &bytes, name: "beach.jpg", id: None, tags: &[] };
    /// let out = job.run(&input, &mut |p| {
    ///     eprintln!("{:>3.0}% {}", p.fraction * 100.0, p.message);
    ///     ControlFlow::Continue(())
    /// })?;
    /// assert_eq!(out.file_name(), "beach-edited.webp");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run(
        &self,
        input: &ImageInput<'_>,
        on_progress: &mut dyn FnMut(&Progress) -> ControlFlow<()>,
    ) -> Result<Output> {
        let calls: Vec<(usize, &ToolCall)> = self
            .tool_calls
            .iter()
            .enumerate()
            .filter(|(_, c)| c.applies_to(input.id))
            .collect();
        if let Some((step, prompt)) = calls.iter().find_map(|(i, c)| match &c.tool {
            Tool::GenerateWithLlm(p) => Some((*i, p.prompt.as_str().to_owned())),
            _ => None,
        }) {
            return Err(Error::NeedsGenerative { step, prompt });
        }

        let fit = match (self.options.max_width, self.options.max_height) {
            (None, None) => None,
            (w, h) => Some((w.map(Pixels::get), h.map(Pixels::get))),
        };
        let mut progress = Reporter {
            step: 0,
            steps: calls.len() + 2 + usize::from(fit.is_some()),
            on_progress,
        };

        let header = codec::open(input.bytes, &self.limits)?;
        let info = header.info();
        progress.report(format!(
            "Decoding {} × {} {}",
            info.width, info.height, info.format
        ))?;
        let damage = codec::check_integrity(input.bytes, info.format);
        let decoded = match shrink_target(&calls, fit, info) {
            Some(min) => header.decode_at_least(input.bytes, min),
            None => header.decode(),
        };
        // A damaged file's own story beats the decoder's ("unexpected end of file").
        let decoded = match (decoded, &damage) {
            (Err(Error::Decode(_)), Some(d)) => return Err(Error::Decode(d.to_string())),
            (decoded, _) => decoded?,
        };
        let damage = damage.map(|d| match d.level {
            DamageLevel::Truncated => {
                let missing = codec::missing_rows(&decoded.frame, decoded.info.orientation);
                d.with_missing_rows(missing)
            }
            _ => d,
        });
        let mut warnings = Vec::new();
        if let Some(d) = damage {
            if fails(self.options.fail_on.unwrap_or_default(), d.level) {
                return Err(Error::Decode(d.to_string()));
            }
            warnings.push(format!("The input is damaged: {d}"));
        }
        let input_format = decoded.info.format;
        let mut frame = decoded.frame;
        let policy = self.metadata_policy();
        let source_meta = metadata::read(input.bytes);
        // Pixels go to sRGB unless the profile is carried over untouched (`metadata: keep`).
        if let (Some(icc), false) = (&source_meta.icc, policy.mode == MetadataMode::Keep) {
            color::to_srgb(&mut frame, icc);
        }
        let input_size = (
            decoded.info.width,
            decoded.info.height,
            decoded.info.orientation,
        );

        for (_, call) in &calls {
            progress.report(describe(&call.tool))?;
            frame = ops::apply(frame, &call.tool)?;
        }
        if let Some((w, h)) = fit {
            progress.report(match (w, h) {
                (Some(w), Some(h)) => format!("Fitting inside {w} × {h}"),
                (Some(w), None) => format!("Fitting inside {w} px wide"),
                (_, h) => format!("Fitting inside {} px high", h.unwrap_or_default()),
            })?;
            frame = ops::fit_inside(frame, w, h)?;
        }

        let applied: Vec<ToolCall> = calls.iter().map(|(_, c)| (*c).clone()).collect();
        let format = self.output_format(&applied, input_format);
        let quality = self.quality(&applied);
        progress.report(match format {
            Format::Png => "Encoding PNG".to_owned(),
            lossy => format!("Encoding {} q{}", format_name(lossy), quality.get()),
        })?;
        let out_meta = source_meta.filtered(policy);
        let pixels_unchanged = applied
            .iter()
            .all(|c| matches!(c.tool, Tool::ConvertFormat(_) | Tool::AdjustQuality(_)));
        let same_shape = input_size == (frame.width(), frame.height(), 1)
            && input_format.default_output() == format
            && matches!(
                input_format,
                InputFormat::Jpeg | InputFormat::Png | InputFormat::Webp
            )
            // CMYK input is always converted to sRGB (there is no CMYK output): never kept.
            && !color::is_cmyk_jpeg(input.bytes);
        // A damaged input is never handed back as the result, whatever `neverLarger` says.
        let keep_input = (same_shape
            && warnings.is_empty()
            && self.options.never_larger.unwrap_or(pixels_unchanged))
        .then(|| KeepInput {
            bytes: input.bytes,
            // The kept pixels are still in the input's profile.
            metadata: Metadata {
                icc: source_meta.icc.clone(),
                ..out_meta.clone()
            },
        });
        let done = finish::finish(
            &frame,
            &Finish {
                format,
                quality,
                max_bytes: self.options.max_bytes.map(MaxBytes::get),
                min_quality: self
                    .options
                    .min_quality
                    .map_or(DEFAULT_MIN_QUALITY, Quality::get),
                keep_input,
                metadata: out_meta,
                encode: EncodeOptions {
                    effort: self.options.effort.unwrap_or_default(),
                    progressive: self.options.progressive.unwrap_or(false),
                    chroma: self.options.chroma_subsampling,
                },
            },
        )?;
        // The work is done: a cancel at this point changes nothing.
        let _ = progress.finish();

        Ok(Output {
            bytes: done.bytes,
            width: done.width,
            height: done.height,
            format,
            name: output_name(input.name, &applied),
            tags: output_tags(input.tags),
            quality: done.quality,
            scale: done.scale,
            kept_input: done.kept_input,
            warnings,
        })
    }

    /// `options.metadata` and `options.keepGps` as a policy.
    fn metadata_policy(&self) -> MetadataPolicy {
        MetadataPolicy {
            mode: match self.options.metadata.unwrap_or_default() {
                MetadataOption::Strip => MetadataMode::Strip,
                MetadataOption::Keep => MetadataMode::Keep,
                MetadataOption::Copyright => MetadataMode::Copyright,
            },
            keep_gps: self.options.keep_gps.unwrap_or(false),
        }
    }

    /// `options.outputFormat` > the last applied `convert_format` > the input's format.
    fn output_format(&self, applied: &[ToolCall], input: InputFormat) -> Format {
        self.options
            .output_format
            .or_else(|| {
                applied.iter().rev().find_map(|c| match &c.tool {
                    Tool::ConvertFormat(p) => Some(p.format),
                    _ => None,
                })
            })
            .unwrap_or_else(|| input.default_output())
    }

    /// `options.quality` > the last quality a `convert_format`/`adjust_quality` call gives > 90.
    fn quality(&self, applied: &[ToolCall]) -> Quality {
        self.options
            .quality
            .or_else(|| {
                applied.iter().rev().find_map(|c| match &c.tool {
                    Tool::ConvertFormat(p) => p.quality,
                    Tool::AdjustQuality(p) => Some(
                        p.quality
                            .unwrap_or(Quality::saturating(ADJUST_QUALITY_DEFAULT.into())),
                    ),
                    _ => None,
                })
            })
            .unwrap_or(Quality::saturating(DEFAULT_QUALITY.into()))
    }
}

/// The smallest upright size the decoded frame needs when the job starts with a downscale: a
/// `resize` to a width and/or height as the first step, or no step and a `maxWidth`/`maxHeight`
/// fit. A frame at least this large in each dimension (0 = any) gives the same result after the
/// resize, for every fit mode, so the decoder may shrink on load.
fn shrink_target(
    calls: &[(usize, &ToolCall)],
    fit: Option<(Option<u32>, Option<u32>)>,
    info: &codec::ImageInfo,
) -> Option<(u32, u32)> {
    match calls.first().map(|(_, c)| &c.tool) {
        Some(Tool::Resize(p)) if p.scale.is_none() && (p.width.is_some() || p.height.is_some()) => {
            Some((
                p.width.map_or(0, Pixels::get),
                p.height.map_or(0, Pixels::get),
            ))
        }
        None => {
            let (w, h) = fit?;
            let (iw, ih) = (f64::from(info.width), f64::from(info.height));
            let s = w
                .map_or(1.0, |w| f64::from(w) / iw)
                .min(h.map_or(1.0, |h| f64::from(h) / ih))
                .min(1.0);
            Some(((iw * s).ceil() as u32, (ih * s).ceil() as u32))
        }
        Some(_) => None,
    }
}

/// Whether damage of `level` fails the image under `fail_on` (sharp's order: each level fails
/// on its own damage and that of the levels before it).
fn fails(fail_on: FailOn, level: DamageLevel) -> bool {
    match fail_on {
        FailOn::None => false,
        FailOn::Truncated => level == DamageLevel::Truncated,
        FailOn::Error => level >= DamageLevel::Error,
        FailOn::Warning => true,
    }
}

/// The lowest quality a `maxBytes` search may use, when `minQuality` is not set.
const DEFAULT_MIN_QUALITY: u8 = 40;
/// Quality when nothing sets one.
const DEFAULT_QUALITY: u8 = 90;
/// `adjust_quality` without a quality.
const ADJUST_QUALITY_DEFAULT: u8 = 80;

/// Counts steps and forwards reports, turning a `Break` into [`Error::Cancelled`].
struct Reporter<'a> {
    step: usize,
    steps: usize,
    on_progress: &'a mut dyn FnMut(&Progress) -> ControlFlow<()>,
}

impl Reporter<'_> {
    /// Reports the start of the next step; `Err(Cancelled)` if the caller asks to stop.
    fn report(&mut self, message: String) -> Result<()> {
        let p = Progress {
            step: self.step,
            steps: self.steps,
            fraction: self.step as f32 / self.steps as f32,
            message,
        };
        self.step += 1;
        match (self.on_progress)(&p) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(Error::Cancelled),
        }
    }

    /// The last report: everything done.
    fn finish(&mut self) -> ControlFlow<()> {
        (self.on_progress)(&Progress {
            step: self.steps - 1,
            steps: self.steps,
            fraction: 1.0,
            message: "Done".to_owned(),
        })
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Jpg => "JPEG",
        Format::Png => "PNG",
        Format::Webp => "WebP",
    }
}

/// What a step does, for people.
fn describe(tool: &Tool) -> String {
    match tool {
        Tool::Resize(p) => match (p.width, p.height, p.scale) {
            (_, _, Some(s)) => format!("Resizing to {}%", (s.get() * 100.0).round()),
            (Some(w), Some(h), _) => format!("Resizing to {w} × {h}"),
            (Some(w), None, _) => format!("Resizing to {w} px wide"),
            (None, Some(h), _) => format!("Resizing to {h} px high"),
            (None, None, None) => "Resizing".to_owned(),
        },
        Tool::Rotate(p) => format!("Rotating {}°", p.degrees.get()),
        Tool::Flip(p) => match p.direction {
            Direction::Horizontal => "Mirroring left to right".to_owned(),
            Direction::Vertical => "Flipping upside down".to_owned(),
        },
        Tool::Crop(_) => "Cropping".to_owned(),
        Tool::ConvertFormat(p) => format!("Converting to {}", format_name(p.format)),
        Tool::AdjustQuality(p) => format!(
            "Setting quality {}",
            p.quality.map_or(ADJUST_QUALITY_DEFAULT, Quality::get)
        ),
        Tool::ApplyFilter(p) => match serde_json::to_value(p.filter) {
            Ok(serde_json::Value::String(name)) => format!("Applying the {name} filter"),
            _ => "Applying a filter".to_owned(),
        },
        Tool::AddBorder(_) => "Adding a border".to_owned(),
        Tool::AddText(_) => "Adding text".to_owned(),
        Tool::Adjust(_) => "Adjusting colours".to_owned(),
        Tool::GenerateWithLlm(_) => "Generating".to_owned(),
    }
}
