//! Device inventories (the hot path): each app's decision for the device's
//! organization, the device's compliance, and the webhook event when the
//! compliance changes.

use leakscope_store::{AppStatus, InventoryItem, OrgId, now_ms};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::evaluate::{self, COUNTERFEIT_RULE, CachedVerdict};
use crate::index::Lookup;
use crate::state::AppState;
use crate::validate;

/// Most apps in one inventory.
pub const MAX_APPS: usize = 5_000;
/// Largest inventory body.
pub const MAX_BODY: usize = 2 * 1024 * 1024;

/// `POST /devices/{id}/inventory` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventoryBody {
    /// The installed apps.
    pub apps: Vec<InventoryItem>,
}

/// Validates and normalises an inventory (SHA-256s lowercase).
pub fn validate_items(mut items: Vec<InventoryItem>) -> Result<Vec<InventoryItem>, ApiError> {
    if items.len() > MAX_APPS {
        return Err(ApiError::bad_request(format!(
            "{} apps in one inventory; at most {MAX_APPS}",
            items.len()
        )));
    }
    for (i, item) in items.iter_mut().enumerate() {
        let at = |e: ApiError| ApiError::bad_request(format!("apps[{i}]: {}", e.message));
        validate::package(&item.package).map_err(at)?;
        if let Some(s) = &item.sha256 {
            item.sha256 = Some(validate::sha256(s).map_err(at)?);
        }
        if let Some(s) = &item.signer_sha256 {
            item.signer_sha256 = Some(validate::sha256(s).map_err(at)?);
        }
    }
    Ok(items)
}

/// A device's answer and compliance.
pub struct Answer {
    /// `{"device_id","compliance","apps":[InventoryVerdict]}`.
    pub value: Value,
    /// `compliant`, `warn`, `non_compliant` or `pending`.
    pub compliance: &'static str,
}

/// Decides every app of an inventory for `org`.
pub async fn answer(
    state: &AppState,
    org: OrgId,
    device_id: &str,
    items: &[InventoryItem],
) -> Result<Answer, ApiError> {
    let verdicts = evaluate::org_verdicts(state, org).await?;
    // Verdicts evaluated by this request (apps the org sees for the first
    // time), so that a repeated app is not evaluated twice and the org's
    // cache is not reloaded after each one.
    let mut fresh: std::collections::HashMap<String, CachedVerdict> = Default::default();
    let mut out = Vec::with_capacity(items.len());
    let (mut block, mut warn, mut unknown) = (false, false, false);
    for item in items {
        let resolved = resolve(state, org, item).await?;
        let (mut decision, mut reasons, mut upload_requested, mut counterfeit, sha) = match resolved
        {
            Resolved::Done(sha) => {
                let v = match verdicts.get(&sha).or_else(|| fresh.get(&sha)) {
                    Some(v) => v.clone(),
                    None => {
                        // First time this org sees this analysed app.
                        let v = fresh_verdict(state, org, &sha).await?;
                        fresh.insert(sha.clone(), v.clone());
                        v
                    }
                };
                (v.decision, v.reasons, false, v.counterfeit, Some(sha))
            }
            Resolved::Pending(sha, status) => {
                let reason = match status {
                    AppStatus::Failed => "the app could not be analysed",
                    _ => "the app is being analysed",
                };
                (
                    "unknown".to_string(),
                    vec![reason.to_string()],
                    false,
                    false,
                    Some(sha),
                )
            }
            Resolved::Absent => (
                "unknown".to_string(),
                vec!["the server has not analysed this app; upload it".to_string()],
                true,
                false,
                item.sha256.clone(),
            ),
        };
        if let Some(signer) = &item.signer_sha256
            && !counterfeit
            && let Some(check) = evaluate::counterfeit_check(
                state,
                org,
                &item.package,
                std::slice::from_ref(signer),
                false,
            )
            .await?
            && check.suspected
        {
            decision = "block".to_string();
            counterfeit = true;
            upload_requested = false;
            reasons.insert(
                0,
                format!(
                    "{COUNTERFEIT_RULE}: {}",
                    evaluate::counterfeit_message(&check)
                ),
            );
        }
        match decision.as_str() {
            "block" => block = true,
            "warn" => warn = true,
            "unknown" => unknown = true,
            _ => {}
        }
        out.push(json!({
            "package": item.package,
            "version_code": item.version_code,
            "sha256": sha,
            "decision": decision,
            "reasons": reasons,
            "upload_requested": upload_requested,
            "counterfeit": counterfeit,
        }));
    }
    let compliance = if block {
        "non_compliant"
    } else if warn {
        "warn"
    } else if unknown {
        "pending"
    } else {
        "compliant"
    };
    Ok(Answer {
        value: json!({"device_id": device_id, "compliance": compliance, "apps": out}),
        compliance,
    })
}

enum Resolved {
    Done(String),
    Pending(String, AppStatus),
    Absent,
}

/// Finds the app an inventory item names, linking it to `org`.
async fn resolve(state: &AppState, org: OrgId, item: &InventoryItem) -> Result<Resolved, ApiError> {
    match &item.sha256 {
        Some(sha) => match state.index.lookup(&state.store, sha).await? {
            Lookup::Done(app) => {
                state.link(org, &app.sha256).await?;
                Ok(Resolved::Done(app.sha256.clone()))
            }
            Lookup::Pending(status) => {
                state.link(org, sha).await?;
                Ok(Resolved::Pending(sha.clone(), status))
            }
            Lookup::Absent => Ok(Resolved::Absent),
        },
        None => {
            let candidates = state.index.by_version(&item.package, item.version_code);
            // Prefer a build the org already has; else the first analysed.
            let linked = candidates.iter().find(|a| {
                state
                    .links
                    .lock()
                    .is_ok_and(|l| l.contains(&(org, a.sha256.clone())))
            });
            match linked.or(candidates.first()) {
                Some(app) => {
                    state.link(org, &app.sha256).await?;
                    Ok(Resolved::Done(app.sha256.clone()))
                }
                None => Ok(Resolved::Absent),
            }
        }
    }
}

/// Evaluates an analysed app the org has no verdict for yet.
async fn fresh_verdict(state: &AppState, org: OrgId, sha: &str) -> Result<CachedVerdict, ApiError> {
    let record =
        state.store.app(sha).await?.ok_or_else(|| {
            ApiError::internal("inventory", format!("indexed app {sha} vanished"))
        })?;
    let v = evaluate::evaluate_app(state, org, &record)
        .await
        .map_err(|e| ApiError::internal("evaluate", e))?;
    let reasons = v.detail["reasons"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Ok(CachedVerdict {
        decision: v.decision,
        reasons,
        counterfeit: v.counterfeit,
    })
}

/// Stores a device's inventory and answer (one write) and queues a
/// `device.compliance_changed` webhook event when its compliance changed.
pub async fn record(
    state: &AppState,
    org: OrgId,
    device_id: &str,
    items: &[InventoryItem],
    answer: &Answer,
) -> Result<(), ApiError> {
    let previous = state
        .store
        .put_device(org, device_id, items, answer.compliance, &answer.value)
        .await?;
    if previous.as_deref() != Some(answer.compliance) {
        let payload = json!({
            "event": "device.compliance_changed",
            "org_id": org,
            "device_id": device_id,
            "previous": previous,
            "current": answer.compliance,
            "at": crate::timefmt::rfc3339(now_ms()),
        });
        state
            .store
            .queue_webhook(org, "device.compliance_changed", &payload)
            .await?;
    }
    Ok(())
}

/// Recomputes the answer of every device of `org` with an app for which
/// `affected` is true, and stores it (webhook on change).
pub async fn recheck_devices(
    state: &AppState,
    org: OrgId,
    affected: impl Fn(&InventoryItem) -> bool,
) -> Result<usize, ApiError> {
    state.verdicts.invalidate(org);
    let mut n = 0;
    for d in state.store.devices(org).await? {
        if !d.inventory.iter().any(&affected) {
            continue;
        }
        let a = answer(state, org, &d.device_id, &d.inventory).await?;
        record(state, org, &d.device_id, &d.inventory, &a).await?;
        n += 1;
    }
    Ok(n)
}
