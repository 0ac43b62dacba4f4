//! The organization's policy: read, replace (re-evaluating), dry run.

use axum::Json;
use axum::extract::State;
use leakscope_policy::PolicyError;
use leakscope_store::AppStatus;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::evaluate::{self, DEFAULT_PACK, decision_str};
use crate::state::AppState;
use crate::timefmt::rfc3339;

/// `PUT /policy` and `POST /policy/validate` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyBody {
    pack: Option<String>,
    rego: Option<String>,
    data: Option<Value>,
}

/// A compiled, checked policy and what to store.
struct Checked {
    policy: leakscope_policy::Policy,
    pack: Option<String>,
    rego: Option<String>,
    data: Value,
}

fn diagnostic(e: &PolicyError) -> Value {
    match e.diagnostic() {
        Some(d) => {
            json!({"file": d.file, "line": d.line, "column": d.column, "message": d.message})
        }
        None => json!({"file": null, "line": null, "column": null, "message": e.to_string()}),
    }
}

/// Compiles the body and evaluates it on an empty report.
async fn check(body: PolicyBody) -> ApiResult<Result<Checked, PolicyError>> {
    if body.pack.is_some() == body.rego.is_some() {
        return Err(ApiError::bad_request(
            "give exactly one of `pack` and `rego`",
        ));
    }
    let data = body.data.unwrap_or_else(|| json!({}));
    if !data.is_object() {
        return Err(ApiError::bad_request("`data` must be a JSON object"));
    }
    tokio::task::spawn_blocking(move || {
        let policy = evaluate::compile(body.pack.as_deref(), body.rego.as_deref(), &data)?;
        policy.evaluate(&json!({}))?;
        Ok(Checked {
            policy,
            pack: body.pack,
            rego: body.rego,
            data,
        })
    })
    .await
    .map_err(|e| ApiError::internal("policy check", e))
}

/// The current policy (`version` 0 = the default pack `baseline`).
#[utoipa::path(get, path = "/api/v1/policy", tag = "policy", security(("bearer" = [])),
    responses((status = 200, description = "`{version,pack,rego,data,created_at,created_by}`")))]
pub async fn get_policy(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    caller.require_reader()?;
    Ok(Json(match state.store.policy(caller.org).await? {
        Some(p) => json!({
            "version": p.version, "pack": p.pack, "rego": p.rego, "data": p.data,
            "created_at": rfc3339(p.created_at), "created_by": p.created_by,
        }),
        None => json!({
            "version": 0, "pack": DEFAULT_PACK, "rego": null, "data": {},
            "created_at": null, "created_by": null,
        }),
    }))
}

/// Replaces the policy (admin) and re-evaluates the org's apps and devices.
#[utoipa::path(put, path = "/api/v1/policy", tag = "policy", security(("bearer" = [])),
    request_body(content = String, content_type = "application/json",
        description = "`{pack}` or `{rego, data}`"),
    responses((status = 200, description = "`{version,reevaluated}`"),
        (status = 422, description = "policy_invalid, details {file,line,column,message}")))]
pub async fn put_policy(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<PolicyBody>,
) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    let checked = check(body)
        .await?
        .map_err(|e| ApiError::policy_invalid(e.to_string(), diagnostic(&e)))?;
    let label = if caller.label.is_empty() {
        format!("token {}", caller.token_id)
    } else {
        caller.label.clone()
    };
    let record = state
        .store
        .put_policy(
            caller.org,
            checked.pack.as_deref(),
            checked.rego.as_deref(),
            &checked.data,
            &label,
        )
        .await?;
    let reevaluated = evaluate::reevaluate_org(&state, caller.org)
        .await
        .map_err(|e| ApiError::internal("re-evaluation", e))?;
    Ok(Json(
        json!({"version": record.version, "reevaluated": reevaluated}),
    ))
}

/// Dry run: would this policy compile, and what would it decide for the
/// org's analysed apps?
#[utoipa::path(post, path = "/api/v1/policy/validate", tag = "policy", security(("bearer" = [])),
    request_body(content = String, content_type = "application/json", description = "`{pack}` or `{rego, data}`"),
    responses((status = 200, description = "`{valid,errors,results:[{sha256,package,label,current,proposed}]}`")))]
pub async fn validate_policy(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<PolicyBody>,
) -> ApiResult<Json<Value>> {
    caller.require_reader()?;
    let checked = match check(body).await? {
        Ok(c) => c,
        Err(e) => {
            return Ok(Json(
                json!({"valid": false, "errors": [diagnostic(&e)], "results": []}),
            ));
        }
    };
    let verdicts = evaluate::org_verdicts(&state, caller.org).await?;
    let mut results = Vec::new();
    for a in state.store.org_apps(caller.org).await? {
        if a.status != AppStatus::Done {
            continue;
        }
        let Some(full) = state.store.app(&a.sha256).await? else {
            continue;
        };
        let Some(report) = full.report else { continue };
        let policy = checked.policy.clone();
        let proposed = tokio::task::spawn_blocking(move || policy.evaluate(&report))
            .await
            .map_err(|e| ApiError::internal("policy dry run", e))?;
        let current = verdicts.get(&a.sha256);
        let counterfeit = current.is_some_and(|v| v.counterfeit);
        let proposed = match proposed {
            _ if counterfeit => "block".to_string(),
            Ok(d) => decision_str(d.decision).to_string(),
            Err(e) => format!("error: {e}"),
        };
        let s = a.summary.unwrap_or(Value::Null);
        results.push(json!({
            "sha256": a.sha256,
            "package": s.get("package"),
            "label": s.get("label"),
            "current": current.map(|v| v.decision.clone()),
            "proposed": proposed,
        }));
    }
    Ok(Json(
        json!({"valid": true, "errors": [], "results": results}),
    ))
}

/// The policy's versions, newest first.
#[utoipa::path(get, path = "/api/v1/policy/versions", tag = "policy", security(("bearer" = [])),
    responses((status = 200, description = "`{versions:[{version,pack,created_at,created_by}]}`")))]
pub async fn versions(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    caller.require_reader()?;
    let versions: Vec<Value> = state
        .store
        .policy_versions(caller.org)
        .await?
        .iter()
        .map(|p| {
            json!({"version": p.version, "pack": p.pack, "created_at": rfc3339(p.created_at),
                "created_by": p.created_by})
        })
        .collect();
    Ok(Json(json!({ "versions": versions })))
}

/// The built-in policy packs.
#[utoipa::path(get, path = "/api/v1/policy/packs", tag = "policy", security(("bearer" = [])),
    responses((status = 200, description = "`{packs:[…]}`")))]
pub async fn packs(caller: Caller) -> ApiResult<Json<Value>> {
    caller.require_reader()?;
    Ok(Json(json!({"packs": leakscope_policy::pack_names()})))
}
