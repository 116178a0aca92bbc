//! `retouch edit`: the job on every image, in parallel, each result written as soon as it is done.

use std::collections::HashMap;
use std::fmt;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;
use retouch_engine::contract::ToolCall;
use retouch_engine::naming::output_name;
use retouch_engine::pipeline::{ImageInput, Job};
use retouch_engine::Error;

use crate::args::EditArgs;
use crate::progress::Bar;

/// Why one image failed: the engine's error kind, or `io` for reading and writing files.
pub struct Failure {
    kind: &'static str,
    message: String,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Self {
            kind: e.kind().as_str(),
            message: e.to_string(),
        }
    }
}

impl Failure {
    fn internal() -> Self {
        Self {
            kind: "internal",
            message: "the engine failed unexpectedly on this image (a bug; please report it)"
                .into(),
        }
    }

    fn io(what: &str, path: &Path, e: &std::io::Error) -> Self {
        Self {
            kind: "io",
            message: format!("cannot {what} {}: {e}", path.display()),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

pub fn run(args: &EditArgs) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(&args.out_dir) {
        eprintln!("retouch: cannot create {}: {e}", args.out_dir.display());
        return ExitCode::from(2);
    }
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("retouch: cannot start worker threads: {e}");
            return ExitCode::from(2);
        }
    };
    let job = Job {
        tool_calls: args.tool_calls.clone(),
        options: args.options.clone(),
        ..Job::default()
    };
    let stems = unique_stems(&args.inputs, &args.tool_calls);
    let bar = Bar::new(args.inputs.len());

    let results: Vec<Option<(PathBuf, Option<String>)>> = pool.install(|| {
        args.inputs
            .par_iter()
            .zip(&stems)
            .enumerate()
            .map(|(i, (input, stem))| {
                // A bug must cost one image, not the batch.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    edit_one(&job, input, stem, &args.out_dir, &mut |f| bar.set(i, f))
                }))
                .unwrap_or_else(|_| Err(Failure::internal()));
                bar.finish(
                    i,
                    result
                        .as_ref()
                        .err()
                        .map(|e| format!("{}: {e}", input.display())),
                );
                result.ok()
            })
            .collect()
    });
    bar.clear();

    let failed = results.iter().filter(|r| r.is_none()).count();
    for (written, note) in results.iter().flatten() {
        println!("{}", written.display());
        if let Some(note) = note {
            eprintln!("{}: {note}", written.display());
        }
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "retouch: {failed} of {} images failed; the others were written",
            results.len()
        );
        ExitCode::from(1)
    }
}

/// The image's id for `applyToAll: false` calls: its file name.
fn image_id(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn edit_one(
    job: &Job,
    path: &Path,
    stem: &str,
    out_dir: &Path,
    on_fraction: &mut dyn FnMut(f32),
) -> Result<(PathBuf, Option<String>), Failure> {
    let bytes = std::fs::read(path).map_err(|e| Failure::io("read", path, &e))?;
    let name = image_id(path);
    let input = ImageInput {
        bytes: &bytes,
        name: &name,
        id: Some(&name),
        tags: &[],
    };
    let output = job.run(&input, &mut |p| {
        on_fraction(p.fraction);
        ControlFlow::Continue(())
    })?;
    let file = out_dir.join(format!("{stem}.{}", output.format.extension()));
    std::fs::write(&file, &output.bytes).map_err(|e| Failure::io("write", &file, &e))?;
    Ok((file, how(job, &output)))
}

/// What `maxBytes` and `neverLarger` did, or the result's warnings, for people; `None` when
/// none of them applies.
fn how(job: &Job, output: &retouch_engine::pipeline::Output) -> Option<String> {
    if !output.warnings.is_empty() {
        return Some(output.warnings.join("; "));
    }
    let kb = output.bytes.len().div_ceil(1000);
    if output.kept_input {
        return Some(format!(
            "kept the input ({kb} KB): re-encoding would have made it larger"
        ));
    }
    job.options.max_bytes?;
    let quality = output
        .quality
        .map_or(String::new(), |q| format!(" at quality {q}"));
    let scale = if output.scale < 1.0 {
        format!(
            ", scaled to {:.0}% ({} × {})",
            output.scale * 100.0,
            output.width,
            output.height
        )
    } else {
        String::new()
    };
    Some(format!("{kb} KB{quality}{scale}"))
}

/// Output names without extension, in input order; inputs that would get the same name (same
/// file name in different folders) get `-2`, `-3`, … so no result overwrites another.
fn unique_stems(inputs: &[PathBuf], calls: &[ToolCall]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    inputs
        .iter()
        .map(|path| {
            let id = image_id(path);
            let applied: Vec<ToolCall> = calls
                .iter()
                .filter(|c| c.applies_to(Some(&id)))
                .cloned()
                .collect();
            let stem = output_name(&id, &applied);
            let count = seen.entry(stem.clone()).or_insert(0);
            *count += 1;
            if *count == 1 {
                stem
            } else {
                format!("{stem}-{count}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_names_from_different_folders_do_not_collide() {
        let inputs = [
            PathBuf::from("a/x.jpg"),
            PathBuf::from("b/x.jpg"),
            PathBuf::from("y.png"),
        ];
        assert_eq!(
            unique_stems(&inputs, &[]),
            ["x-edited", "x-edited-2", "y-edited"]
        );
    }
}
