//! Organization verdicts: each org's policy (default pack `baseline`,
//! version 0) applied to an analysed app, plus the counterfeit check that
//! blocks whatever the policy says. Verdicts are stored and cached per org.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use leakscope_model::{Decision, PolicyDecision};
use leakscope_policy::{Policy, PolicyError};
use leakscope_store::{AppRecord, AppStatus, OrgId, PolicyRecord, VerdictRecord, now_ms};
use serde_json::{Value, json};

use crate::signers::{self, CounterfeitCheck};
use crate::state::{AppState, CACHE_TTL};

/// The pack an organization without a policy uses.
pub const DEFAULT_PACK: &str = "baseline";
/// The rule of a counterfeit block.
pub const COUNTERFEIT_RULE: &str = "counterfeit.signer_mismatch";

/// Compiles a policy record's content: a pack (with optional data) or Rego
/// source (with data).
pub fn compile(
    pack: Option<&str>,
    rego: Option<&str>,
    data: &Value,
) -> Result<Policy, PolicyError> {
    let data = match data {
        Value::Null => None,
        Value::Object(m) if m.is_empty() => None,
        d => Some(d.clone()),
    };
    match (pack, rego) {
        (_, Some(rego)) => Policy::from_source("policy.rego", rego, data),
        (Some(pack), None) => Policy::pack(pack, data),
        (None, None) => Policy::pack(DEFAULT_PACK, data),
    }
}

/// A compiled policy: when it was checked, its version, the policy.
type CachedPolicy = (Instant, i64, Arc<Policy>);

/// An org's verdicts by SHA-256, and when they were loaded.
type CachedVerdicts = (Instant, Arc<HashMap<String, CachedVerdict>>);

/// Compiled policies per org, re-checked against the store's latest
/// version after [`CACHE_TTL`].
#[derive(Default)]
pub struct PolicyCache {
    entries: Mutex<HashMap<OrgId, CachedPolicy>>,
}

impl PolicyCache {
    /// Forgets `org`'s policy.
    pub fn invalidate(&self, org: OrgId) {
        if let Ok(mut e) = self.entries.lock() {
            e.remove(&org);
        }
    }
}

/// `org`'s current policy and its version (0 = default pack).
pub async fn org_policy(state: &AppState, org: OrgId) -> Result<(i64, Arc<Policy>), String> {
    let cached = state
        .policies
        .entries
        .lock()
        .ok()
        .and_then(|e| e.get(&org).cloned());
    if let Some((at, v, p)) = &cached
        && at.elapsed() < CACHE_TTL
    {
        return Ok((*v, p.clone()));
    }
    let record: Option<PolicyRecord> = state.store.policy(org).await.map_err(|e| e.to_string())?;
    let version = record.as_ref().map_or(0, |r| r.version);
    let policy = match cached {
        Some((_, v, p)) if v == version => p,
        _ => {
            let record = record.clone();
            let compiled = tokio::task::spawn_blocking(move || match &record {
                Some(r) => compile(r.pack.as_deref(), r.rego.as_deref(), &r.data),
                None => compile(Some(DEFAULT_PACK), None, &Value::Null),
            })
            .await
            .map_err(|e| format!("policy compilation panicked: {e}"))?
            .map_err(|e| format!("stored policy version {version} does not compile: {e}"))?;
            Arc::new(compiled)
        }
    };
    if let Ok(mut e) = state.policies.entries.lock() {
        e.insert(org, (Instant::now(), version, policy.clone()));
    }
    Ok((version, policy))
}

/// A verdict as the inventory needs it.
#[derive(Clone, Debug)]
pub struct CachedVerdict {
    /// `allow`, `warn` or `block`.
    pub decision: String,
    /// Why (rule messages).
    pub reasons: Vec<String>,
    /// Suspected counterfeit.
    pub counterfeit: bool,
}

impl CachedVerdict {
    fn of(v: &VerdictRecord) -> CachedVerdict {
        let reasons = v.detail["reasons"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|r| r.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        CachedVerdict {
            decision: v.decision.clone(),
            reasons,
            counterfeit: v.counterfeit,
        }
    }
}

/// Verdicts per org, reloaded after [`CACHE_TTL`] or an invalidation.
#[derive(Default)]
pub struct VerdictCache {
    entries: RwLock<HashMap<OrgId, CachedVerdicts>>,
}

impl VerdictCache {
    /// Forgets `org`'s verdicts.
    pub fn invalidate(&self, org: OrgId) {
        if let Ok(mut e) = self.entries.write() {
            e.remove(&org);
        }
    }
}

/// `org`'s verdicts by SHA-256.
pub async fn org_verdicts(
    state: &AppState,
    org: OrgId,
) -> leakscope_store::Result<Arc<HashMap<String, CachedVerdict>>> {
    if let Some((at, m)) = state
        .verdicts
        .entries
        .read()
        .ok()
        .and_then(|e| e.get(&org).cloned())
        && at.elapsed() < CACHE_TTL
    {
        return Ok(m);
    }
    let map: HashMap<String, CachedVerdict> = state
        .store
        .verdicts(org)
        .await?
        .iter()
        .map(|v| (v.sha256.clone(), CachedVerdict::of(v)))
        .collect();
    let map = Arc::new(map);
    if let Ok(mut e) = state.verdicts.entries.write() {
        e.insert(org, (Instant::now(), map.clone()));
    }
    Ok(map)
}

/// The counterfeit check of an app with `package` and `signers` for `org`.
/// When neither the knowledge base nor the org knows the package, the org
/// starts trusting these signers (the first analysed app of a package).
pub async fn counterfeit_check(
    state: &AppState,
    org: OrgId,
    package: &str,
    signers: &[String],
    learn: bool,
) -> leakscope_store::Result<Option<CounterfeitCheck>> {
    let known = state.known_signers.for_package(package);
    let fleet = if known.is_empty() {
        state.trusted_signers(org, package).await?
    } else {
        Vec::new()
    };
    let check = signers::check(package, signers, known, &fleet);
    if check.is_none() && learn && !signers.is_empty() {
        for s in signers {
            state.store.trust_signer(org, package, s, "fleet").await?;
        }
        state
            .trusted
            .remove_where(|(o, p)| *o == org && p == package);
    }
    Ok(check)
}

/// Evaluates an analysed app (`record` with its report) for `org`, stores
/// and returns the verdict.
pub async fn evaluate_app(
    state: &AppState,
    org: OrgId,
    record: &AppRecord,
) -> Result<VerdictRecord, String> {
    let report = record
        .report
        .clone()
        .filter(|_| record.status == AppStatus::Done)
        .ok_or_else(|| format!("app {} has no report", record.sha256))?;
    let (version, policy) = org_policy(state, org).await?;
    let evaluated = tokio::task::spawn_blocking(move || policy.evaluate(&report))
        .await
        .map_err(|e| format!("policy evaluation panicked: {e}"))?;
    let counterfeit = match &record.package {
        Some(p) => counterfeit_check(state, org, p, &record.signers, true)
            .await
            .map_err(|e| e.to_string())?,
        None => None,
    };
    let verdict = build_verdict(org, &record.sha256, version, evaluated, counterfeit);
    state
        .store
        .put_verdict(&verdict)
        .await
        .map_err(|e| e.to_string())?;
    state.verdicts.invalidate(org);
    Ok(verdict)
}

/// The verdict record from a policy outcome and a counterfeit check.
fn build_verdict(
    org: OrgId,
    sha256: &str,
    policy_version: i64,
    evaluated: Result<PolicyDecision, PolicyError>,
    counterfeit: Option<CounterfeitCheck>,
) -> VerdictRecord {
    let mut matches: Vec<Value> = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    let (mut decision, policy_name) = match evaluated {
        Ok(d) => {
            for m in &d.matched {
                matches.push(json!({
                    "rule": m.rule,
                    "decision": m.level,
                    "message": m.message,
                    "category": m.category,
                    "sdk": m.sdk,
                }));
                reasons.push(format!("{}: {}", m.rule, m.message));
            }
            (d.decision, d.policy)
        }
        Err(e) => {
            // A policy that fails at run time must not let the app through
            // silently: warn, with the reason.
            let message = format!("policy evaluation failed: {e}");
            matches.push(json!({"rule": "policy.error", "decision": "warn", "message": message}));
            reasons.push(message);
            (Decision::Warn, String::new())
        }
    };
    let suspected = counterfeit.as_ref().is_some_and(|c| c.suspected);
    if let Some(c) = counterfeit.as_ref().filter(|c| c.suspected) {
        decision = Decision::Block;
        let message = counterfeit_message(c);
        matches.insert(
            0,
            json!({"rule": COUNTERFEIT_RULE, "decision": "block", "message": message}),
        );
        reasons.insert(0, format!("{COUNTERFEIT_RULE}: {message}"));
    }
    let decision = decision_str(decision).to_string();
    VerdictRecord {
        org_id: org,
        sha256: sha256.to_string(),
        policy_version,
        decision: decision.clone(),
        detail: json!({
            "decision": decision,
            "policy": policy_name,
            "policy_version": policy_version,
            "matches": matches,
            "reasons": reasons,
            "counterfeit": counterfeit,
        }),
        counterfeit: suspected,
        evaluated_at: now_ms(),
    }
}

/// The reason text of a counterfeit block.
pub fn counterfeit_message(c: &CounterfeitCheck) -> String {
    format!(
        "{} is signed by a certificate that is not among the {} trusted for this package ({})",
        c.package,
        c.expected_signers.len(),
        c.source
    )
}

/// `allow`, `warn` or `block`.
pub fn decision_str(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "allow",
        Decision::Warn => "warn",
        Decision::Block => "block",
    }
}

/// Evaluates every analysed app of `org` again (after a policy change) and
/// then its devices. Returns how many apps were evaluated.
pub async fn reevaluate_org(state: &AppState, org: OrgId) -> Result<usize, String> {
    state.policies.invalidate(org);
    let apps = state.store.org_apps(org).await.map_err(|e| e.to_string())?;
    let mut n = 0;
    for a in apps.iter().filter(|a| a.status == AppStatus::Done) {
        let Some(full) = state
            .store
            .app(&a.sha256)
            .await
            .map_err(|e| e.to_string())?
        else {
            continue;
        };
        evaluate_app(state, org, &full).await?;
        n += 1;
    }
    state.verdicts.invalidate(org);
    crate::inventory::recheck_devices(state, org, |_| true)
        .await
        .map_err(|e| e.message)?;
    Ok(n)
}

/// After an analysis finished: evaluates the app for every org that has it
/// and re-checks those orgs' devices that have it.
pub async fn app_analysed(state: &AppState, record: &AppRecord) -> Result<(), String> {
    state.index.insert(record);
    let orgs = state
        .store
        .orgs_with_app(&record.sha256)
        .await
        .map_err(|e| e.to_string())?;
    for org in orgs {
        evaluate_app(state, org, record).await?;
        let sha = record.sha256.clone();
        let pv = record.package.clone().zip(record.version_code);
        crate::inventory::recheck_devices(state, org, move |item| {
            item.sha256.as_deref() == Some(sha.as_str())
                || (item.sha256.is_none()
                    && pv
                        .as_ref()
                        .is_some_and(|(p, v)| *p == item.package && *v == item.version_code))
        })
        .await
        .map_err(|e| e.message)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counterfeit_blocks_whatever_the_policy_says() {
        let check = CounterfeitCheck {
            suspected: true,
            package: "p".into(),
            expected_signers: vec!["a".repeat(64)],
            actual_signers: vec!["b".repeat(64)],
            source: "fleet".into(),
        };
        let allow = PolicyDecision {
            policy: "baseline".into(),
            decision: Decision::Allow,
            matched: vec![],
            suppressed: vec![],
        };
        let v = build_verdict(1, "s", 0, Ok(allow.clone()), Some(check));
        assert_eq!(v.decision, "block");
        assert!(v.counterfeit);
        assert_eq!(v.detail["matches"][0]["rule"], COUNTERFEIT_RULE);
        let v = build_verdict(1, "s", 0, Ok(allow), None);
        assert_eq!(v.decision, "allow");
        assert!(!v.counterfeit);
    }

    #[test]
    fn runtime_policy_error_warns() {
        let v = build_verdict(1, "s", 2, Err(PolicyError::BadReport), None);
        assert_eq!(v.decision, "warn");
        assert_eq!(v.policy_version, 2);
    }

    #[test]
    fn compile_defaults_to_baseline_and_rejects_bad_rego() {
        assert!(compile(None, None, &Value::Null).is_ok());
        assert!(compile(Some("nope"), None, &Value::Null).is_err());
        assert!(
            compile(
                None,
                Some("package leakscope\nblock contains x if {"),
                &Value::Null
            )
            .is_err()
        );
    }
}
