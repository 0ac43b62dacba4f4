//! API tokens of the organization (admin only).

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use leakscope_store::Role;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::state::AppState;
use crate::timefmt::rfc3339;
use crate::validate;

/// `POST /tokens` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    role: String,
    device_id: Option<String>,
    #[serde(default)]
    label: String,
}

/// Creates a token; its secret is shown once.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", security(("bearer" = [])),
    request_body(content = String, content_type = "application/json", description = "`{role, device_id?, label?}`"),
    responses((status = 201, description = "`{id, token}`")))]
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    caller.require_admin()?;
    let role: Role = body
        .role
        .parse()
        .map_err(|_| ApiError::bad_request("role must be admin, analyst or device"))?;
    match (&role, &body.device_id) {
        (Role::Device, Some(d)) => validate::device_id(d)?,
        (Role::Device, None) => {
            return Err(ApiError::bad_request("a device token needs a device_id"));
        }
        (_, Some(_)) => {
            return Err(ApiError::bad_request("only device tokens have a device_id"));
        }
        _ => {}
    }
    if body.label.len() > 128 || body.label.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "label must be at most 128 characters without control characters",
        ));
    }
    let (token, secret) = state
        .store
        .create_token(caller.org, role, body.device_id.as_deref(), &body.label)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": token.id, "token": secret})),
    ))
}

/// The organization's tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", security(("bearer" = [])),
    responses((status = 200, description = "`{tokens:[{id,role,device_id,label,created_at,revoked}]}`")))]
pub async fn list_tokens(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    let tokens: Vec<Value> = state
        .store
        .tokens(caller.org)
        .await?
        .iter()
        .map(|t| {
            json!({"id": t.id, "role": t.role, "device_id": t.device_id, "label": t.label,
                "created_at": rfc3339(t.created_at), "revoked": t.revoked})
        })
        .collect();
    Ok(Json(json!({ "tokens": tokens })))
}

/// Revokes a token of the organization.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", security(("bearer" = [])),
    params(("id" = i64, Path, description = "token id")),
    responses((status = 204, description = "revoked"), (status = 404, description = "not_found")))]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i64>, PathRejection>,
) -> ApiResult<StatusCode> {
    caller.require_admin()?;
    let Path(id) = id.map_err(|e| ApiError::bad_request(e.body_text()))?;
    if !state.store.revoke_token(caller.org, id).await? {
        return Err(ApiError::not_found("no such token in this organization"));
    }
    state.auth.clear();
    Ok(StatusCode::NO_CONTENT)
}
