//! The weights of the score and the verdict thresholds (`scoring.toml`).

use std::collections::BTreeMap;

use leakscope_model::Category;
use serde::Deserialize;

use crate::data::{self, Meta};
use crate::error::AssessError;

/// Base points per rule (see `docs/scoring.md`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[allow(non_snake_case)]
pub struct BaseWeights {
    /// Unneeded data transmitted.
    pub LS101: u32,
    /// Data transmitted.
    pub LS102: u32,
    /// Data read by a tracker.
    pub LS103: u32,
    /// Undeclared collection.
    pub LS104: u32,
    /// Unneeded data accessed.
    pub LS105: u32,
    /// Data accessed.
    pub LS106: u32,
    /// Per tracker embedded.
    pub LS201: u32,
    /// Cap of all LS201 points.
    pub LS201_max: u32,
    /// Per unused dangerous permission.
    pub LS301: u32,
    /// Cap of all LS301 points.
    pub LS301_max: u32,
    /// Dynamic code.
    pub LS302: u32,
    /// Partial analysis.
    pub LS501: u32,
}

/// Multipliers applied to the base points.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Factors {
    /// LS102 when the kind needs the category.
    pub needed: f64,
    /// LS102 when the kind may need the category.
    pub may_need: f64,
    /// LS102 and LS106 when the kind is unknown.
    pub unknown_kind: f64,
    /// LS101, LS102, LS103 when the category is declared.
    pub declared: f64,
    /// LS104 when the category is accessed but not transmitted.
    pub undeclared_not_transmitted: f64,
    /// LS106 when the kind needs or may need the category.
    pub accessed_needed: f64,
}

/// Verdict thresholds.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Score from which the verdict may be `leakware`.
    pub leakware: u32,
    /// Score from which the verdict is at least `needs_review`.
    pub review: u32,
    /// Sensitivity from which a category counts as sensitive.
    pub sensitive: f64,
}

/// Weights of the kind-inference signals.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InferenceWeights {
    /// An intent-filter action.
    pub action: u32,
    /// An intent-filter category.
    pub intent_category: u32,
    /// A component's `android:permission`.
    pub bind_permission: u32,
    /// A `<uses-feature>`.
    pub feature: u32,
    /// A keyword in the label.
    pub keyword_label: u32,
    /// A keyword in the package name.
    pub keyword_package: u32,
    /// The least score of an inferred kind.
    pub min_score: u32,
}

/// The loaded `scoring.toml`.
#[derive(Clone, Debug)]
pub struct Scoring {
    /// Base points per rule.
    pub base: BaseWeights,
    /// Sensitivity of each category.
    pub sensitivity: BTreeMap<Category, f64>,
    /// Sensitivity for LS103, where it differs.
    pub tracker_sensitivity: BTreeMap<Category, f64>,
    /// Multipliers.
    pub factors: Factors,
    /// Verdict thresholds.
    pub verdict: Thresholds,
    /// Kind-inference weights.
    pub inference: InferenceWeights,
    /// The file's header.
    pub meta: Meta,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    schema_version: i64,
    meta: Meta,
    base: BaseWeights,
    sensitivity: BTreeMap<String, f64>,
    tracker_sensitivity: BTreeMap<String, f64>,
    factors: Factors,
    verdict: Thresholds,
    inference: InferenceWeights,
}

fn check_unit(label: &str, what: &str, v: f64) -> Result<(), AssessError> {
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        Ok(())
    } else {
        Err(AssessError::data(
            label,
            format_args!("{what} = {v} is not between 0 and 1"),
        ))
    }
}

fn categories(
    label: &str,
    table: &str,
    raw: BTreeMap<String, f64>,
) -> Result<BTreeMap<Category, f64>, AssessError> {
    let mut out = BTreeMap::new();
    for (id, v) in raw {
        let c = Category::from_id(&id).ok_or_else(|| {
            AssessError::data(label, format_args!("[{table}]: unknown category `{id}`"))
        })?;
        check_unit(label, &format!("[{table}] {id}"), v)?;
        out.insert(c, v);
    }
    Ok(out)
}

impl Scoring {
    /// Parses and validates `scoring.toml`.
    pub(crate) fn load(label: &str, text: &str) -> Result<Scoring, AssessError> {
        let raw: RawFile = data::from_toml(label, text)?;
        data::check_header(label, raw.schema_version, &raw.meta)?;
        let sensitivity = categories(label, "sensitivity", raw.sensitivity)?;
        if let Some(missing) = Category::ALL.iter().find(|c| !sensitivity.contains_key(c)) {
            return Err(AssessError::data(
                label,
                format_args!("[sensitivity]: category `{missing}` has no value"),
            ));
        }
        let tracker_sensitivity =
            categories(label, "tracker_sensitivity", raw.tracker_sensitivity)?;
        let f = &raw.factors;
        for (what, v) in [
            ("needed", f.needed),
            ("may_need", f.may_need),
            ("unknown_kind", f.unknown_kind),
            ("declared", f.declared),
            ("undeclared_not_transmitted", f.undeclared_not_transmitted),
            ("accessed_needed", f.accessed_needed),
        ] {
            check_unit(label, &format!("[factors] {what}"), v)?;
        }
        check_unit(label, "[verdict] sensitive", raw.verdict.sensitive)?;
        let b = &raw.base;
        let all = [
            b.LS101,
            b.LS102,
            b.LS103,
            b.LS104,
            b.LS105,
            b.LS106,
            b.LS201,
            b.LS201_max,
            b.LS301,
            b.LS301_max,
            b.LS302,
            b.LS501,
        ];
        if all.iter().any(|w| *w > 100)
            || raw.verdict.leakware > 100
            || raw.verdict.review > raw.verdict.leakware
        {
            return Err(AssessError::data(
                label,
                "weights must be at most 100, and [verdict] review at most leakware",
            ));
        }
        Ok(Scoring {
            base: raw.base,
            sensitivity,
            tracker_sensitivity,
            factors: raw.factors,
            verdict: raw.verdict,
            inference: raw.inference,
            meta: raw.meta,
        })
    }

    /// The sensitivity of `category`.
    pub fn sensitivity(&self, category: Category) -> f64 {
        self.sensitivity.get(&category).copied().unwrap_or(1.0)
    }

    /// The sensitivity of `category` when a tracker reads it.
    pub fn tracker_sensitivity(&self, category: Category) -> f64 {
        self.tracker_sensitivity
            .get(&category)
            .copied()
            .unwrap_or_else(|| self.sensitivity(category))
    }
}

/// `round(base x product of factors)`, clamped to 0..=100.
pub(crate) fn points(base: u32, factors: &[f64]) -> u8 {
    let v = factors
        .iter()
        .fold(f64::from(base), |acc, f| acc * f)
        .round();
    if v.is_nan() || v <= 0.0 {
        0
    } else if v >= 100.0 {
        100
    } else {
        // In 0..100 after the checks above.
        v as u8
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn embedded_scoring_is_valid() {
        let s = Scoring::load("scoring.toml", crate::data::SCORING.embedded).unwrap();
        assert_eq!(s.sensitivity(Category::Contacts), 1.0);
        assert_eq!(s.tracker_sensitivity(Category::DeviceIds), 1.0);
        assert!(s.sensitivity(Category::DeviceIds) < 1.0);
    }

    #[test]
    fn points_round_and_clamp() {
        assert_eq!(points(25, &[0.6]), 15);
        assert_eq!(points(20, &[0.7]), 14);
        assert_eq!(points(60, &[1.0, 0.5]), 30);
        assert_eq!(points(100, &[1.0]), 100);
        assert_eq!(points(10, &[f64::NAN]), 0);
    }

    #[test]
    fn bad_values_are_errors() {
        let text = crate::data::SCORING
            .embedded
            .replace("sensors = 0.3", "sensors = 3.0");
        let e = Scoring::load("s.toml", &text).unwrap_err().to_string();
        assert!(
            e.contains("sensors") && e.contains("between 0 and 1"),
            "{e}"
        );
        let text = crate::data::SCORING.embedded.replace("sensors = 0.3\n", "");
        let e = Scoring::load("s.toml", &text).unwrap_err().to_string();
        assert!(e.contains("`sensors` has no value"), "{e}");
    }
}
