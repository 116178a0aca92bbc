//! Command-line arguments, parsed with `lexopt`; every mistake is a [`UsageError`] (exit 2).

use std::ffi::OsString;
use std::path::PathBuf;

use lexopt::prelude::*;
use retouch_engine::contract::{
    parse_tool_calls, Format, JobOptions, MaxBytes, Pixels, Quality, ToolCall,
};

/// A usage mistake, said in one line.
#[derive(Debug)]
pub struct UsageError(pub String);

impl From<lexopt::Error> for UsageError {
    fn from(e: lexopt::Error) -> Self {
        Self(e.to_string())
    }
}

/// What to do.
#[derive(Debug)]
pub enum Command {
    /// Print this help text and exit 0.
    Help(&'static str),
    Edit(EditArgs),
    Info(Vec<PathBuf>),
    Schema,
    Parse,
}

/// `retouch edit`.
#[derive(Debug)]
pub struct EditArgs {
    pub tool_calls: Vec<ToolCall>,
    pub options: JobOptions,
    pub out_dir: PathBuf,
    pub inputs: Vec<PathBuf>,
    /// Worker threads; `None` lets rayon use every core.
    pub jobs: Option<usize>,
}

pub const MAIN_HELP: &str = "\
retouch: edit images with Retouch tool calls

Usage:
  retouch edit --ops OPS.json [options] -o OUTDIR IMG...   apply tool calls to images
  retouch info IMG...                                      print each image's format and size as JSON
  retouch schema                                           print the tool-call JSON Schema
  retouch parse                                            read commands on stdin, print tool calls

Run `retouch COMMAND --help` for a command's options.
Exit status: 0 all succeeded, 1 some images failed, 2 usage error.
";

pub const EDIT_HELP: &str = "\
retouch edit: apply tool calls to images, in parallel

Usage:
  retouch edit --ops OPS.json [options] -o OUTDIR IMG...

OPS.json holds the tool-call array, e.g.
  [{\"tool\": \"resize\", \"params\": {\"width\": 1200}},
   {\"tool\": \"convert_format\", \"params\": {\"format\": \"webp\", \"quality\": 80}}]
A call with \"applyToAll\": false applies to the image whose file name is its imageId.

Options:
  --ops FILE          the tool calls (required)
  -o, --out DIR       where results go (required; created if missing)
  --format F          output format: jpg, png or webp (default: a convert_format call's, else the input's)
  --quality N         JPEG/WebP quality 1-100 (default: the calls' quality, else 90)
  --max-width N       scale results down to fit this width
  --max-height N      scale results down to fit this height
  --max-bytes SIZE    fit each file in SIZE bytes (500k, 2M, 200000): quality is searched, then
                      the size stepped down; a PNG that cannot fit fails (target_unreachable)
  --min-quality N     lowest quality the --max-bytes search may use (default 40)
  --never-larger      keep the input file when re-encoding would grow it (default: on when no
                      call changes pixels); --never-larger=false turns it off
  --metadata M        strip (default: pixels only), keep (EXIF/XMP/IPTC/ICC; Orientation 1;
                      no GPS), copyright (creator and copyright only)
  --keep-gps          with --metadata keep, keep the GPS position too
  --fail-on LEVEL     how damaged an input may be: warning (default: any damage fails it),
                      error, truncated, or none (edit what can be read; a note says so)
  --effort E          fast (default) or max: JPEG and WebP files 6-8% smaller in 3-5x the
                      encode time
  --progressive       JPEG: progressive scans (coarse to fine while loading) instead of baseline
  --chroma-subsampling C
                      JPEG colour resolution: 420 (half) or 444 (full); default 420 below
                      quality 97, 444 from 97
  -j, --jobs N        images processed at once (default: one per core)
  -h, --help          this help

Each result is named after its input and edits (beach.jpg -> beach-1200w.webp); its path is
printed on stdout. Failures are printed on stderr, one line per file: FILE: KIND: MESSAGE.
";

pub const INFO_HELP: &str = "\
retouch info: read images' headers (no pixel decode)

Usage:
  retouch info IMG...

Prints one JSON object per image and line:
  {\"file\":\"a.jpg\",\"format\":\"jpeg\",\"width\":1920,\"height\":1280,\"orientation\":6,\"hasAlpha\":false,\"bytes\":247543}
or, for a file that cannot be read, {\"file\":..., \"error\":{\"kind\":..., \"message\":...}} (exit 1).
";

pub const SCHEMA_HELP: &str = "\
retouch schema: print the tool-call JSON Schema (the functions an LLM may call), pretty-printed

Usage:
  retouch schema
";

pub const PARSE_HELP: &str = "\
retouch parse: turn plain-language edit commands into tool calls, without an LLM

Usage:
  retouch parse < commands.txt

Reads one command per line on stdin and writes one JSON object per line:
  {\"toolCalls\": [...], \"unparsed\": [...], \"notes\": [...]}
";

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut parser = lexopt::Parser::from_args(args);
    let command = match parser.next()? {
        None | Some(Short('h') | Long("help")) => return Ok(Command::Help(MAIN_HELP)),
        Some(Value(v)) => v.string()?,
        Some(other) => return Err(other.unexpected().into()),
    };
    match command.as_str() {
        "edit" => parse_edit(&mut parser),
        "help" => Ok(Command::Help(MAIN_HELP)),
        "info" => parse_info(&mut parser),
        "schema" => no_arguments(&mut parser, Command::Schema, SCHEMA_HELP),
        "parse" => no_arguments(&mut parser, Command::Parse, PARSE_HELP),
        other => Err(UsageError(format!(
            "unknown command {other:?}; expected edit, info, schema or parse"
        ))),
    }
}

fn parse_info(parser: &mut lexopt::Parser) -> Result<Command, UsageError> {
    let mut files = Vec::new();
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help(INFO_HELP)),
            Value(v) => files.push(PathBuf::from(v)),
            other => return Err(other.unexpected().into()),
        }
    }
    if files.is_empty() {
        return Err(UsageError("info: expected at least one image".into()));
    }
    Ok(Command::Info(files))
}

fn no_arguments(
    parser: &mut lexopt::Parser,
    command: Command,
    help: &'static str,
) -> Result<Command, UsageError> {
    match parser.next()? {
        None => Ok(command),
        Some(Short('h') | Long("help")) => Ok(Command::Help(help)),
        Some(other) => Err(other.unexpected().into()),
    }
}

fn parse_edit(parser: &mut lexopt::Parser) -> Result<Command, UsageError> {
    let mut ops: Option<PathBuf> = None;
    let mut out_dir: Option<PathBuf> = None;
    let mut options = JobOptions::default();
    let mut jobs = None;
    let mut inputs = Vec::new();
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help(EDIT_HELP)),
            Long("ops") => ops = Some(parser.value()?.into()),
            Short('o') | Long("out") => out_dir = Some(parser.value()?.into()),
            Long("format") => {
                let v = parser.value()?.string()?;
                options.output_format = Some(Format::from_name(&v).ok_or_else(|| {
                    UsageError(format!("--format: expected jpg, png or webp, got {v:?}"))
                })?);
            }
            Long("quality") => {
                let n = number(parser, "--quality")?;
                options.quality =
                    Some(u8::try_from(n).ok().and_then(Quality::new).ok_or_else(|| {
                        range_error("--quality", Quality::MIN.into(), Quality::MAX.into(), n)
                    })?);
            }
            Long("max-width") => options.max_width = Some(pixels(parser, "--max-width")?),
            Long("max-height") => options.max_height = Some(pixels(parser, "--max-height")?),
            Long("max-bytes") => {
                let v = parser.value()?.string()?;
                options.max_bytes = Some(byte_size(&v)?);
            }
            Long("min-quality") => {
                let n = number(parser, "--min-quality")?;
                options.min_quality =
                    Some(u8::try_from(n).ok().and_then(Quality::new).ok_or_else(|| {
                        range_error("--min-quality", Quality::MIN.into(), Quality::MAX.into(), n)
                    })?);
            }
            Long("never-larger") => {
                options.never_larger = Some(optional_bool(parser, "--never-larger")?);
            }
            Long("progressive") => {
                options.progressive = Some(optional_bool(parser, "--progressive")?);
            }
            Long("effort") => options.effort = Some(keyword(parser, "--effort", "fast or max")?),
            Long("chroma-subsampling") => {
                options.chroma_subsampling =
                    Some(keyword(parser, "--chroma-subsampling", "420 or 444")?);
            }
            Long("metadata") => {
                options.metadata = Some(keyword(parser, "--metadata", "strip, keep or copyright")?);
            }
            Long("fail-on") => {
                options.fail_on = Some(keyword(
                    parser,
                    "--fail-on",
                    "none, truncated, error or warning",
                )?);
            }
            Long("keep-gps") => options.keep_gps = Some(true),
            Short('j') | Long("jobs") => {
                let n = number(parser, "--jobs")?;
                jobs = Some(
                    usize::try_from(n)
                        .ok()
                        .filter(|&n| (1..=256).contains(&n))
                        .ok_or_else(|| range_error("--jobs", 1, 256, n))?,
                );
            }
            Value(v) => inputs.push(PathBuf::from(v)),
            other => return Err(other.unexpected().into()),
        }
    }
    let ops = ops.ok_or_else(|| UsageError("edit: --ops OPS.json is required".into()))?;
    let out_dir = out_dir.ok_or_else(|| UsageError("edit: -o OUTDIR is required".into()))?;
    if inputs.is_empty() {
        return Err(UsageError("edit: expected at least one image".into()));
    }
    let text = std::fs::read_to_string(&ops)
        .map_err(|e| UsageError(format!("{}: cannot read: {e}", ops.display())))?;
    let tool_calls =
        parse_tool_calls(&text).map_err(|e| UsageError(format!("{}: {e}", ops.display())))?;
    Ok(Command::Edit(EditArgs {
        tool_calls,
        options,
        out_dir,
        inputs,
        jobs,
    }))
}

fn number(parser: &mut lexopt::Parser, flag: &str) -> Result<i64, UsageError> {
    let v = parser.value()?.string()?;
    v.trim()
        .parse()
        .map_err(|_| UsageError(format!("{flag}: expected an integer, got {v:?}")))
}

/// One of an option's keywords, spelled as in the JSON job options (`--effort max`).
fn keyword<T: serde::de::DeserializeOwned>(
    parser: &mut lexopt::Parser,
    flag: &str,
    expected: &str,
) -> Result<T, UsageError> {
    let v = parser.value()?.string()?;
    serde_json::from_value(serde_json::Value::String(v.clone()))
        .map_err(|_| UsageError(format!("{flag}: expected {expected}, got {v:?}")))
}

/// `--flag` (true) or `--flag=true|false`.
fn optional_bool(parser: &mut lexopt::Parser, flag: &str) -> Result<bool, UsageError> {
    match parser.optional_value() {
        None => Ok(true),
        Some(v) => match v.string()?.as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(UsageError(format!(
                "{flag}: expected true or false, got {other:?}"
            ))),
        },
    }
}

fn pixels(parser: &mut lexopt::Parser, flag: &str) -> Result<Pixels, UsageError> {
    let n = number(parser, flag)?;
    u32::try_from(n)
        .ok()
        .and_then(Pixels::new)
        .ok_or_else(|| range_error(flag, Pixels::MIN.into(), Pixels::MAX.into(), n))
}

/// `500k`, `2M`, `200000` (k = 1000, M = 1000000) as a [`MaxBytes`].
fn byte_size(v: &str) -> Result<MaxBytes, UsageError> {
    let t = v.trim();
    let (digits, unit) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 1_000),
        Some((i, 'm' | 'M')) => (&t[..i], 1_000_000),
        _ => (t, 1),
    };
    digits
        .parse::<f64>()
        .ok()
        .map(|n| (n * f64::from(unit)).round())
        .filter(|n| n.is_finite() && *n >= 0.0)
        .and_then(|n| MaxBytes::new(n as u64))
        .ok_or_else(|| {
            UsageError(format!(
                "--max-bytes: expected a size from 1k to 1G such as 500k or 2M, got {v:?}"
            ))
        })
}

fn range_error(flag: &str, min: i64, max: i64, got: i64) -> UsageError {
    UsageError(format!(
        "{flag}: expected an integer from {min} to {max}, got {got}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use retouch_engine::contract::{ChromaSubsampling, Effort, FailOn};

    fn usage(args: &[&str]) -> String {
        match parse(args.iter().map(OsString::from)) {
            Err(UsageError(m)) => m,
            Ok(c) => panic!("accepted: {c:?}"),
        }
    }

    #[test]
    fn usage_errors_say_what_is_wrong() {
        assert_eq!(
            usage(&["frobnicate"]),
            "unknown command \"frobnicate\"; expected edit, info, schema or parse"
        );
        assert_eq!(
            usage(&["edit", "-o", "out", "a.jpg"]),
            "edit: --ops OPS.json is required"
        );
        assert_eq!(
            usage(&[
                "edit",
                "--ops",
                "x.json",
                "--quality",
                "0",
                "-o",
                "o",
                "a.jpg"
            ]),
            "--quality: expected an integer from 1 to 100, got 0"
        );
        assert_eq!(
            usage(&["edit", "--format", "tiff"]),
            "--format: expected jpg, png or webp, got \"tiff\""
        );
        assert_eq!(
            usage(&["edit", "--max-width", "-5"]),
            "--max-width: expected an integer from 1 to 16384, got -5"
        );
        assert_eq!(usage(&["info"]), "info: expected at least one image");
        assert!(usage(&["schema", "extra"]).contains("extra"));
    }

    #[test]
    fn encoder_flags_set_the_options() {
        let ops = std::env::temp_dir().join(format!("retouch-args-{}.json", std::process::id()));
        std::fs::write(&ops, "[]").unwrap();
        let args = [
            "edit",
            "--ops",
            ops.to_str().unwrap(),
            "--effort",
            "max",
            "--progressive",
            "--chroma-subsampling",
            "444",
            "--fail-on",
            "truncated",
            "-o",
            "o",
            "a.jpg",
        ];
        let parsed = parse(args.iter().map(OsString::from));
        std::fs::remove_file(&ops).unwrap();
        let Ok(Command::Edit(edit)) = parsed else {
            panic!("not an edit: {parsed:?}");
        };
        assert_eq!(edit.options.effort, Some(Effort::Max));
        assert_eq!(edit.options.progressive, Some(true));
        assert_eq!(
            edit.options.chroma_subsampling,
            Some(ChromaSubsampling::Full)
        );
        assert_eq!(edit.options.fail_on, Some(FailOn::Truncated));
        assert_eq!(
            usage(&["edit", "--fail-on", "never"]),
            "--fail-on: expected none, truncated, error or warning, got \"never\""
        );
        assert_eq!(
            usage(&["edit", "--effort", "slow"]),
            "--effort: expected fast or max, got \"slow\""
        );
        assert_eq!(
            usage(&["edit", "--chroma-subsampling", "422"]),
            "--chroma-subsampling: expected 420 or 444, got \"422\""
        );
        assert_eq!(
            usage(&["edit", "--progressive=yes"]),
            "--progressive: expected true or false, got \"yes\""
        );
    }

    #[test]
    fn help_is_help() {
        for args in [
            &[][..],
            &["--help"],
            &["help"],
            &["edit", "--help"],
            &["parse", "-h"],
        ] {
            assert!(
                matches!(parse(args.iter().map(OsString::from)), Ok(Command::Help(_))),
                "{args:?}"
            );
        }
    }
}
