//! Data flows drawn as paths: source API → methods … → sink API, as boxes
//! joined by arrows (CSS only).

use leakscope_model::{Confidence, Flow, Report};

use super::categories::title;
use super::escape::esc;
use super::{Refs, open_section, truncated_note};
use crate::labels::{short_api, short_method};

/// The most flows drawn (plus any a reason points to).
const MAX_FLOWS: usize = 200;
/// Paths longer than this are drawn with their middle elided.
const MAX_NODES: usize = 10;

/// `<section id="flows">`: one card per flow, with the anchors `flow-<i>`.
pub(super) fn section(out: &mut String, report: &Report, refs: &Refs) {
    open_section(
        out,
        "flows",
        "Data flows",
        "Paths along which the data-flow analysis proved that personal data travels from the API that reads it to a sink.",
    );
    if report.flows.is_empty() {
        let why = match &report.taint {
            None => "The data-flow analysis did not run for this report.",
            Some(t) if !t.complete => {
                "No flow found, but the data-flow analysis is partial (see Warnings)."
            }
            Some(_) => "No flow from a personal-data source to a sink was found.",
        };
        w!(out, "<p class=\"empty\">{why}</p>\n</section>\n");
        return;
    }
    let mut shown = 0usize;
    for (i, f) in report.flows.iter().enumerate() {
        if i >= MAX_FLOWS && !refs.flows.contains(&i) {
            continue;
        }
        shown += 1;
        card(out, report, i, f);
    }
    truncated_note(out, shown, report.flows.len(), "flows");
    out.push_str("</section>\n");
}

fn card(out: &mut String, report: &Report, i: usize, f: &Flow) {
    let unneeded = f
        .source
        .category
        .and_then(|c| report.assessment.as_ref()?.categories.get(&c))
        .and_then(|a| a.necessary)
        == Some(false);
    let transmits = f.sink.kind.transmits();
    let (class, rule) = match (transmits, unneeded) {
        (true, true) => ("flow bad", "LS101"),
        (true, false) => ("flow warn", "LS102"),
        _ => ("flow", "LS102"),
    };
    let (conf_class, conf) = match f.confidence {
        Confidence::Low => ("conf-low", "low"),
        Confidence::Medium => ("conf-medium", "medium"),
        Confidence::High => ("conf-high", "high"),
    };
    let category = f.source.category.map_or("Unknown data", title);
    w!(
        out,
        "<div class=\"{class}\" id=\"flow-{i}\"><div class=\"flow-head\"><span class=\"flow-no\">#{i}</span> \
         <b>{category}</b> <span class=\"arrow\">→</span> <span class=\"badge b-sink\">{}</span> \
         <span class=\"badge {conf_class}\">{conf} confidence</span> <span class=\"code\">{rule}</span></div>\n<ol class=\"path\">\n",
        f.sink.kind.id(),
    );
    let src = &f.source.location;
    w!(
        out,
        "<li class=\"node src\" title=\"{}\"><span class=\"node-kind\">source</span><code>{}</code>\
         <span class=\"muted\">in {}</span></li>\n",
        esc(&f.source.api),
        esc(&short_api(&f.source.api)),
        esc(&short_method(&format!("{}->{}", src.class, src.method))),
    );
    let n = f.path.len();
    for (j, m) in f.path.iter().enumerate() {
        let head = MAX_NODES / 2;
        let tail = MAX_NODES.saturating_sub(head);
        if n > MAX_NODES && j >= head && j < n.saturating_sub(tail) {
            if j == head {
                w!(
                    out,
                    "<li class=\"node gap\">… {} more methods …</li>\n",
                    n.saturating_sub(MAX_NODES)
                );
            }
            continue;
        }
        w!(
            out,
            "<li class=\"node\" title=\"{}\"><code>{}</code></li>\n",
            esc(m),
            esc(&short_method(m))
        );
    }
    let snk = &f.sink.location;
    w!(
        out,
        "<li class=\"node snk\" title=\"{}\"><span class=\"node-kind\">sink · {}</span><code>{}</code>\
         <span class=\"muted\">in {}</span></li>\n</ol></div>\n",
        esc(&f.sink.api),
        f.sink.kind.id(),
        esc(&short_api(&f.sink.api)),
        esc(&short_method(&format!("{}->{}", snk.class, snk.method))),
    );
}
