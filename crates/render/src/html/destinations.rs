//! Where data may go: the destinations table and the world map.

use std::collections::{BTreeMap, BTreeSet};

use leakscope_model::{Category, Report};

use super::categories::title;
use super::escape::{anchor, esc};
use super::{Refs, map, open_section, tables, truncated_note};

/// The most destinations listed in the table.
const MAX_ROWS: usize = 300;

/// One host, merged from the assessment's destinations and the endpoints.
#[derive(Default)]
struct Dest<'a> {
    owner: Option<&'a str>,
    owner_country: Option<&'a str>,
    ip_country: Option<&'a str>,
    tracker: Option<&'a str>,
    categories: BTreeSet<Category>,
    cleartext: bool,
    endpoint: bool,
}

fn fill<'a>(slot: &mut Option<&'a str>, v: Option<&'a String>) {
    if slot.is_none() {
        *slot = v.map(String::as_str).filter(|s| !s.is_empty());
    }
}

fn collect(report: &Report) -> BTreeMap<&str, Dest<'_>> {
    let mut all: BTreeMap<&str, Dest<'_>> = BTreeMap::new();
    if let Some(a) = &report.assessment {
        for (c, ca) in &a.categories {
            for d in &ca.destinations {
                let e = all.entry(d.host.as_str()).or_default();
                e.categories.insert(*c);
                fill(&mut e.owner, d.owner.as_ref());
                fill(&mut e.owner_country, d.owner_country.as_ref());
                fill(&mut e.ip_country, d.ip_country.as_ref());
                fill(&mut e.tracker, d.tracker.as_ref());
            }
        }
    }
    for ep in &report.endpoints {
        let e = all.entry(ep.host.as_str()).or_default();
        e.endpoint = true;
        e.cleartext |= ep.cleartext;
        fill(&mut e.owner, ep.owner.as_ref());
        fill(&mut e.owner_country, ep.owner_country.as_ref());
        fill(&mut e.ip_country, ep.ip_country.as_ref());
        fill(&mut e.tracker, ep.tracker.as_ref());
    }
    all
}

/// `<section id="destinations">`: the table, then the map.
pub(super) fn section(out: &mut String, report: &Report, refs: &Refs) {
    open_section(
        out,
        "destinations",
        "Destinations",
        "Hosts the app may send data to, who owns them and where. Countries are the owner's \
         (from the domain-owner database) and, when resolved, the IP address's.",
    );
    let all = collect(report);
    // Hosts with a row in the endpoints table, to link to.
    let listed: std::collections::HashSet<&str> = report
        .endpoints
        .iter()
        .take(tables::MAX_ROWS)
        .map(|e| e.host.as_str())
        .chain(refs.endpoints.iter().copied())
        .collect();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for d in all.values() {
        let set: BTreeSet<String> = [d.owner_country, d.ip_country]
            .into_iter()
            .flatten()
            .filter_map(map::country_code)
            .collect();
        for c in set {
            let n = counts.entry(c).or_default();
            *n = n.saturating_add(1);
        }
    }
    if all.is_empty() {
        out.push_str("<p class=\"empty\">No host or IP address found in the app.</p>\n");
    } else {
        let mut rows: Vec<(&&str, &Dest<'_>)> = all.iter().collect();
        // Hosts that receive data first, then trackers, then the rest.
        rows.sort_by_key(|(h, d)| (d.categories.is_empty(), d.tracker.is_none(), **h));
        out.push_str(
            "<table class=\"grid\">\n<thead><tr><th>Host</th><th>Owner</th><th>Owner country</th>\
             <th>IP country</th><th>Tracker</th><th>Data sent</th></tr></thead>\n<tbody>\n",
        );
        for (host, d) in rows.iter().take(MAX_ROWS) {
            let cell = |v: Option<&str>| {
                v.map_or("<td class=\"unk\">–</td>".to_owned(), |s| {
                    format!("<td>{}</td>", esc(s))
                })
            };
            let host_html = if d.endpoint && listed.contains(**host) {
                format!(
                    "<a href=\"#{}\"><code>{}</code></a>",
                    anchor("endpoint", host),
                    esc(host)
                )
            } else {
                format!("<code>{}</code>", esc(host))
            };
            w!(
                out,
                "<tr><td>{host_html}{}</td>{}{}{}{}",
                if d.cleartext {
                    " <span class=\"badge b-warn\">cleartext</span>"
                } else {
                    ""
                },
                cell(d.owner),
                cell(d.owner_country),
                cell(d.ip_country),
                cell(d.tracker),
            );
            if d.categories.is_empty() {
                out.push_str("<td class=\"unk\">–</td></tr>\n");
            } else {
                let cats: Vec<&str> = d.categories.iter().map(|c| title(*c)).collect();
                w!(out, "<td class=\"strong\">{}</td></tr>\n", cats.join(", "));
            }
        }
        out.push_str("</tbody>\n</table>\n");
        truncated_note(out, rows.len().min(MAX_ROWS), rows.len(), "destinations");
    }
    map::figure(out, &counts);
    out.push_str("</section>\n");
}
