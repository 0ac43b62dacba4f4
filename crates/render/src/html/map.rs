//! The world map: countries as inline SVG paths, shaded by the number of
//! destinations in them. Shapes come from `data/render/world-110m.tsv`
//! (Natural Earth 1:110m, public domain; see `data/render/README.md`).

use std::collections::BTreeMap;

use super::escape::esc;

/// `alpha2 TAB name TAB path` per line; `#` starts a comment line.
const WORLD: &str = include_str!("../../../../data/render/world-110m.tsv");
/// The map's size in SVG units (see the data README).
const VIEW_BOX: &str = "0 0 1000 394";

/// Upper bounds of the shade classes `m1`…`m5` (`m0`: none).
const BUCKETS: [usize; 4] = [1, 3, 7, 15];

fn shade(n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    BUCKETS
        .iter()
        .take_while(|&&b| n > b)
        .count()
        .saturating_add(1)
}

/// The countries of the map, as (alpha-2 code, name, path).
fn countries() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    WORLD
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            Some((parts.next()?, parts.next()?, parts.next()?))
        })
}

/// Writes `<figure id="map">` with one path per country; `counts` maps
/// upper-case ISO alpha-2 codes to numbers of destinations.
pub(super) fn figure(out: &mut String, counts: &BTreeMap<String, usize>) {
    w!(
        out,
        "<figure id=\"map\">\n<svg class=\"world\" viewBox=\"{VIEW_BOX}\" role=\"img\" aria-label=\"World map of destination countries\">\n\
         <rect class=\"sea\" x=\"0\" y=\"0\" width=\"1000\" height=\"394\"/>\n"
    );
    for (code, name, d) in countries() {
        let n = counts.get(code).copied().unwrap_or(0);
        w!(
            out,
            "<path class=\"m{}\" data-cc=\"{code}\" d=\"{d}\"><title>{} ({code}): {n} destination{}</title></path>\n",
            shade(n),
            esc(name),
            if n == 1 { "" } else { "s" },
        );
    }
    out.push_str("</svg>\n<figcaption>");
    out.push_str("<span class=\"legend\">Destinations per country: ");
    let labels = ["none", "1", "2–3", "4–7", "8–15", "16+"];
    for (i, l) in labels.iter().enumerate() {
        w!(out, "<span class=\"key\"><i class=\"m{i}\"></i>{l}</span>");
    }
    out.push_str("</span>");
    let known: std::collections::BTreeSet<&str> = countries().map(|(c, _, _)| c).collect();
    let elsewhere: Vec<String> = counts
        .iter()
        .filter(|(c, _)| !known.contains(c.as_str()))
        .map(|(c, n)| format!("{} ({n})", esc(c)))
        .collect();
    if !elsewhere.is_empty() {
        w!(
            out,
            " <span class=\"muted\">Not on the map: {}.</span>",
            elsewhere.join(", ")
        );
    }
    if counts.is_empty() {
        out.push_str(" <span class=\"muted\">No destination has a known country.</span>");
    }
    out.push_str("</figcaption>\n</figure>\n");
}

/// Normalises a country code from the report: two ASCII letters, upper
/// case; anything else is dropped.
pub(super) fn country_code(s: &str) -> Option<String> {
    let t = s.trim();
    (t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic())).then(|| t.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_data_has_the_countries() {
        let all: Vec<_> = countries().collect();
        assert!(all.len() > 150, "{} countries", all.len());
        for cc in ["US", "DE", "CN", "RU", "BR", "IN", "FR", "AU"] {
            assert!(all.iter().any(|(c, _, _)| *c == cc), "{cc} missing");
        }
        assert!(
            all.iter()
                .all(|(c, _, d)| c.len() == 2 && d.starts_with('M'))
        );
    }

    #[test]
    fn shades_by_bucket() {
        assert_eq!(
            [0, 1, 2, 3, 4, 7, 8, 15, 16, 1000].map(shade),
            [0, 1, 2, 2, 3, 3, 4, 4, 5, 5]
        );
    }

    #[test]
    fn country_codes_are_checked() {
        assert_eq!(country_code("us"), Some("US".into()));
        assert_eq!(country_code("<s"), None);
        assert_eq!(country_code("USA"), None);
    }
}
