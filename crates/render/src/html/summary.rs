//! The top of the page: the app's identity, the verdict box with the policy
//! decision, and the reasons with links to their evidence; and the footer.

use leakscope_model::{Decision, Report, Verdict, rule};

use super::escape::{anchor, esc};
use super::{Refs, open_section};
use crate::labels;
use crate::pointer::{self, Pointer};

/// The most evidence links shown under one reason.
const MAX_POINTERS: usize = 12;

/// `<header id="app">`: label, package, version, hashes, signers.
pub(super) fn header(out: &mut String, report: &Report) {
    let app = &report.app;
    w!(
        out,
        "<header id=\"app\">\n<div class=\"brand\">leakscope · leakware report</div>\n<h1>{}</h1>\n<dl class=\"meta\">\n",
        esc(labels::app_name(report))
    );
    let mut row = |k: &str, v: String| w!(out, "<dt>{k}</dt><dd>{v}</dd>\n");
    row(
        "Package",
        format!(
            "<code>{}</code>",
            esc(app.package.as_deref().unwrap_or("unknown"))
        ),
    );
    let version = match (&app.version_name, app.version_code) {
        (Some(n), Some(c)) => format!("{} (code {c})", esc(n)),
        (Some(n), None) => esc(n),
        (None, Some(c)) => format!("code {c}"),
        (None, None) => "unknown".into(),
    };
    row("Version", version);
    let sdk = match (app.min_sdk, app.target_sdk) {
        (None, None) => String::new(),
        (min, target) => format!(
            " · SDK {} → {}",
            min.map_or("?".into(), |v| v.to_string()),
            target.map_or("?".into(), |v| v.to_string())
        ),
    };
    row(
        "Input",
        format!(
            "{} {} · {}{sdk} · <span class=\"path\">{}</span>",
            esc(&app.platform),
            esc(&app.input_kind),
            human_size(app.size),
            esc(&app.path)
        ),
    );
    row(
        "SHA-256",
        format!("<code class=\"hash\">{}</code>", esc(&app.sha256)),
    );
    let signers = if app.signers.is_empty() {
        "<span class=\"unk\">unsigned or unknown</span>".to_owned()
    } else {
        app.signers
            .iter()
            .map(|s| {
                format!(
                    "<div class=\"signer\">{} <span class=\"muted\">({})</span><br><code class=\"hash\">{}</code></div>",
                    esc(&s.subject),
                    esc(&s.schemes.join(", ")),
                    esc(&s.sha256)
                )
            })
            .collect()
    };
    row("Signer", signers);
    out.push_str("</dl>\n</header>\n");
}

fn human_size(n: u64) -> String {
    // Precision loss is irrelevant for display.
    let f = n as f64;
    if n >= 1 << 20 {
        format!("{:.1} MB", f / f64::from(1u32 << 20))
    } else if n >= 1 << 10 {
        format!("{:.1} KB", f / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

/// `<section id="verdict">`: verdict, score, app kind, policy decision.
pub(super) fn verdict(out: &mut String, report: &Report) {
    let Some(a) = &report.assessment else {
        let accessed = report.categories.values().filter(|c| c.accessed).count();
        w!(
            out,
            "<section id=\"verdict\" class=\"verdict v-none\">\n<div class=\"verdict-main\">\
             <div class=\"verdict-label\">Verdict</div><div class=\"verdict-value\">Not assessed</div></div>\n\
             <p>No leakware assessment was computed for this report. What was found: \
             {accessed} data categor{} accessed, {} data flow{}, {} tracker{}, {} endpoint{}.</p>\n",
            if accessed == 1 { "y" } else { "ies" },
            report.flows.len(),
            plural(report.flows.len()),
            report.trackers.len(),
            plural(report.trackers.len()),
            report.endpoints.len(),
            plural(report.endpoints.len()),
        );
        policy(out, report);
        out.push_str("</section>\n");
        return;
    };
    let class = match a.verdict {
        Verdict::Leakware => "v-leakware",
        Verdict::NeedsReview => "v-review",
        Verdict::NoLeakFound => "v-ok",
    };
    let score = a.score.min(100);
    w!(
        out,
        "<section id=\"verdict\" class=\"verdict {class}\">\n<div class=\"verdict-main\">\
         <div class=\"verdict-label\">Verdict</div><div class=\"verdict-value\">{}</div>\
         <div class=\"score\"><span class=\"score-num\">{score}</span><span class=\"muted\"> / 100</span>\
         <div class=\"bar\" role=\"img\" aria-label=\"score {score} of 100\"><div style=\"width:{score}%\"></div></div></div></div>\n<dl class=\"meta\">\n",
        labels::verdict(a.verdict),
    );
    let kind = &a.app_kind;
    w!(
        out,
        "<dt>App kind</dt><dd><b>{}</b> <span class=\"muted\">({}{})</span></dd>\n",
        esc(&kind.kind),
        esc(&kind.source),
        kind.reason
            .as_deref()
            .map(|r| format!(": {}", esc(r)))
            .unwrap_or_default()
    );
    w!(
        out,
        "<dt>Declarations</dt><dd>{}</dd>\n</dl>\n",
        a.declarations
            .as_deref()
            .map_or("<span class=\"unk\">none given</span>".to_owned(), esc)
    );
    policy(out, report);
    out.push_str("</section>\n");
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The policy decision inside the verdict box.
fn policy(out: &mut String, report: &Report) {
    let Some(p) = &report.policy else {
        out.push_str("<div class=\"policy p-none\">Policy: <b>none applied</b></div>\n");
        return;
    };
    let (class, word) = match p.decision {
        Decision::Allow => ("p-allow", "allow"),
        Decision::Warn => ("p-warn", "warn"),
        Decision::Block => ("p-block", "block"),
    };
    w!(
        out,
        "<div class=\"policy {class}\">Policy <b class=\"decision\">{word}</b> <span class=\"muted\">({})</span>",
        esc(&p.policy)
    );
    if !p.matched.is_empty() {
        out.push_str("<ul class=\"matched\">");
        for m in &p.matched {
            w!(
                out,
                "<li><span class=\"badge b-{}\">{}</span> <code>{}</code> {}</li>",
                labels::decision_id(m.level),
                labels::decision_id(m.level),
                esc(&m.rule),
                esc(&m.message)
            );
        }
        out.push_str("</ul>");
    }
    if !p.suppressed.is_empty() {
        w!(
            out,
            "<p class=\"muted\">{} match{} suppressed: {}</p>",
            p.suppressed.len(),
            if p.suppressed.len() == 1 { "" } else { "es" },
            p.suppressed
                .iter()
                .map(|m| format!(
                    "<code>{}</code>{}",
                    esc(&m.rule),
                    m.suppression_reason
                        .as_deref()
                        .map(|r| format!(" ({})", esc(r)))
                        .unwrap_or_default()
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out.push_str("</div>\n");
}

/// `<section id="reasons">`: the reasons, heaviest first, each with links
/// to its evidence.
pub(super) fn reasons(out: &mut String, report: &Report, refs: &Refs) {
    open_section(out, "reasons", "Reasons", "");
    let Some(a) = &report.assessment else {
        out.push_str("<p class=\"empty\">Not assessed.</p>\n</section>\n");
        return;
    };
    if a.reasons.is_empty() {
        out.push_str(
            "<p class=\"empty\">No reasons: nothing counted against the app.</p>\n</section>\n",
        );
        return;
    }
    out.push_str("<ol class=\"reasons\">\n");
    for r in &a.reasons {
        let known = rule(&r.code);
        let level = known.map_or("warning", |k| k.level);
        w!(
            out,
            "<li class=\"sev-{level}\"><div class=\"reason-head\"><span class=\"code\" title=\"{}\">{}</span>",
            esc(known.map_or("", |k| k.name)),
            esc(&r.code)
        );
        if let Some(c) = r.category {
            w!(out, " <a class=\"cat\" href=\"#cat-{c}\">{}</a>", c.id());
        }
        w!(
            out,
            " <span class=\"weight\">+{}</span></div>\n<div class=\"reason-msg\">{}</div>\n",
            r.weight,
            esc(&r.message)
        );
        if !r.evidence.is_empty() {
            out.push_str("<div class=\"ptrs\">Evidence: ");
            for p in r.evidence.iter().take(MAX_POINTERS) {
                out.push_str(&pointer_link(report, refs, p));
                out.push(' ');
            }
            if r.evidence.len() > MAX_POINTERS {
                w!(
                    out,
                    "<span class=\"muted\">+{} more</span>",
                    r.evidence.len().saturating_sub(MAX_POINTERS)
                );
            }
            out.push_str("</div>\n");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</section>\n");
}

/// A link to the element a pointer refers to, or the pointer as text when
/// that element is not on the page.
fn pointer_link(report: &Report, refs: &Refs, p: &str) -> String {
    let parsed = pointer::parse(p);
    let label = match parsed {
        Pointer::Flow(i) => format!("flow #{i}"),
        Pointer::Evidence(c, i) => format!("{c} #{i}"),
        Pointer::Category(c) => c.id().to_owned(),
        Pointer::Tracker(id) => report
            .trackers
            .iter()
            .find(|t| t.id == id)
            .map_or(id, |t| t.name.as_str())
            .to_owned(),
        Pointer::Endpoint(h) => h.to_owned(),
        Pointer::Permission(n) => n.rsplit('.').next().unwrap_or(n).to_owned(),
        Pointer::Taint => "analysis coverage".to_owned(),
        Pointer::Unknown => p.to_owned(),
    };
    let target = match parsed {
        Pointer::Flow(i) if i < report.flows.len() => Some(format!("flow-{i}")),
        Pointer::Evidence(c, i)
            if report
                .categories
                .get(&c)
                .is_some_and(|f| i < f.evidence.len()) =>
        {
            Some(format!("ev-{c}-{i}"))
        }
        Pointer::Category(c) => Some(format!("cat-{c}")),
        Pointer::Tracker(id) if report.trackers.iter().any(|t| t.id == id) => {
            Some(anchor("tracker", id))
        }
        Pointer::Endpoint(h)
            if refs.endpoints.contains(h) && report.endpoints.iter().any(|e| e.host == h) =>
        {
            Some(anchor("endpoint", h))
        }
        Pointer::Permission(n) if report.permissions.iter().any(|x| x.name == n) => {
            Some(anchor("perm", n))
        }
        Pointer::Taint => Some("warnings".to_owned()),
        _ => None,
    };
    match target {
        Some(t) => format!(
            "<a class=\"ptr\" href=\"#{t}\" title=\"{}\">{}</a>",
            esc(p),
            esc(&label)
        ),
        None => format!(
            "<span class=\"ptr\" title=\"{}\">{}</span>",
            esc(p),
            esc(&label)
        ),
    }
}

/// The footer: tool, knowledge base and report versions.
pub(super) fn footer(out: &mut String, report: &Report) {
    let t = &report.tool;
    let total = report
        .timings
        .get("total")
        .map(|ms| format!(" · analysed in {ms:.0} ms"))
        .unwrap_or_default();
    w!(
        out,
        "<footer>Made by {} {} · knowledge base {} · report format {}{total}. \
         This page is self-contained: it loads nothing from the network.</footer>\n",
        esc(if t.name.is_empty() {
            "leakscope"
        } else {
            &t.name
        }),
        esc(&t.version),
        esc(&t.kb_version),
        esc(&report.schema_version),
    );
}
