//! The `leakscope` command line: argument parsing and glue only.
//!
//! Each subcommand lives in its own module; `main` maps their outcome to an
//! exit code: 0 when the work was done (possibly with warnings), 1 when a
//! check failed, 2 when an input could not be read or the arguments were
//! wrong, 3 when a policy decision reached `--fail-on`.

mod analyze;
mod bench;
mod cli;
mod inspect;
mod loadbench;
mod policy;
mod taintbench;
mod text;
mod verdict;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let result = match args.command {
        cli::Command::Analyze(args) => analyze::run(&args),
        cli::Command::Inspect(cmd) => inspect::run(cmd),
        cli::Command::Bench(cmd) => bench::run(cmd),
        cli::Command::Policy(cmd) => policy::run(cmd),
        cli::Command::Serve(args) => leakscope_server::run_serve(args).map(|()| ExitCode::SUCCESS),
        cli::Command::Worker(args) => {
            leakscope_server::run_worker(args).map(|()| ExitCode::SUCCESS)
        }
        cli::Command::Admin(args) => leakscope_server::run_admin(args).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`leakscope ... | head`) is not an error.
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(std::io::stderr(), "leakscope: {err:#}");
            ExitCode::from(2)
        }
    }
}
