//! `leakscope inspect manifest`: the typed manifest, label and signers.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use leakscope_app::{App, Manifest};
use serde_json::{Value, json};

use crate::cli::ManifestArgs;

/// Fully qualified names of `components`, sorted and unique.
fn names<'a>(components: impl IntoIterator<Item = &'a leakscope_axml::Component>) -> Vec<String> {
    let mut v: Vec<String> = components
        .into_iter()
        .filter_map(|c| c.name.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The JSON object of `inspect manifest --json`.
pub fn to_json(app: &App) -> Value {
    let m = app.manifest.as_ref();
    let empty = Manifest::default();
    let mm = m.unwrap_or(&empty);
    let signers: Vec<Value> = app
        .signers
        .iter()
        .map(|s| json!({"sha256": s.sha256, "subject": s.subject, "issuer": s.issuer, "schemes": s.schemes}))
        .collect();
    json!({
        "path": app.path.display().to_string(),
        "kind": app.kind,
        "sha256": app.sha256,
        "package": mm.package,
        "version_code": mm.version_code,
        "version_name": mm.version_name,
        "min_sdk": mm.min_sdk,
        "target_sdk": mm.target_sdk,
        "max_sdk": mm.max_sdk,
        "permissions": mm.permission_names(),
        "activities": names(&mm.activities),
        "activity_aliases": names(&mm.activity_aliases),
        "services": names(&mm.services),
        "receivers": names(&mm.receivers),
        "providers": names(&mm.providers),
        "label": app.label,
        "signers": signers,
        "splits": app.splits,
        "manifest": m,
        "warnings": app.warnings,
    })
}

pub fn run(args: &ManifestArgs) -> Result<ExitCode> {
    let app = super::load(&args.app)?;
    super::print_warnings(&app.warnings);
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&to_json(&app))?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(m) = app.manifest.as_ref() else {
        writeln!(
            out,
            "{}: no readable manifest ({})",
            app.path.display(),
            app.kind
        )?;
        return Ok(ExitCode::SUCCESS);
    };
    let show = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    writeln!(out, "package      {}", show(m.package.clone()))?;
    writeln!(out, "label        {}", show(app.label.clone()))?;
    writeln!(
        out,
        "version      {} (code {})",
        show(m.version_name.clone()),
        show(m.version_code.map(|v| v.to_string()))
    )?;
    writeln!(
        out,
        "sdk          min {} target {}",
        show(m.min_sdk.map(|v| v.to_string())),
        show(m.target_sdk.map(|v| v.to_string()))
    )?;
    if let Some(a) = &m.application {
        let flag = |name: &str, v: Option<bool>| v.map(|v| format!("{name}={v}"));
        let flags: Vec<String> = [
            flag("debuggable", a.debuggable),
            flag("allowBackup", a.allow_backup),
            flag("usesCleartextTraffic", a.uses_cleartext_traffic),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !flags.is_empty() {
            writeln!(out, "application  {}", flags.join(" "))?;
        }
    }
    let perms = m.permission_names();
    writeln!(out, "permissions  {}", perms.len())?;
    for p in perms {
        writeln!(out, "  {p}")?;
    }
    for (title, list) in [
        ("activities", &m.activities),
        ("aliases", &m.activity_aliases),
        ("services", &m.services),
        ("receivers", &m.receivers),
        ("providers", &m.providers),
    ] {
        if list.is_empty() {
            continue;
        }
        writeln!(out, "{title:<12} {}", list.len())?;
        for c in list {
            writeln!(
                out,
                "  {}{}",
                c.name.as_deref().unwrap_or("(unnamed)"),
                if c.exported { "  [exported]" } else { "" }
            )?;
        }
    }
    for s in &app.signers {
        writeln!(out, "signer       {} {:?}", s.sha256, s.schemes)?;
        writeln!(out, "  subject    {}", s.subject)?;
    }
    if app.signers.is_empty() {
        writeln!(out, "signer       none (unsigned)")?;
    }
    Ok(ExitCode::SUCCESS)
}
