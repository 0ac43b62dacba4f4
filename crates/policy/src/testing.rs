//! `leakscope policy test DIR`: fixtures of reports and expected verdicts.
//!
//! `DIR/policy-tests.toml` lists the cases:
//!
//! ```toml
//! [[case]]
//! name = "contacts sent to a server"      # optional; default: report and policy
//! report = "contacts-transmitted.json"    # relative to DIR
//! policy = "baseline"                     # a pack name, or a .rego file / directory in DIR
//! data = "eu-only.json"                   # optional policy data (data.config)
//! suppressions = "accepted.toml"          # optional suppressions file
//! expect = "block"                        # allow | warn | block
//! rules = ["baseline.contacts_transmitted"]  # optional: the exact set of matched rules
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use leakscope_model::Decision;
use serde::Deserialize;
use serde_json::Value;

use crate::data::load_data;
use crate::error::{Diagnostic, PolicyError, level_name};
use crate::pack;
use crate::policy::Policy;
use crate::suppress::Suppressions;

/// The file `run_tests` reads in its directory.
pub const TESTS_FILE: &str = "policy-tests.toml";

/// At most this many cases.
const MAX_CASES: usize = 10_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestsFile {
    #[serde(default)]
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: Option<String>,
    report: String,
    policy: String,
    data: Option<String>,
    suppressions: Option<String>,
    expect: Decision,
    rules: Option<Vec<String>>,
}

/// The outcome of one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseOutcome {
    /// The case's name.
    pub name: String,
    /// It passed.
    pub passed: bool,
    /// The decision the policy made, when it could be evaluated.
    pub decision: Option<Decision>,
    /// Why it failed (empty when it passed).
    pub detail: String,
}

/// The outcome of every case of a test directory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestReport {
    /// The cases, in file order.
    pub cases: Vec<CaseOutcome>,
}

impl TestReport {
    /// Every case passed (and there was at least one).
    pub fn passed(&self) -> bool {
        !self.cases.is_empty() && self.cases.iter().all(|c| c.passed)
    }

    /// The number of failed cases.
    pub fn failures(&self) -> usize {
        self.cases.iter().filter(|c| !c.passed).count()
    }
}

impl fmt::Display for TestReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.cases {
            if c.passed {
                writeln!(f, "ok   {}", c.name)?;
            } else {
                writeln!(f, "FAIL {}: {}", c.name, c.detail)?;
            }
        }
        let failed = self.failures();
        write!(
            f,
            "{}: {} passed, {failed} failed",
            if self.passed() { "ok" } else { "FAILED" },
            self.cases.len().saturating_sub(failed)
        )
    }
}

/// Runs the cases of `dir/policy-tests.toml`. A malformed test file is an
/// error; a case whose report, policy or data cannot be loaded fails.
pub fn run_tests(dir: &Path) -> Result<TestReport, PolicyError> {
    let file = dir.join(TESTS_FILE);
    let name = file.display().to_string();
    let text = std::fs::read_to_string(&file).map_err(|source| PolicyError::Io {
        path: file.clone(),
        source,
    })?;
    let parsed: TestsFile = toml::from_str(&text).map_err(|e| {
        let message = e.message().trim().to_string();
        PolicyError::Tests(match e.span() {
            Some(span) => Diagnostic::at_offset(&name, &text, span.start, message),
            None => Diagnostic::new(&name, message),
        })
    })?;
    if parsed.case.is_empty() {
        return Err(PolicyError::Tests(Diagnostic::new(&name, "no [[case]]")));
    }
    if parsed.case.len() > MAX_CASES {
        return Err(PolicyError::Tests(Diagnostic::new(
            &name,
            format!("more than {MAX_CASES} cases"),
        )));
    }
    let mut policies: BTreeMap<(String, Option<String>), Result<Policy, String>> = BTreeMap::new();
    let mut report = TestReport::default();
    for case in &parsed.case {
        let label = case
            .name
            .clone()
            .unwrap_or_else(|| format!("{} with {}", case.report, case.policy));
        let key = (case.policy.clone(), case.data.clone());
        let policy = policies
            .entry(key)
            .or_insert_with(|| load_policy(dir, case).map_err(|e| e.to_string()));
        let outcome = match policy {
            Ok(p) => run_case(dir, case, p),
            Err(e) => Err(format!("policy: {e}")),
        };
        report.cases.push(match outcome {
            Ok((decision, None)) => CaseOutcome {
                name: label,
                passed: true,
                decision: Some(decision),
                detail: String::new(),
            },
            Ok((decision, Some(detail))) => CaseOutcome {
                name: label,
                passed: false,
                decision: Some(decision),
                detail,
            },
            Err(detail) => CaseOutcome {
                name: label,
                passed: false,
                decision: None,
                detail,
            },
        });
    }
    Ok(report)
}

fn resolve(dir: &Path, rel: &str) -> PathBuf {
    dir.join(rel)
}

fn load_policy(dir: &Path, case: &Case) -> Result<Policy, PolicyError> {
    let data = case
        .data
        .as_deref()
        .map(|d| load_data(&resolve(dir, d)))
        .transpose()?;
    if pack::find(&case.policy).is_some() {
        Policy::pack(&case.policy, data)
    } else {
        Policy::from_file(&resolve(dir, &case.policy), data)
    }
}

/// The decision, and what differs from the expectation (None: passed).
fn run_case(
    dir: &Path,
    case: &Case,
    policy: &Policy,
) -> Result<(Decision, Option<String>), String> {
    let path = resolve(dir, &case.report);
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let report: Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut decision = policy.evaluate(&report).map_err(|e| e.to_string())?;
    if let Some(s) = &case.suppressions {
        let s = Suppressions::load(&resolve(dir, s)).map_err(|e| e.to_string())?;
        s.apply(&mut decision);
    }
    let mut problems = Vec::new();
    if decision.decision != case.expect {
        problems.push(format!(
            "expected {}, got {}",
            level_name(case.expect),
            level_name(decision.decision)
        ));
    }
    if let Some(expected) = &case.rules {
        let expected: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
        let got: BTreeSet<&str> = decision.matched.iter().map(|m| m.rule.as_str()).collect();
        let missing: Vec<&str> = expected.difference(&got).copied().collect();
        let extra: Vec<&str> = got.difference(&expected).copied().collect();
        if !missing.is_empty() {
            problems.push(format!("missing rules [{}]", missing.join(", ")));
        }
        if !extra.is_empty() {
            problems.push(format!("unexpected rules [{}]", extra.join(", ")));
        }
    }
    let detail = (!problems.is_empty()).then(|| problems.join("; "));
    Ok((decision.decision, detail))
}
