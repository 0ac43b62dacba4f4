//! Organization policies in Rego: allow, warn or block an analysed app.
//!
//! A policy is Rego (package `leakscope`, evaluated in-process by
//! [regorus](https://crates.io/crates/regorus)) that reads the report JSON as
//! `input` and its configuration as `data.config`, and defines
//! `block contains m if {...}` and/or `warn contains m if {...}`, where `m`
//! is `{"rule": ..., "message": ..., "category": ..., "sdk": ...}`. The
//! decision is block if any block rule matched, else warn if any warn rule
//! matched, else allow. `docs/policy.md` describes the convention and the
//! built-in packs ([`PACKS`]: `baseline`, `strict`, `developer`).
//!
//! - [`Policy`] loads a pack or a file and [`Policy::evaluate`]s reports
//!   into a [`PolicyDecision`](leakscope_model::PolicyDecision).
//! - [`check`] validates a policy file (`leakscope policy check`): errors
//!   print as `file:line:col: message`.
//! - [`Suppressions`] accepts given findings, with a reason.
//! - [`run_tests`] runs a directory of fixtures (`leakscope policy test`).
//!
//! ```
//! use leakscope_model::Decision;
//! use leakscope_policy::Policy;
//!
//! let policy = Policy::pack("baseline", None)?;
//! let report = serde_json::json!({
//!     "categories": {"contacts": {"accessed": true, "transmitted": true, "sinks": ["network"]}},
//!     "assessment": null,
//! });
//! let decision = policy.evaluate(&report)?;
//! assert_eq!(decision.decision, Decision::Block);
//! assert_eq!(decision.matched[0].rule, "baseline.contacts_transmitted");
//! # Ok::<(), leakscope_policy::PolicyError>(())
//! ```
//!
//! Evaluation time is bounded by a wall-clock limit
//! ([`Policy::with_time_limit`], default [`DEFAULT_TIME_LIMIT`]) checked
//! cooperatively by regorus; memory is not bounded.
#![deny(missing_docs)]

mod check;
mod data;
mod error;
mod pack;
mod policy;
mod suppress;
mod testing;

pub use check::{CheckSummary, check, check_with_data};
pub use data::{load_data, parse_data};
pub use error::{Diagnostic, PolicyError};
pub use pack::{PACKS, Pack};
pub use policy::{DEFAULT_TIME_LIMIT, MAX_FILES, MAX_MATCHES, PACKAGE, Policy, WARM_UP_TIME_LIMIT};
pub use suppress::{Suppression, Suppressions};
pub use testing::{CaseOutcome, TestReport, run_tests};

/// The names of the built-in packs.
pub fn pack_names() -> Vec<&'static str> {
    pack::names()
}

#[cfg(test)]
mod tests {
    #[test]
    fn policies_can_be_shared_between_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<crate::Policy>();
        send_sync::<crate::Suppressions>();
    }
}
