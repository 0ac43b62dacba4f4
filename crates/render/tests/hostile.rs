//! Property tests: whatever strings the app puts in its label, hosts, APIs,
//! tracker ids or evidence pointers, the HTML gets no markup from them and
//! the SARIF stays valid.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use leakscope_model::{Location, Report};
use leakscope_render::{html, sarif};
use proptest::prelude::*;

/// The synthetic report with every app-controlled string replaced by `s`.
fn with_strings(s: &str) -> Report {
    let mut r = synthetic_report();
    r.app.label = Some(s.into());
    r.app.path = s.into();
    r.app.signers[0].subject = s.into();
    for t in &mut r.trackers {
        t.id = s.into();
        t.name = s.into();
        t.owner = Some(s.into());
        t.owner_country = Some(s.into());
    }
    for e in &mut r.endpoints {
        e.host = s.into();
        e.urls = vec![s.into()];
        e.owner = Some(s.into());
        for l in &mut e.locations {
            match l {
                Location::Code(c) => c.dex = s.into(),
                Location::File { path } => *path = s.into(),
            }
        }
    }
    for c in r.categories.values_mut() {
        for e in &mut c.evidence {
            e.api = s.into();
            e.location.class = s.into();
            e.location.method = s.into();
            e.location.dex = s.into();
        }
    }
    for f in &mut r.flows {
        f.source.api = s.into();
        f.sink.location.dex = s.into();
        f.path = vec![s.into(), s.into(), s.into()];
    }
    for p in &mut r.permissions {
        p.name = s.into();
    }
    r.dynamic_code[0].container = s.into();
    if let Some(a) = &mut r.assessment {
        for reason in &mut a.reasons {
            reason.message = s.into();
            reason.evidence.push(s.into());
            reason.code = s.into();
        }
        a.app_kind.kind = s.into();
    }
    r.warnings[0].message = s.into();
    r.warnings[0].source = s.into();
    r
}

fn markup_count(page: &str) -> (usize, usize, usize) {
    (
        page.matches('<').count(),
        page.matches('>').count(),
        page.matches('"').count(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn html_markup_does_not_depend_on_app_strings(s in "\\PC{0,40}|[<>\"'&#/\\[\\]:. a-z]{0,40}") {
        // A leading `<` keeps the string from being a valid pointer,
        // country code or rule code, which would change the markup.
        let baseline = html(&with_strings("<x"));
        let page = html(&with_strings(&format!("<{s}")));
        prop_assert_eq!(markup_count(&page), markup_count(&baseline));
    }

    #[test]
    fn sarif_stays_valid(s in "\\PC{0,30}|[<>\"'%#?/\\[\\]: a-z]{0,30}") {
        let log = sarif(&with_strings(&s));
        let v = sarif_validator();
        let errors: Vec<String> = v.iter_errors(&log).take(5).map(|e| format!("{e} at {}", e.instance_path())).collect();
        prop_assert!(errors.is_empty(), "{:?}", errors);
    }
}
