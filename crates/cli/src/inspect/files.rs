//! `leakscope inspect files`: the parts of an app.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;

use crate::cli::FilesArgs;

pub fn run(args: &FilesArgs) -> Result<ExitCode> {
    let app = super::load(&args.app)?;
    let mut out = std::io::stdout().lock();
    let code: Vec<_> = app
        .code
        .iter()
        .map(|d| json!({"origin": d.origin, "size": d.bytes.len()}))
        .collect();
    let dynamic: Vec<_> = app
        .dynamic_code
        .iter()
        .map(|c| {
            json!({
                "container": c.container,
                "kind": c.kind,
                "dex": c.dex.iter().map(|d| json!({"origin": d.origin, "size": d.bytes.len()})).collect::<Vec<_>>(),
            })
        })
        .collect();
    if args.json {
        let value = json!({
            "path": app.path.display().to_string(),
            "kind": app.kind,
            "sha256": app.sha256,
            "size": app.size,
            "package": app.package(),
            "splits": app.splits,
            "code": code,
            "dynamic_code": dynamic,
            "warnings": app.warnings,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    super::print_warnings(&app.warnings);
    writeln!(
        out,
        "{} ({}, {} bytes, sha256 {})",
        app.path.display(),
        app.kind,
        app.size,
        app.sha256
    )?;
    if let Some(p) = app.package() {
        writeln!(out, "package  {p}")?;
    }
    for s in &app.splits {
        writeln!(
            out,
            "split    {}{} ({} DEX)",
            s.name,
            s.split_name
                .as_deref()
                .map(|n| format!(" [{n}]"))
                .unwrap_or_default(),
            s.dex_count
        )?;
    }
    for d in &app.code {
        writeln!(out, "dex      {} ({} bytes)", d.origin, d.bytes.len())?;
    }
    for c in &app.dynamic_code {
        writeln!(
            out,
            "dynamic  {} ({:?}, {} DEX): code the app can load at run time",
            c.container,
            c.kind,
            c.dex.len()
        )?;
    }
    if !app.warnings.is_empty() {
        writeln!(out, "{} warnings (on stderr)", app.warnings.len())?;
    }
    Ok(ExitCode::SUCCESS)
}
