//! Health, identity, overview and metrics.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use axum::Json;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use leakscope_store::AppStatus;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Liveness, without authentication.
#[utoipa::path(get, path = "/api/v1/health", tag = "meta",
    responses((status = 200, description = "`{\"status\":\"ok\",\"version\":\"0.1.0\"}`")))]
pub async fn health() -> Json<Value> {
    Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

/// The caller's organization, role and device.
#[utoipa::path(get, path = "/api/v1/me", tag = "meta", security(("bearer" = [])),
    responses((status = 200, description = "`{org:{id,name},role,device_id}`"),
        (status = 401, description = "unauthorized")))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    let org = state
        .store
        .org(caller.org)
        .await?
        .ok_or_else(|| ApiError::unauthorized("the token's organization no longer exists"))?;
    Ok(Json(json!({
        "org": {"id": org.id, "name": org.name},
        "role": caller.role,
        "device_id": caller.device_id,
    })))
}

/// Prometheus metrics (global counters only).
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let apps = state.store.app_counts().await.unwrap_or_default();
    let jobs = state.store.queued_jobs().await.unwrap_or(-1);
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(&apps, jobs),
    )
}

/// Devices' compliance, app states, most blocked apps, categories leaving,
/// destination countries and trackers of the caller's organization.
#[utoipa::path(get, path = "/api/v1/overview", tag = "meta", security(("bearer" = [])),
    responses((status = 200, description = "organization overview")))]
pub async fn overview(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    caller.require_reader()?;
    let org = caller.org;
    let devices = state.store.devices(org).await?;
    let apps = state.store.org_apps(org).await?;
    let verdicts = state.store.verdicts(org).await?;

    let mut compliance: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &devices {
        *compliance.entry(d.compliance.as_str()).or_default() += 1;
    }
    let installed = super::apps::devices_per_app(&state, &devices);
    let count = |s: AppStatus| apps.iter().filter(|a| a.status == s).count();
    let by_sha: HashMap<&str, &leakscope_store::AppRecord> =
        apps.iter().map(|a| (a.sha256.as_str(), a)).collect();
    let text = |a: Option<&&leakscope_store::AppRecord>, k: &str| {
        a.and_then(|a| a.summary.as_ref())
            .map_or(Value::Null, |s| s[k].clone())
    };

    let mut most_blocked: Vec<Value> = verdicts
        .iter()
        .filter(|v| v.decision == "block")
        .map(|v| {
            let a = by_sha.get(v.sha256.as_str());
            json!({
                "sha256": v.sha256,
                "package": text(a, "package"),
                "label": text(a, "label"),
                "devices": installed.get(&v.sha256).copied().unwrap_or(0),
            })
        })
        .collect();
    most_blocked.sort_by_key(|v| std::cmp::Reverse(v["devices"].as_u64().unwrap_or(0)));
    most_blocked.truncate(10);

    let mut categories: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut countries: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    let mut trackers: BTreeMap<String, usize> = BTreeMap::new();
    for a in &apps {
        let Some(s) = &a.summary else { continue };
        for t in s["trackers"].as_array().into_iter().flatten() {
            if let Some(t) = t.as_str() {
                *trackers.entry(t.to_string()).or_default() += 1;
            }
        }
        let Some(n) = installed.get(&a.sha256).copied() else {
            continue;
        };
        for c in s["categories_transmitted"].as_array().into_iter().flatten() {
            if let Some(c) = c.as_str() {
                let e = categories.entry(c.to_string()).or_default();
                e.0 += 1;
                e.1 += n;
            }
        }
        for (country, hosts) in s["countries"].as_object().into_iter().flatten() {
            let e = countries.entry(country.clone()).or_default();
            e.0 += 1;
            for h in hosts.as_array().into_iter().flatten() {
                if let Some(h) = h.as_str() {
                    e.1.insert(h.to_string());
                }
            }
        }
    }
    let mut trackers: Vec<(String, usize)> = trackers.into_iter().collect();
    trackers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let get = |k: &str| compliance.get(k).copied().unwrap_or(0);
    Ok(Json(json!({
        "devices": {
            "total": devices.len(),
            "compliant": get("compliant"),
            "warn": get("warn"),
            "non_compliant": get("non_compliant"),
            "pending": get("pending"),
        },
        "apps": {
            "total": apps.len(),
            "analysed": count(AppStatus::Done),
            "pending": count(AppStatus::Queued) + count(AppStatus::Analysing),
            "failed": count(AppStatus::Failed),
        },
        "most_blocked": most_blocked,
        "categories_leaving": categories.into_iter().map(|(c, (apps, devices))|
            json!({"category": c, "apps": apps, "devices": devices})).collect::<Vec<_>>(),
        "countries": countries.into_iter().map(|(c, (apps, hosts))|
            json!({"country": c, "apps": apps, "hosts": hosts.len()})).collect::<Vec<_>>(),
        "trackers": trackers.into_iter().map(|(name, apps)| json!({"name": name, "apps": apps})).collect::<Vec<_>>(),
    })))
}
