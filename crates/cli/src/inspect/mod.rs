//! `leakscope inspect`: what leakscope reads from an app, in formats that
//! tests compare with independent tools (dexdump, aapt, androguard).

pub mod dex;
mod files;
mod manifest;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use leakscope_app::{App, Options, Warning};

use crate::cli::InspectCommand;

pub fn run(cmd: InspectCommand) -> Result<ExitCode> {
    match cmd {
        InspectCommand::Manifest(args) => manifest::run(&args),
        InspectCommand::Dex(args) => dex::run(&args),
        InspectCommand::Files(args) => files::run(&args),
    }
}

/// Loads an app with the default limits; an unreadable input is an error
/// whose message names the file and the problem.
pub fn load(path: &Path) -> Result<App> {
    Ok(leakscope_app::load(path, &Options::default())?)
}

/// Prints warnings to stderr, one per line.
pub fn print_warnings<'a>(warnings: impl IntoIterator<Item = &'a Warning>) {
    let mut err = std::io::stderr().lock();
    for w in warnings {
        let _ = writeln!(err, "warning: {w}");
    }
}
