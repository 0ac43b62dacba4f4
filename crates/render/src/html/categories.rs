//! The category × evidence overview, and the evidence list it links to.

use leakscope_model::{Attribution, Category, CategoryFindings, EvidenceKind, Report};

use super::escape::esc;
use super::{Refs, open_section, tri, truncated_note};

/// The most evidence rows listed per category (plus any a reason points to).
const MAX_EVIDENCE_ROWS: usize = 100;
/// Categories with at most this many accesses have their list open.
const OPEN_EVIDENCE_ROWS: usize = 15;
/// The most SDK names shown in one cell.
const MAX_SDKS: usize = 6;

/// `<section id="categories">`: one row per data category.
pub(super) fn overview(out: &mut String, report: &Report) {
    open_section(
        out,
        "categories",
        "Data categories",
        "What the app may do with each kind of personal data: whether a permission for it is requested, \
         whether code reads it, whether it leaves the app, whether the publisher declares it, \
         and whether apps of this kind need it.",
    );
    let assessed = report.assessment.as_ref();
    out.push_str(
        "<table class=\"grid overview\">\n<thead><tr><th>Category</th><th>Requested</th><th>Accessed</th>\
         <th>Transmitted</th><th>Declared</th><th>Necessary</th><th>SDKs</th><th class=\"num\">Evidence</th></tr></thead>\n<tbody>\n",
    );
    let empty = CategoryFindings::default();
    for c in Category::ALL {
        let f = report.categories.get(&c).unwrap_or(&empty);
        let a = assessed.and_then(|a| a.categories.get(&c));
        let transmitted = a.map_or(f.transmitted, |a| a.transmitted);
        let sinks = a.map_or(&f.sinks, |a| &a.sinks);
        let active = f.requested || f.accessed || transmitted;
        let class = match (transmitted, a.and_then(|a| a.necessary)) {
            (true, Some(false)) => "row-bad",
            (true, _) => "row-warn",
            _ if active => "",
            _ => "quiet",
        };
        w!(
            out,
            "<tr id=\"cat-{c}\" class=\"{class}\"><th scope=\"row\">{}</th>",
            title(c)
        );
        let requested = if f.permissions.is_empty() {
            tri(Some(f.requested)).to_owned()
        } else {
            format!(
                "<td class=\"{}\" title=\"{}\">{}</td>",
                if f.requested { "yes" } else { "no" },
                esc(&f.permissions.join(", ")),
                if f.requested { "yes" } else { "no" }
            )
        };
        out.push_str(&requested);
        out.push_str(tri(Some(f.accessed)));
        if transmitted {
            let kinds: Vec<&str> = sinks.iter().map(|k| k.id()).collect();
            w!(
                out,
                "<td class=\"yes strong\">yes{}</td>",
                if kinds.is_empty() {
                    String::new()
                } else {
                    format!(" <span class=\"muted\">({})</span>", kinds.join(", "))
                }
            );
        } else {
            out.push_str(tri(Some(false)));
        }
        match (assessed, a) {
            (_, Some(a)) => {
                out.push_str(tri(a.declared));
                out.push_str(tri(a.necessary));
            }
            // Assessed, but the category is not used: nothing to judge.
            (Some(_), None) => {
                out.push_str("<td class=\"unk\">–</td><td class=\"unk\">–</td>");
            }
            (None, None) => out
                .push_str("<td class=\"unk\">not assessed</td><td class=\"unk\">not assessed</td>"),
        }
        out.push_str("<td class=\"sdks\">");
        if f.first_party {
            out.push_str("<span class=\"badge b-first\">first party</span> ");
        }
        for s in f.sdks.iter().take(MAX_SDKS) {
            w!(out, "<span class=\"badge\">{}</span> ", esc(s));
        }
        if f.sdks.len() > MAX_SDKS {
            w!(
                out,
                "<span class=\"muted\">+{}</span>",
                f.sdks.len().saturating_sub(MAX_SDKS)
            );
        }
        out.push_str("</td>");
        if f.evidence.is_empty() {
            out.push_str("<td class=\"num unk\">0</td></tr>\n");
        } else {
            w!(
                out,
                "<td class=\"num\"><a href=\"#evidence-{c}\">{}</a></td></tr>\n",
                f.evidence.len()
            );
        }
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// A category's name for people: `device_ids` → `Device IDs`.
pub(super) fn title(c: Category) -> &'static str {
    match c {
        Category::Geolocation => "Location",
        Category::Identity => "Identity",
        Category::Messages => "Messages",
        Category::PhotosVideos => "Photos &amp; videos",
        Category::Audio => "Audio",
        Category::Contacts => "Contacts",
        Category::BrowsingHistory => "Browsing history",
        Category::DeviceIds => "Device IDs",
        Category::Calendar => "Calendar",
        Category::InstalledApps => "Installed apps",
        Category::Clipboard => "Clipboard",
        Category::HealthFitness => "Health &amp; fitness",
        Category::Sensors => "Sensors",
        Category::Files => "Files",
    }
}

fn kind(k: EvidenceKind) -> &'static str {
    match k {
        EvidenceKind::Call => "call",
        EvidenceKind::Field => "field",
        EvidenceKind::ContentUri => "content URI",
        EvidenceKind::IntentAction => "intent action",
        EvidenceKind::SystemService => "system service",
    }
}

/// `<section id="evidence">`: every access, per category, with the anchors
/// `ev-<category>-<index>` that reasons link to.
pub(super) fn evidence(out: &mut String, report: &Report, refs: &Refs) {
    open_section(
        out,
        "evidence",
        "Evidence",
        "Each place in the code that reads personal data, and whose code it is.",
    );
    let mut any = false;
    for (c, f) in &report.categories {
        if f.evidence.is_empty() {
            continue;
        }
        any = true;
        let total = f.evidence.len();
        w!(
            out,
            "<details id=\"evidence-{c}\"{}><summary><b>{}</b> · {total} access{}</summary>\n\
             <table class=\"grid evidence\">\n<thead><tr><th>API</th><th>Kind</th><th>Where</th><th>Code of</th></tr></thead>\n<tbody>\n",
            if total <= OPEN_EVIDENCE_ROWS {
                " open"
            } else {
                ""
            },
            title(*c),
            if total == 1 { "" } else { "es" },
        );
        let mut shown = 0usize;
        for (i, e) in f.evidence.iter().enumerate() {
            if i >= MAX_EVIDENCE_ROWS && !refs.evidence.contains(&(*c, i)) {
                continue;
            }
            shown += 1;
            let who = match &e.attribution {
                Attribution::FirstParty => {
                    "<span class=\"badge b-first\">first party</span>".to_owned()
                }
                Attribution::Sdk { name } => {
                    format!("<span class=\"badge b-sdk\">{}</span>", esc(name))
                }
                Attribution::UnknownThirdParty { package } => format!(
                    "<span class=\"badge\">third party</span> <code>{}</code>",
                    esc(package)
                ),
            };
            let l = &e.location;
            w!(
                out,
                "<tr id=\"ev-{c}-{i}\"><td><code class=\"api\">{}</code></td><td>{}</td>\
                 <td><code class=\"loc\">{}-&gt;{}</code> <span class=\"muted\">@{:#x} in {}</span></td><td>{who}</td></tr>\n",
                esc(&e.api),
                kind(e.kind),
                esc(&l.class),
                esc(&l.method),
                l.offset,
                esc(&l.dex),
            );
        }
        out.push_str("</tbody>\n</table>\n");
        truncated_note(out, shown, total, "accesses");
        out.push_str("</details>\n");
    }
    if !any {
        out.push_str("<p class=\"empty\">No code reads personal data.</p>\n");
    }
    out.push_str("</section>\n");
}
