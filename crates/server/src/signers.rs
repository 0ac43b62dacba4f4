//! Counterfeit clones: an app whose package is known but whose signing
//! certificate is not one of those trusted for that package.
//!
//! Trusted signers come from `data/signers/known_signers.toml` (knowledge base) and,
//! per organization, from the first analysed app of a package it sees
//! (source `fleet`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// The embedded reference list.
const KNOWN_SIGNERS: &str = include_str!("../../../data/signers/known_signers.toml");

/// Package → trusted signer certificate digests, from the knowledge base.
#[derive(Clone, Debug, Default)]
pub struct KnownSigners {
    by_package: HashMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    signer: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    package: String,
    sha256: String,
    #[allow(dead_code)]
    source: String,
}

impl KnownSigners {
    /// The embedded list.
    pub fn embedded() -> Result<KnownSigners, String> {
        KnownSigners::parse(KNOWN_SIGNERS)
    }

    /// Parses a list in the `known_signers.toml` format.
    pub fn parse(text: &str) -> Result<KnownSigners, String> {
        let file: File = toml::from_str(text).map_err(|e| format!("known_signers.toml: {e}"))?;
        let mut by_package: HashMap<String, Vec<String>> = HashMap::new();
        for e in file.signer {
            if e.sha256.len() != 64 || !e.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!(
                    "known_signers.toml: {}: `{}` is not a SHA-256",
                    e.package, e.sha256
                ));
            }
            by_package
                .entry(e.package)
                .or_default()
                .push(e.sha256.to_ascii_lowercase());
        }
        Ok(KnownSigners { by_package })
    }

    /// The signers trusted for `package` (empty when unknown).
    pub fn for_package(&self, package: &str) -> &[String] {
        self.by_package.get(package).map_or(&[], Vec::as_slice)
    }
}

/// The outcome of a counterfeit check (the contract's `counterfeit` object).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterfeitCheck {
    /// Whether the app is a suspected counterfeit.
    pub suspected: bool,
    /// The package.
    pub package: String,
    /// The trusted signers.
    pub expected_signers: Vec<String>,
    /// The app's signers.
    pub actual_signers: Vec<String>,
    /// `knowledge_base` or `fleet`.
    pub source: String,
}

/// Checks `actual` signers of `package` against the knowledge base's
/// signers (which win when present) or else the organization's fleet
/// signers. `None` when neither knows the package.
pub fn check(
    package: &str,
    actual: &[String],
    known: &[String],
    fleet: &[String],
) -> Option<CounterfeitCheck> {
    let (expected, source) = if !known.is_empty() {
        (known, "knowledge_base")
    } else if !fleet.is_empty() {
        (fleet, "fleet")
    } else {
        return None;
    };
    let suspected = !actual
        .iter()
        .any(|a| expected.iter().any(|e| e.eq_ignore_ascii_case(a)));
    Some(CounterfeitCheck {
        suspected,
        package: package.to_string(),
        expected_signers: expected.to_vec(),
        actual_signers: actual.to_vec(),
        source: source.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_parses_and_has_the_test_entry() {
        let k = KnownSigners::embedded().unwrap();
        assert_eq!(k.for_package("org.leakscope.example.signed").len(), 1);
        assert!(k.for_package("com.unknown").is_empty());
    }

    #[test]
    fn bad_digest_is_rejected() {
        let e = KnownSigners::parse("[[signer]]\npackage='a'\nsha256='xyz'\nsource='t'\n");
        assert!(e.is_err());
    }

    #[test]
    fn knowledge_base_wins_over_fleet() {
        let kb = vec!["aa".repeat(32)];
        let fleet = vec!["bb".repeat(32)];
        let c = check("p", &fleet, &kb, &fleet).unwrap();
        assert!(c.suspected);
        assert_eq!(c.source, "knowledge_base");
        let c = check("p", &kb, &kb, &fleet).unwrap();
        assert!(!c.suspected);
        let c = check("p", &fleet, &[], &fleet).unwrap();
        assert!(!c.suspected);
        assert_eq!(c.source, "fleet");
        assert!(check("p", &fleet, &[], &[]).is_none());
        // An unsigned app of a known package is suspect.
        assert!(check("p", &[], &[], &fleet).unwrap().suspected);
    }
}
