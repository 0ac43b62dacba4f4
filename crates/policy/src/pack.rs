//! The built-in policy packs, embedded from `data/policy/`.

/// A built-in policy pack.
#[derive(Clone, Copy, Debug)]
pub struct Pack {
    /// Its name (`baseline`, `strict`, `developer`).
    pub name: &'static str,
    /// What it does, in a sentence.
    pub summary: &'static str,
    /// Its Rego files, `(file name, source)`, evaluated together.
    pub files: &'static [(&'static str, &'static str)],
    /// Its default `data.config` documents, `(file name, JSON)`, merged in
    /// order (later wins); the user's data is merged last.
    pub defaults: &'static [(&'static str, &'static str)],
}

const BASELINE_REGO: (&str, &str) = (
    "baseline.rego",
    include_str!("../../../data/policy/baseline.rego"),
);
const STRICT_REGO: (&str, &str) = (
    "strict.rego",
    include_str!("../../../data/policy/strict.rego"),
);
const DEVELOPER_REGO: (&str, &str) = (
    "developer.rego",
    include_str!("../../../data/policy/developer.rego"),
);
const BASELINE_JSON: (&str, &str) = (
    "baseline.json",
    include_str!("../../../data/policy/baseline.json"),
);
const STRICT_JSON: (&str, &str) = (
    "strict.json",
    include_str!("../../../data/policy/strict.json"),
);
const DEVELOPER_JSON: (&str, &str) = (
    "developer.json",
    include_str!("../../../data/policy/developer.json"),
);

/// Every built-in pack.
pub const PACKS: &[Pack] = &[
    Pack {
        name: "baseline",
        summary: "blocks apps that transmit contacts, messages or audio, that let trackers \
                  read device identifiers, or that look counterfeit",
        files: &[BASELINE_REGO],
        defaults: &[BASELINE_JSON],
    },
    Pack {
        name: "strict",
        summary: "baseline, plus: transmissions outside allowed owners and countries, \
                  trackers of denied owners, undeclared collection",
        files: &[BASELINE_REGO, STRICT_REGO],
        defaults: &[BASELINE_JSON, STRICT_JSON],
    },
    Pack {
        name: "developer",
        summary: "for CI: baseline, plus undeclared or unnecessary collection is an error",
        files: &[BASELINE_REGO, DEVELOPER_REGO],
        defaults: &[BASELINE_JSON, DEVELOPER_JSON],
    },
];

/// The pack with this name.
pub fn find(name: &str) -> Option<&'static Pack> {
    PACKS.iter().find(|p| p.name == name)
}

/// The names of the built-in packs.
pub fn names() -> Vec<&'static str> {
    PACKS.iter().map(|p| p.name).collect()
}
