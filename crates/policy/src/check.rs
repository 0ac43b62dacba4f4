//! `leakscope policy check FILE`: does a policy load, compile and evaluate?

use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::error::PolicyError;
use crate::policy::{Policy, read_sources};

/// What [`check`] found in a valid policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckSummary {
    /// The path checked.
    pub policy: String,
    /// The `.rego` files it holds.
    pub files: Vec<String>,
    /// It defines `block` rules.
    pub defines_block: bool,
    /// It defines `warn` rules.
    pub defines_warn: bool,
}

impl fmt::Display for CheckSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let defines: Vec<&str> = [(self.defines_block, "block"), (self.defines_warn, "warn")]
            .into_iter()
            .filter_map(|(d, n)| d.then_some(n))
            .collect();
        let n = self.files.len();
        write!(
            f,
            "{}: ok ({n} file{}; defines {})",
            self.policy,
            if n == 1 { "" } else { "s" },
            defines.join(" and ")
        )
    }
}

/// Checks a policy file or directory: it parses (Rego v1), defines `block`
/// or `warn` in package `leakscope`, and evaluates an empty report without
/// error (which catches unknown functions, unsafe variables and conflicting
/// rules). Errors carry the file, line and column.
pub fn check(path: &Path) -> Result<CheckSummary, PolicyError> {
    check_with_data(path, None)
}

/// [`check`] with policy data (`data.config`) for the trial evaluation.
pub fn check_with_data(path: &Path, data: Option<Value>) -> Result<CheckSummary, PolicyError> {
    let files = read_sources(path)?.into_iter().map(|(f, _)| f).collect();
    let policy = Policy::from_file(path, data)?;
    let (defines_block, defines_warn) = policy.defines();
    Ok(CheckSummary {
        policy: path.display().to_string(),
        files,
        defines_block,
        defines_warn,
    })
}
