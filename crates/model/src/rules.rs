//! The registry of finding rules: stable codes that reasons, SARIF results
//! and suppressions refer to. Like ruff's, each rule has a code, a short
//! name, a one-line summary and help text; `docs/rules.md` is generated from
//! this table (see the `rules_doc_is_current` test).

/// One finding rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, e.g. `LS101`. Never reused once published.
    pub code: &'static str,
    /// Kebab-case name, e.g. `unneeded-data-transmitted`.
    pub name: &'static str,
    /// One line: what the finding means.
    pub summary: &'static str,
    /// Why it matters and what to do about it.
    pub help: &'static str,
    /// Default severity in SARIF: `error`, `warning` or `note`.
    pub level: &'static str,
}

/// Every rule, by code.
pub const RULES: &[Rule] = &[
    Rule {
        code: "LS101",
        name: "unneeded-data-transmitted",
        summary: "Personal data the app's kind does not need is sent out of the app.",
        help: "The app reads data of this category although apps of its kind do not need it, and a data flow (or a tracker SDK with network access) carries it to the network, SMS or another app. This is the leakware pattern. Check the flow's path; if the collection is legitimate, declare it and document why.",
        level: "error",
    },
    Rule {
        code: "LS102",
        name: "data-transmitted",
        summary: "Personal data is sent out of the app.",
        help: "A data flow carries data of this category from its source API to a network, SMS or IPC sink. The app's kind may need it; check that it is declared and sent only where expected.",
        level: "warning",
    },
    Rule {
        code: "LS103",
        name: "data-read-by-tracker",
        summary: "A tracker SDK reads personal data.",
        help: "Code of a known tracker SDK calls an API of this category. Trackers send what they collect to their owners' servers. Disable the collection in the SDK's configuration or remove the SDK.",
        level: "warning",
    },
    Rule {
        code: "LS104",
        name: "undeclared-collection",
        summary: "The app accesses personal data that its publisher does not declare.",
        help: "The declarations given (Google Play Data safety answers, the iOS privacy manifest) do not list this category, but the app's code accesses it. Either declare the collection or remove the code.",
        level: "error",
    },
    Rule {
        code: "LS105",
        name: "unneeded-data-accessed",
        summary: "The app reads personal data its kind does not need.",
        help: "The app's code calls APIs of this category although apps of its kind do not need it. No flow to a sink was proven, so this may be harmless; review the call sites.",
        level: "warning",
    },
    Rule {
        code: "LS106",
        name: "data-accessed",
        summary: "The app reads personal data.",
        help: "The app's code calls an API, reads a field or uses a content URI of this category. This is evidence of access, not of a leak.",
        level: "note",
    },
    Rule {
        code: "LS201",
        name: "tracker-embedded",
        summary: "The app embeds a tracker SDK.",
        help: "Classes matching the tracker's code signature (Exodus database), or endpoints matching its network signature, are in the app.",
        level: "note",
    },
    Rule {
        code: "LS202",
        name: "cleartext-endpoint",
        summary: "The app may connect to a host without encryption.",
        help: "A URL with a cleartext scheme (http, ws, ftp) appears in the app. Data sent there can be read and changed on the way.",
        level: "note",
    },
    Rule {
        code: "LS301",
        name: "unused-permission",
        summary: "A permission is requested but no code uses it.",
        help: "No API that needs this permission is called. Remove it from the manifest, or check for code leakscope could not see (native or loaded at run time).",
        level: "note",
    },
    Rule {
        code: "LS302",
        name: "dynamic-code",
        summary: "The app carries code it can load at run time.",
        help: "DEX, JAR or APK files outside the main DEX files can hide behaviour from static analysis. leakscope analyses what it can read of them.",
        level: "warning",
    },
    Rule {
        code: "LS401",
        name: "suspected-counterfeit",
        summary: "The app's signer differs from the one known for its package.",
        help: "Another signer certificate is known for this package name. The app may be a repackaged clone carrying extra code.",
        level: "error",
    },
    Rule {
        code: "LS501",
        name: "partial-analysis",
        summary: "Part of the app could not be analysed.",
        help: "A budget was hit or a file could not be read; the report lists what was skipped. Findings may be missing.",
        level: "warning",
    },
];

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for r in RULES {
            assert!(codes.insert(r.code), "duplicate code {}", r.code);
            assert!(names.insert(r.name), "duplicate name {}", r.name);
            assert!(r.code.starts_with("LS") && r.code.len() == 5);
            assert!(matches!(r.level, "error" | "warning" | "note"));
        }
        assert_eq!(
            rule("LS101").map(|r| r.name),
            Some("unneeded-data-transmitted")
        );
    }
}
