//! The self-contained HTML report.
//!
//! The page is built with plain string writes; every value that comes from
//! the report goes through [`escape::esc`] (text and attributes) or
//! [`escape::anchor`] (fragment ids). The page uses inline CSS and inline
//! SVG only: no script, no external resource. Sections, in order, with their
//! ids: `app` (header), `verdict`, `reasons`, `categories`, `flows`,
//! `destinations` (with the world map `map`), `trackers`, `permissions`,
//! `endpoints`, `warnings`, `evidence`, and the footer.

/// Appends formatted text to a `String` (which cannot fail).
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}

mod categories;
mod destinations;
mod escape;
mod flows;
mod map;
mod summary;
mod tables;

use std::collections::HashSet;

use leakscope_model::{Category, Report};

use crate::labels;
use escape::esc;

/// The stylesheet, inlined in every page.
const STYLE: &str = include_str!("style.css");

/// Renders `report` as one self-contained HTML page.
pub fn html(report: &Report) -> String {
    let mut out = String::with_capacity(64 * 1024);
    w!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"{} {}\">\n\
         <title>leakscope report: {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        esc(&report.tool.name),
        esc(&report.tool.version),
        esc(labels::app_name(report)),
    );
    let refs = Refs::new(report);
    summary::header(&mut out, report);
    out.push_str("<main>\n");
    summary::verdict(&mut out, report);
    summary::reasons(&mut out, report, &refs);
    categories::overview(&mut out, report);
    flows::section(&mut out, report, &refs);
    destinations::section(&mut out, report, &refs);
    tables::trackers(&mut out, report);
    tables::permissions(&mut out, report);
    tables::endpoints(&mut out, report, &refs);
    tables::warnings(&mut out, report);
    categories::evidence(&mut out, report, &refs);
    out.push_str("</main>\n");
    summary::footer(&mut out, report);
    out.push_str("</body>\n</html>\n");
    out
}

/// What the reasons point to: those elements are always on the page, even
/// past the caps of their lists.
#[derive(Default)]
struct Refs<'a> {
    flows: HashSet<usize>,
    evidence: HashSet<(Category, usize)>,
    endpoints: HashSet<&'a str>,
}

impl<'a> Refs<'a> {
    fn new(report: &'a Report) -> Self {
        let mut refs = Refs::default();
        let pointers = report
            .assessment
            .iter()
            .flat_map(|a| &a.reasons)
            .flat_map(|r| &r.evidence);
        for p in pointers {
            match crate::pointer::parse(p) {
                crate::pointer::Pointer::Flow(i) => {
                    refs.flows.insert(i);
                }
                crate::pointer::Pointer::Evidence(c, i) => {
                    refs.evidence.insert((c, i));
                }
                crate::pointer::Pointer::Endpoint(h) => {
                    refs.endpoints.insert(h);
                }
                _ => {}
            }
        }
        refs
    }
}

/// Opens a section with its id and heading, and a short lead text.
fn open_section(out: &mut String, id: &str, title: &str, lead: &str) {
    w!(out, "<section id=\"{id}\">\n<h2>{title}</h2>\n");
    if !lead.is_empty() {
        w!(out, "<p class=\"lead\">{lead}</p>\n");
    }
}

/// A note that a list was cut: `shown` of `total`.
fn truncated_note(out: &mut String, shown: usize, total: usize, what: &str) {
    if total > shown {
        w!(
            out,
            "<p class=\"note\">Showing {shown} of {total} {what}; the JSON report has them all.</p>\n"
        );
    }
}

/// A yes/no/unknown cell.
fn tri(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "<td class=\"yes\">yes</td>",
        Some(false) => "<td class=\"no\">no</td>",
        None => "<td class=\"unk\">–</td>",
    }
}
