//! Suppressions: a baseline file of accepted findings, each with a reason.
//!
//! ```toml
//! [[suppress]]
//! rule = "baseline.tracker_device_ids"   # a policy rule id, or a finding code (LS104)
//! category = "device_ids"                # optional: only this category
//! sdk = "firebase_analytics"             # optional: only this SDK / tracker
//! reason = "Reviewed by the privacy team, ticket PRIV-12"
//! ```

use std::path::Path;

use leakscope_model::{Category, PolicyDecision};
use serde::Deserialize;

use crate::error::{Diagnostic, PolicyError};
use crate::policy::decide;

/// At most this many entries in a suppressions file.
const MAX_ENTRIES: usize = 100_000;

/// One accepted finding.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    /// The policy rule id (`baseline.tracker_device_ids`) or finding-rule
    /// code (`LS104`) it accepts.
    pub rule: String,
    /// Only matches of this category (any when absent).
    pub category: Option<Category>,
    /// Only matches of this SDK or tracker id (any when absent).
    pub sdk: Option<String>,
    /// Why it is accepted (required, not blank).
    pub reason: String,
}

impl Suppression {
    fn accepts(&self, rule: &str, category: Option<Category>, sdk: Option<&str>) -> bool {
        self.rule == rule
            && self.category.is_none_or(|c| Some(c) == category)
            && self.sdk.as_deref().is_none_or(|s| Some(s) == sdk)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    suppress: Vec<Suppression>,
}

/// A suppressions (baseline) file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Suppressions {
    entries: Vec<Suppression>,
}

impl Suppressions {
    /// Reads a suppressions file (TOML, `[[suppress]]` entries).
    pub fn load(path: &Path) -> Result<Suppressions, PolicyError> {
        let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Suppressions::parse(&path.display().to_string(), &text)
    }

    /// Parses suppressions from text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Suppressions, PolicyError> {
        let parsed: File = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_string();
            PolicyError::Suppressions(match e.span() {
                Some(span) => Diagnostic::at_offset(file, text, span.start, message),
                None => Diagnostic::new(file, message),
            })
        })?;
        if parsed.suppress.len() > MAX_ENTRIES {
            return Err(PolicyError::Suppressions(Diagnostic::new(
                file,
                format!("more than {MAX_ENTRIES} entries"),
            )));
        }
        for (i, s) in parsed.suppress.iter().enumerate() {
            let n = i.saturating_add(1);
            if s.rule.trim().is_empty() {
                return Err(PolicyError::Suppressions(Diagnostic::new(
                    file,
                    format!("entry {n}: `rule` is empty"),
                )));
            }
            if s.reason.trim().is_empty() {
                return Err(PolicyError::Suppressions(Diagnostic::new(
                    file,
                    format!(
                        "entry {n} (`{}`): `reason` is empty; say why it is accepted",
                        s.rule
                    ),
                )));
            }
        }
        Ok(Suppressions {
            entries: parsed.suppress,
        })
    }

    /// The entries, in file order.
    pub fn entries(&self) -> &[Suppression] {
        &self.entries
    }

    /// The reason of the first entry that accepts a match of `rule` (a
    /// policy rule id or a finding code such as `LS104`) on `category` and
    /// `sdk`, if any.
    pub fn accepts_reason(
        &self,
        rule: &str,
        category: Option<Category>,
        sdk: Option<&str>,
    ) -> Option<&str> {
        self.entries
            .iter()
            .find(|s| s.accepts(rule, category, sdk))
            .map(|s| s.reason.as_str())
    }

    /// Moves the accepted matches of `decision` to `suppressed` (with their
    /// `suppression_reason`) and recomputes `decision.decision` from the
    /// rest. Returns how many matches were moved.
    pub fn apply(&self, decision: &mut PolicyDecision) -> usize {
        let mut kept = Vec::with_capacity(decision.matched.len());
        let mut moved = 0usize;
        for mut m in std::mem::take(&mut decision.matched) {
            match self.accepts_reason(&m.rule, m.category, m.sdk.as_deref()) {
                Some(reason) => {
                    m.suppression_reason = Some(reason.to_string());
                    decision.suppressed.push(m);
                    moved = moved.saturating_add(1);
                }
                None => kept.push(m),
            }
        }
        decision.matched = kept;
        decision.decision = decide(&decision.matched);
        moved
    }

    /// Entries that accept none of the given decisions' matches (stale
    /// suppressions worth removing), by index into [`Self::entries`].
    pub fn unused<'a>(
        &self,
        decisions: impl IntoIterator<Item = &'a PolicyDecision>,
    ) -> Vec<usize> {
        let mut used = vec![false; self.entries.len()];
        for d in decisions {
            for m in d.matched.iter().chain(&d.suppressed) {
                if let Some(i) = self
                    .entries
                    .iter()
                    .position(|s| s.accepts(&m.rule, m.category, m.sdk.as_deref()))
                    && let Some(u) = used.get_mut(i)
                {
                    *u = true;
                }
            }
        }
        used.iter()
            .enumerate()
            .filter_map(|(i, u)| (!u).then_some(i))
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use leakscope_model::{Decision, RuleMatch};

    fn m(rule: &str, level: Decision, category: Option<Category>, sdk: Option<&str>) -> RuleMatch {
        RuleMatch {
            rule: rule.into(),
            level,
            message: "x".into(),
            category,
            sdk: sdk.map(Into::into),
            suppression_reason: None,
        }
    }

    #[test]
    fn apply_moves_accepted_matches_and_recomputes() {
        let s = Suppressions::parse(
            "s.toml",
            r#"
[[suppress]]
rule = "baseline.tracker_device_ids"
category = "device_ids"
sdk = "firebase"
reason = "accepted by privacy team"

[[suppress]]
rule = "LS104"
reason = "known"
"#,
        )
        .unwrap();
        let mut d = PolicyDecision {
            policy: "baseline".into(),
            decision: Decision::Block,
            matched: vec![
                m(
                    "baseline.tracker_device_ids",
                    Decision::Block,
                    Some(Category::DeviceIds),
                    Some("firebase"),
                ),
                m(
                    "baseline.tracker_device_ids",
                    Decision::Block,
                    Some(Category::DeviceIds),
                    Some("other"),
                ),
                m("baseline.leakware_verdict", Decision::Warn, None, None),
            ],
            suppressed: vec![],
        };
        assert_eq!(s.apply(&mut d), 1);
        assert_eq!(d.decision, Decision::Block);
        assert_eq!(d.suppressed.len(), 1);
        assert_eq!(
            d.suppressed[0].suppression_reason.as_deref(),
            Some("accepted by privacy team")
        );
        d.matched.retain(|x| x.sdk.as_deref() != Some("other"));
        d.decision = decide(&d.matched);
        assert_eq!(d.decision, Decision::Warn);
        assert_eq!(
            s.accepts_reason("LS104", Some(Category::Contacts), Some("x")),
            Some("known")
        );
        assert_eq!(s.accepts_reason("LS105", None, None), None);
        assert_eq!(s.unused([&d]), vec![1]);
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = Suppressions::parse("s.toml", "[[suppress]]\nrule = \"x\"\nreason = \"  \"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "s.toml: entry 1 (`x`): `reason` is empty; say why it is accepted"
        );
        let e = Suppressions::parse("s.toml", "[[suppress]]\nrule = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("s.toml:1:1: missing field `reason`"), "{e}");
        let e = Suppressions::parse(
            "s.toml",
            "[[suppress]]\nrule = \"x\"\nreason = \"r\"\ncategory = \"nope\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("s.toml:4:12: unknown variant `nope`"), "{e}");
        let e = Suppressions::parse(
            "s.toml",
            "[[suppress]]\nrule = \"x\"\nreason = \"r\"\nsdks = \"a\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("s.toml:4:1: unknown field `sdks`"), "{e}");
    }
}
