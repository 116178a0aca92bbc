//! `retouch`: the engine on the command line.
//!
//! ```text
//! retouch edit --ops OPS.json [--format F] [--quality N] [--max-width N] [--max-height N] -o OUTDIR IMG...
//! retouch info IMG...
//! retouch schema
//! retouch parse < commands.txt
//! ```
//!
//! Exit status: 0 when everything succeeded, 1 when some images failed (the others are still
//! written), 2 for usage errors (bad arguments, an invalid OPS.json).

mod args;
mod edit;
mod info;
mod progress;
mod text;

use std::process::ExitCode;

use args::{Command, UsageError};

fn main() -> ExitCode {
    let command = match args::parse(std::env::args_os().skip(1)) {
        Ok(c) => c,
        Err(UsageError(message)) => {
            eprintln!("retouch: {message}");
            eprintln!("Run `retouch --help` for usage.");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Command::Edit(opts) => edit::run(&opts),
        Command::Info(files) => info::run(&files),
        Command::Schema => text::schema(),
        Command::Parse => text::parse_lines(),
    }
}
