//! The reference tables: trackers, permissions, endpoints, warnings.

use leakscope_model::Report;

use super::categories::title;
use super::escape::{anchor, esc};
use super::{Refs, open_section, truncated_note};

/// The most rows of the endpoint and warning tables (plus referenced ones).
pub(super) const MAX_ROWS: usize = 500;
/// The most example URLs or classes shown in one cell.
const MAX_IN_CELL: usize = 3;

/// Up to [`MAX_IN_CELL`] items as escaped code, with a count of the rest.
fn sample(items: &[String]) -> String {
    let mut s: Vec<String> = items
        .iter()
        .take(MAX_IN_CELL)
        .map(|u| format!("<code>{}</code>", esc(u)))
        .collect();
    if items.len() > MAX_IN_CELL {
        s.push(format!(
            "<span class=\"muted\">+{} more</span>",
            items.len().saturating_sub(MAX_IN_CELL)
        ));
    }
    s.join("<br>")
}

fn opt(v: Option<&String>) -> String {
    v.map_or("<td class=\"unk\">–</td>".to_owned(), |s| {
        format!("<td>{}</td>", esc(s))
    })
}

/// `<section id="trackers">`: tracker SDKs, their owners and how they were
/// detected.
pub(super) fn trackers(out: &mut String, report: &Report) {
    open_section(
        out,
        "trackers",
        "Trackers",
        "Tracker SDKs found by their code signature (class names) or network signature (hosts), \
         from the Exodus Privacy database.",
    );
    if report.trackers.is_empty() {
        out.push_str("<p class=\"empty\">No known tracker SDK found.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<table class=\"grid\">\n<thead><tr><th>Tracker</th><th>Owner</th><th>Country</th><th>Purpose</th>\
         <th>Detected by</th><th>Evidence</th></tr></thead>\n<tbody>\n",
    );
    for t in &report.trackers {
        let detected = if t.detected_by.is_empty() {
            "<span class=\"unk\">–</span>".to_owned()
        } else {
            t.detected_by
                .iter()
                .map(|d| format!("<span class=\"badge\">{}</span>", esc(d)))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut evidence = Vec::new();
        if t.code_match_count > 0 {
            evidence.push(format!(
                "{} class{}: {}",
                t.code_match_count,
                if t.code_match_count == 1 { "" } else { "es" },
                sample(&t.code_matches)
            ));
        }
        if !t.network_matches.is_empty() {
            evidence.push(format!("hosts: {}", sample(&t.network_matches)));
        }
        w!(
            out,
            "<tr id=\"{}\"><td><b>{}</b></td>{}{}<td>{}</td><td>{detected}</td><td class=\"small\">{}</td></tr>\n",
            anchor("tracker", &t.id),
            esc(&t.name),
            opt(t.owner.as_ref()),
            opt(t.owner_country.as_ref()),
            esc(&t.categories.join(", ")),
            evidence.join("<br>"),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// `<section id="permissions">`: requested permissions, used or not.
pub(super) fn permissions(out: &mut String, report: &Report) {
    open_section(out, "permissions", "Permissions", "");
    if report.permissions.is_empty() {
        out.push_str("<p class=\"empty\">The app requests no permission.</p>\n</section>\n");
        return;
    }
    let used = report
        .permissions
        .iter()
        .filter(|p| p.used == Some(true))
        .count();
    let unused = report
        .permissions
        .iter()
        .filter(|p| p.used == Some(false))
        .count();
    w!(
        out,
        "<p class=\"lead\">{} requested: {used} used by code, {unused} unused, {} not known.</p>\n",
        report.permissions.len(),
        report
            .permissions
            .len()
            .saturating_sub(used)
            .saturating_sub(unused),
    );
    out.push_str(
        "<table class=\"grid\">\n<thead><tr><th>Permission</th><th>Protection</th><th>Data category</th>\
         <th>Used by code</th></tr></thead>\n<tbody>\n",
    );
    for p in &report.permissions {
        let used = match p.used {
            Some(true) => "<td class=\"yes\">used</td>",
            Some(false) => "<td class=\"no strong\">unused</td>",
            None => "<td class=\"unk\">unknown</td>",
        };
        let protection = p.protection_level.as_deref().unwrap_or("");
        let dangerous = protection.contains("dangerous");
        w!(
            out,
            "<tr id=\"{}\"><td><code>{}</code>{}</td><td{}>{}</td><td>{}</td>{used}</tr>\n",
            anchor("perm", &p.name),
            esc(&p.name),
            p.max_sdk
                .map(|m| format!(" <span class=\"muted\">(up to SDK {m})</span>"))
                .unwrap_or_default(),
            if dangerous { " class=\"strong\"" } else { "" },
            esc(protection),
            p.category.map_or("–", title),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// `<section id="endpoints">`: every host or IP address found.
pub(super) fn endpoints(out: &mut String, report: &Report, refs: &Refs) {
    open_section(out, "endpoints", "Endpoints", "");
    if report.endpoints.is_empty() {
        out.push_str("<p class=\"empty\">No URL or host found.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<table class=\"grid\">\n<thead><tr><th>Host</th><th>Schemes</th><th>Owner</th><th>Tracker</th>\
         <th>Example URLs</th></tr></thead>\n<tbody>\n",
    );
    let mut shown = 0usize;
    for (i, e) in report.endpoints.iter().enumerate() {
        if i >= MAX_ROWS && !refs.endpoints.contains(e.host.as_str()) {
            continue;
        }
        shown += 1;
        w!(
            out,
            "<tr id=\"{}\"><td><code>{}</code>{}{}</td><td>{}</td>{}{}<td class=\"small\">{}</td></tr>\n",
            anchor("endpoint", &e.host),
            esc(&e.host),
            if e.is_ip {
                " <span class=\"badge\">IP</span>"
            } else {
                ""
            },
            if e.cleartext {
                " <span class=\"badge b-warn\">cleartext</span>"
            } else {
                ""
            },
            esc(&e.schemes.join(", ")),
            opt(e.owner.as_ref()),
            opt(e.tracker.as_ref()),
            sample(&e.urls),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    truncated_note(out, shown, report.endpoints.len(), "endpoints");
    out.push_str("</section>\n");
}

/// `<section id="warnings">`: partial-analysis notice and warnings.
pub(super) fn warnings(out: &mut String, report: &Report) {
    open_section(out, "warnings", "Warnings and coverage", "");
    match &report.taint {
        None => out.push_str(
            "<p class=\"notice\">The data-flow analysis did not run: flows and transmissions may be missing.</p>\n",
        ),
        Some(t) if !t.complete => {
            w!(
                out,
                "<div class=\"notice\"><b>Partial analysis.</b> The data-flow analysis covered {} methods and skipped {}; findings may be missing.",
                t.methods_analyzed,
                t.methods_skipped
            );
            if !t.notes.is_empty() {
                out.push_str("<ul>");
                for n in t.notes.iter().take(MAX_ROWS) {
                    w!(out, "<li>{}</li>", esc(n));
                }
                out.push_str("</ul>");
            }
            out.push_str("</div>\n");
        }
        Some(t) => w!(
            out,
            "<p class=\"ok\">The data-flow analysis covered all {} methods.</p>\n",
            t.methods_analyzed
        ),
    }
    if !report.dynamic_code.is_empty() {
        w!(
            out,
            "<div class=\"notice\"><b>Code loaded at run time.</b> The app carries {} container{} of code \
             outside its main DEX files, which can hide behaviour from static analysis:<ul>",
            report.dynamic_code.len(),
            if report.dynamic_code.len() == 1 {
                ""
            } else {
                "s"
            }
        );
        for d in report.dynamic_code.iter().take(MAX_ROWS) {
            w!(
                out,
                "<li><code>{}</code> ({}, {} DEX image{})</li>",
                esc(&d.container),
                esc(&d.kind),
                d.dex_count,
                if d.dex_count == 1 { "" } else { "s" }
            );
        }
        out.push_str("</ul></div>\n");
    }
    if report.warnings.is_empty() {
        out.push_str("<p class=\"empty\">No warnings.</p>\n");
    } else {
        out.push_str("<table class=\"grid\">\n<thead><tr><th>Where</th><th>What</th></tr></thead>\n<tbody>\n");
        for wn in report.warnings.iter().take(MAX_ROWS) {
            w!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td></tr>\n",
                esc(&wn.source),
                esc(&wn.message)
            );
        }
        out.push_str("</tbody>\n</table>\n");
        truncated_note(
            out,
            report.warnings.len().min(MAX_ROWS),
            report.warnings.len(),
            "warnings",
        );
    }
    out.push_str("</section>\n");
}
