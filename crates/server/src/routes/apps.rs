//! Apps: upload, list, detail and rendered reports.

use std::collections::{HashMap, HashSet};

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use leakscope_store::{AppRecord, AppStatus, DeviceRecord, Role, VerdictRecord};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::timefmt::rfc3339_opt;
use crate::{analysis, evaluate, validate};

/// Content types accepted for an upload.
const APP_TYPES: [&str; 2] = [
    "application/vnd.android.package-archive",
    "application/octet-stream",
];

/// `?filename=`.
#[derive(Deserialize)]
pub struct UploadQuery {
    filename: Option<String>,
}

/// Uploads an app (raw bytes); the same bytes are analysed once.
#[utoipa::path(post, path = "/api/v1/apps", tag = "apps", security(("bearer" = [])),
    params(("filename" = Option<String>, Query, description = "original file name")),
    request_body(content = Vec<u8>, content_type = "application/vnd.android.package-archive"),
    responses((status = 202, description = "`{sha256,status,duplicate}`"),
        (status = 413, description = "payload_too_large"), (status = 415, description = "unsupported_media_type"),
        (status = 422, description = "not_an_app")))]
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<UploadQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    caller.require(&[Role::Admin, Role::Analyst])?;
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let filename = query.filename.filter(|f| !f.is_empty());
    if let Some(f) = &filename
        && (f.len() > 255 || f.chars().any(char::is_control))
    {
        return Err(ApiError::bad_request(
            "filename must be at most 255 characters without control characters",
        ));
    }
    if let Some(ct) = headers.get(CONTENT_TYPE) {
        let ct = ct
            .to_str()
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim();
        if !APP_TYPES.iter().any(|t| t.eq_ignore_ascii_case(ct)) {
            return Err(ApiError::unsupported_media_type(format!(
                "upload the app's bytes as {}",
                APP_TYPES.join(" or ")
            )));
        }
    }
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::payload_too_large(format!(
                "uploads are limited to {} MiB",
                state.settings.max_upload / (1024 * 1024)
            ))
        } else {
            ApiError::bad_request(e.body_text())
        }
    })?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request("the upload is empty"));
    }
    if !analysis::looks_like_app(&bytes) {
        return Err(ApiError::not_an_app(
            "the upload is not an APK, app bundle, JAR or DEX file",
        ));
    }
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let created = state
        .store
        .put_app(&sha256, bytes, filename.as_deref())
        .await?;
    state.link(caller.org, &sha256).await?;
    state.index.forget(&sha256);
    let record = state
        .store
        .app(&sha256)
        .await?
        .ok_or_else(|| ApiError::internal("upload", "the app vanished after put_app"))?;
    if record.status == AppStatus::Done && state.store.verdict(caller.org, &sha256).await?.is_none()
    {
        // Already analysed for another org: evaluate it for this one.
        if let Err(e) = evaluate::evaluate_app(&state, caller.org, &record).await {
            tracing::warn!("evaluating {sha256} for org {}: {e}", caller.org);
        }
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({
            "sha256": sha256,
            "status": record.status.as_str(),
            "duplicate": !created,
        })),
    )
        .into_response())
}

/// How many of `devices` have each app installed (by SHA-256; inventory
/// items without one count by package and version code).
pub fn devices_per_app(state: &AppState, devices: &[DeviceRecord]) -> HashMap<String, usize> {
    let mut out: HashMap<String, usize> = HashMap::new();
    for d in devices {
        let mut seen: HashSet<String> = HashSet::new();
        for item in &d.inventory {
            match &item.sha256 {
                Some(s) => {
                    seen.insert(s.clone());
                }
                None => {
                    for a in state.index.by_version(&item.package, item.version_code) {
                        seen.insert(a.sha256.clone());
                    }
                }
            }
        }
        for s in seen {
            *out.entry(s).or_default() += 1;
        }
    }
    out
}

/// The contract's `AppSummary`.
fn app_summary(r: &AppRecord, v: Option<&VerdictRecord>, devices: usize) -> Value {
    let s = r.summary.clone().unwrap_or(Value::Null);
    let field = |k: &str| s.get(k).cloned().unwrap_or(Value::Null);
    let list = |k: &str| {
        s.get(k)
            .cloned()
            .filter(Value::is_array)
            .unwrap_or(json!([]))
    };
    json!({
        "sha256": r.sha256,
        "package": s.get("package").cloned().filter(|p| !p.is_null()).unwrap_or_else(|| json!(r.package)),
        "label": field("label"),
        "version_name": field("version_name"),
        "version_code": s.get("version_code").cloned().filter(|p| !p.is_null()).unwrap_or_else(|| json!(r.version_code)),
        "filename": r.filename,
        "status": r.status.as_str(),
        "error": r.error,
        "decision": v.map(|v| v.decision.clone()),
        "verdict": field("verdict"),
        "score": field("score"),
        "categories_accessed": list("categories_accessed"),
        "categories_transmitted": list("categories_transmitted"),
        "trackers": list("trackers"),
        "counterfeit": v.is_some_and(|v| v.counterfeit),
        "devices": devices,
        "uploaded_at": crate::timefmt::rfc3339(r.uploaded_at),
        "analysed_at": rfc3339_opt(r.analysed_at),
    })
}

/// The organization's apps (uploaded by it or seen in its inventories).
#[utoipa::path(get, path = "/api/v1/apps", tag = "apps", security(("bearer" = [])),
    responses((status = 200, description = "`{apps:[AppSummary]}`")))]
pub async fn apps(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    caller.require_reader()?;
    let apps = state.store.org_apps(caller.org).await?;
    let verdicts: HashMap<String, VerdictRecord> = state
        .store
        .verdicts(caller.org)
        .await?
        .into_iter()
        .map(|v| (v.sha256.clone(), v))
        .collect();
    let devices = devices_per_app(&state, &state.store.devices(caller.org).await?);
    let list: Vec<Value> = apps
        .iter()
        .map(|a| {
            app_summary(
                a,
                verdicts.get(&a.sha256),
                devices.get(&a.sha256).copied().unwrap_or(0),
            )
        })
        .collect();
    Ok(Json(json!({ "apps": list })))
}

/// The app `sha256` if the caller's org has it, with its report.
async fn org_app(
    state: &AppState,
    caller: &Caller,
    sha256: Result<Path<String>, PathRejection>,
) -> ApiResult<AppRecord> {
    caller.require_reader()?;
    let Path(sha256) = sha256.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let sha256 = validate::sha256(&sha256)?;
    if !state.store.org_has_app(caller.org, &sha256).await? {
        return Err(ApiError::not_found("no such app in this organization"));
    }
    state
        .store
        .app(&sha256)
        .await?
        .ok_or_else(|| ApiError::not_found("no such app in this organization"))
}

/// One app: summary, report, the org's policy decision, counterfeit check.
#[utoipa::path(get, path = "/api/v1/apps/{sha256}", tag = "apps", security(("bearer" = [])),
    params(("sha256" = String, Path, description = "the app's SHA-256")),
    responses((status = 200, description = "app detail"), (status = 404, description = "not_found")))]
pub async fn app(
    State(state): State<AppState>,
    caller: Caller,
    sha256: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Value>> {
    let record = org_app(&state, &caller, sha256).await?;
    let verdict = state.store.verdict(caller.org, &record.sha256).await?;
    let devices = devices_per_app(&state, &state.store.devices(caller.org).await?);
    let summary = app_summary(
        &record,
        verdict.as_ref(),
        devices.get(&record.sha256).copied().unwrap_or(0),
    );
    let policy = verdict.as_ref().map(|v| {
        json!({
            "decision": v.decision,
            "policy_version": v.policy_version,
            "policy": v.detail.get("policy"),
            "matches": v.detail.get("matches").cloned().unwrap_or(json!([])),
            "evaluated_at": crate::timefmt::rfc3339(v.evaluated_at),
        })
    });
    let counterfeit = verdict
        .as_ref()
        .and_then(|v| v.detail.get("counterfeit").cloned())
        .filter(|c| !c.is_null())
        .unwrap_or_else(|| {
            json!({
                "suspected": false,
                "package": record.package,
                "expected_signers": [],
                "actual_signers": record.signers,
                "source": null,
            })
        });
    Ok(Json(json!({
        "sha256": record.sha256,
        "status": record.status.as_str(),
        "error": record.error,
        "summary": summary,
        "report": record.report,
        "policy": policy,
        "counterfeit": counterfeit,
    })))
}

/// The stored report as a [`leakscope_model::Report`].
fn stored_report(record: &AppRecord) -> ApiResult<leakscope_model::Report> {
    let value = record
        .report
        .clone()
        .ok_or_else(|| ApiError::conflict("the app has no report yet (not analysed)"))?;
    serde_json::from_value(value).map_err(|e| ApiError::internal("stored report", e))
}

/// The HTML report (as `leakscope analyze --format html`).
#[utoipa::path(get, path = "/api/v1/apps/{sha256}/report.html", tag = "apps", security(("bearer" = [])),
    params(("sha256" = String, Path, description = "the app's SHA-256")),
    responses((status = 200, description = "text/html report"), (status = 409, description = "not analysed yet")))]
pub async fn report_html(
    State(state): State<AppState>,
    caller: Caller,
    sha256: Result<Path<String>, PathRejection>,
) -> ApiResult<Response> {
    let report = stored_report(&org_app(&state, &caller, sha256).await?)?;
    let html = tokio::task::spawn_blocking(move || leakscope_render::html(&report))
        .await
        .map_err(|e| ApiError::internal("render html", e))?;
    Ok(([(CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

/// The SARIF 2.1.0 report.
#[utoipa::path(get, path = "/api/v1/apps/{sha256}/report.sarif", tag = "apps", security(("bearer" = [])),
    params(("sha256" = String, Path, description = "the app's SHA-256")),
    responses((status = 200, description = "SARIF JSON"), (status = 409, description = "not analysed yet")))]
pub async fn report_sarif(
    State(state): State<AppState>,
    caller: Caller,
    sha256: Result<Path<String>, PathRejection>,
) -> ApiResult<Response> {
    let report = stored_report(&org_app(&state, &caller, sha256).await?)?;
    let sarif =
        tokio::task::spawn_blocking(move || serde_json::to_vec(&leakscope_render::sarif(&report)))
            .await
            .map_err(|e| ApiError::internal("render sarif", e))?
            .map_err(|e| ApiError::internal("render sarif", e))?;
    Ok(([(CONTENT_TYPE, "application/sarif+json")], sarif).into_response())
}
