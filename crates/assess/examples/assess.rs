//! Analyses one app and prints its assessment as JSON.
//!
//! `cargo run -p leakscope-assess --example assess -- APP [KIND] [DECLARED]`
//! (`-` for KIND infers it).

use std::path::Path;
use std::process::ExitCode;

use leakscope_assess::{AssessOptions, Assessor, Declarations};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        return Err("usage: assess APP [KIND|-] [DECLARED]".into());
    };
    let app = leakscope_app::load(Path::new(path), &leakscope_app::Options::default())
        .map_err(|e| e.to_string())?;
    let kb = leakscope_kb::Kb::embedded().map_err(|e| e.to_string())?;
    let report = leakscope_analysis::analyze(&app, kb, &Default::default());
    let assessor = Assessor::embedded().map_err(|e| e.to_string())?;
    let declarations = match args.get(2) {
        Some(p) => Some(Declarations::load(Path::new(p)).map_err(|e| e.to_string())?),
        None => None,
    };
    let opts = AssessOptions {
        app_kind: args.get(1).filter(|k| *k != "-").cloned(),
        declarations,
    };
    let a = assessor
        .assess(&report, app.manifest.as_ref(), &opts)
        .map_err(|e| e.to_string())?;
    println!(
        "{}",
        serde_json::to_string_pretty(&a).map_err(|e| e.to_string())?
    );
    Ok(())
}
