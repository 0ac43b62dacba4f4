//! `leakscope policy`: check policies, run their fixtures, list the packs.

use std::process::ExitCode;

use anyhow::Result;
use leakscope_policy::{PolicyError, check_with_data, load_data, pack_names, run_tests};

use crate::cli::PolicyCommand;

pub fn run(cmd: PolicyCommand) -> Result<ExitCode> {
    match cmd {
        PolicyCommand::Check { path, data } => {
            let data = data.map(|d| load_data(&d)).transpose().map_err(explain)?;
            match check_with_data(&path, data) {
                Ok(summary) => {
                    println!("{summary}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("{}", render(&e));
                    Ok(ExitCode::from(1))
                }
            }
        }
        PolicyCommand::Test { dir } => {
            let report = run_tests(&dir).map_err(explain)?;
            println!("{report}");
            Ok(if report.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        PolicyCommand::List => {
            for p in leakscope_policy::PACKS {
                println!("{:<10} {}", p.name, p.summary);
            }
            debug_assert!(!pack_names().is_empty());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A policy error with its source line and caret when it has a position.
pub fn render(e: &PolicyError) -> String {
    match e.diagnostic() {
        Some(d) => d.render(),
        None => e.to_string(),
    }
}

/// As an anyhow error, rendered.
pub fn explain(e: PolicyError) -> anyhow::Error {
    anyhow::anyhow!(render(&e))
}
