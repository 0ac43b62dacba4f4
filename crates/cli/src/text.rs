//! The terminal summary of a report: what a person reads first.

use std::io::Write;

use leakscope_model::{Attribution, Report};

/// Writes a readable summary of `report`.
pub fn write_summary(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let app = &r.app;
    let name = app
        .label
        .as_deref()
        .or(app.package.as_deref())
        .unwrap_or("(unnamed app)");
    writeln!(
        out,
        "{name}  {}{}",
        app.package.as_deref().unwrap_or("-"),
        app.version_name
            .as_deref()
            .map(|v| format!(" {v}"))
            .unwrap_or_default()
    )?;
    writeln!(
        out,
        "  {} {}, {} bytes, sha256 {}",
        app.input_kind, app.path, app.size, app.sha256
    )?;
    for s in &app.signers {
        writeln!(out, "  signed by {} [{}]", s.subject, s.schemes.join(" "))?;
    }
    if app.signers.is_empty() {
        writeln!(out, "  unsigned")?;
    }
    write_verdict(r, out)?;

    writeln!(out, "\nPersonal data          requested  accessed  by")?;
    let mut any = false;
    for (cat, f) in &r.categories {
        if !f.requested && !f.accessed {
            continue;
        }
        any = true;
        let mut by: Vec<String> = Vec::new();
        if f.first_party {
            by.push("app".into());
        }
        by.extend(f.sdks.iter().cloned());
        let third = f
            .evidence
            .iter()
            .filter(|e| matches!(e.attribution, Attribution::UnknownThirdParty { .. }))
            .count();
        if third > 0 {
            by.push("unknown third party".into());
        }
        writeln!(
            out,
            "  {:<20} {:<10} {:<9} {}",
            cat.id(),
            if f.requested { "yes" } else { "-" },
            if f.accessed {
                format!(
                    "{} site{}",
                    f.evidence.len(),
                    if f.evidence.len() == 1 { "" } else { "s" }
                )
            } else {
                "no".into()
            },
            by.join(", ")
        )?;
        if !f.unused_permissions.is_empty() {
            writeln!(
                out,
                "  {:<20} requested but never used: {}",
                "",
                f.unused_permissions.join(", ")
            )?;
        }
    }
    if !any {
        writeln!(out, "  none requested or accessed")?;
    }

    writeln!(out, "\nTrackers ({})", r.trackers.len())?;
    for t in &r.trackers {
        writeln!(
            out,
            "  {:<36} {:<22} [{}]",
            t.name,
            t.owner
                .as_deref()
                .map(|o| format!("{o} {}", t.owner_country.as_deref().unwrap_or("")))
                .unwrap_or_default(),
            t.detected_by.join("+")
        )?;
    }

    writeln!(out, "\nEndpoints ({})", r.endpoints.len())?;
    for e in r.endpoints.iter().take(25) {
        let owner = match (&e.owner, &e.owner_country) {
            (Some(o), Some(c)) => format!("{o} ({c})"),
            (Some(o), None) => o.clone(),
            _ => String::new(),
        };
        writeln!(
            out,
            "  {:<40} {:<8} {:<28} {}",
            e.host,
            if e.cleartext {
                "cleartext"
            } else {
                e.schemes.first().map(String::as_str).unwrap_or("")
            },
            owner,
            e.tracker
                .as_deref()
                .map(|t| format!("tracker: {t}"))
                .unwrap_or_default()
        )?;
    }
    if r.endpoints.len() > 25 {
        writeln!(
            out,
            "  … {} more (see --format json)",
            r.endpoints.len() - 25
        )?;
    }
    if !r.dynamic_code.is_empty() {
        writeln!(out, "\nCode loaded at run time ({})", r.dynamic_code.len())?;
        for d in &r.dynamic_code {
            writeln!(out, "  {} ({}, {} DEX)", d.container, d.kind, d.dex_count)?;
        }
    }
    if !r.warnings.is_empty() {
        writeln!(
            out,
            "\n{} warnings: the report may be partial (listed on stderr and in --format json)",
            r.warnings.len()
        )?;
    }
    Ok(())
}

/// The verdict, its reasons, the policy decision and the proven flows.
fn write_verdict(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    if let Some(a) = &r.assessment {
        writeln!(
            out,
            "\nVerdict: {} (score {}/100; app kind {} [{}])",
            plain(&a.verdict).to_uppercase().replace('_', " "),
            a.score,
            a.app_kind.kind,
            a.app_kind.source
        )?;
        for reason in a.reasons.iter().filter(|x| x.weight > 0) {
            writeln!(
                out,
                "  {} +{:<3} {}",
                reason.code, reason.weight, reason.message
            )?;
        }
    }
    if let Some(p) = &r.policy {
        writeln!(
            out,
            "\nPolicy {}: {}",
            p.policy,
            plain(&p.decision).to_uppercase()
        )?;
        for m in &p.matched {
            writeln!(out, "  {:<5} {}: {}", plain(&m.level), m.rule, m.message)?;
        }
        for m in &p.suppressed {
            writeln!(
                out,
                "  suppressed {}: {} ({})",
                m.rule,
                m.message,
                m.suppression_reason.as_deref().unwrap_or("")
            )?;
        }
    }
    if let Some(t) = &r.taint {
        writeln!(
            out,
            "\nData flows ({}{})",
            r.flows.len(),
            if t.complete { "" } else { ", partial analysis" }
        )?;
        for f in r.flows.iter().take(10) {
            writeln!(
                out,
                "  {} -> {} [{}]  in {}",
                f.source.category.map(|c| c.id()).unwrap_or("data"),
                f.sink.api,
                plain(&f.sink.kind),
                f.source.location.class
            )?;
        }
        if r.flows.len() > 10 {
            writeln!(
                out,
                "  ... {} more (see --format json or html)",
                r.flows.len() - 10
            )?;
        }
    }
    Ok(())
}

/// The serde name of a unit enum (`NeedsReview` → `needs_review`), for
/// display.
pub fn plain<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
