//! The organization's webhook and its deliveries.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::state::AppState;

/// `PUT /webhook` body (`url: null` turns it off).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookBody {
    url: Option<String>,
    secret: Option<String>,
}

/// Sets the webhook URL and signing secret (admin).
#[utoipa::path(put, path = "/api/v1/webhook", tag = "webhook", security(("bearer" = [])),
    request_body(content = String, content_type = "application/json", description = "`{url, secret}`"),
    responses((status = 200, description = "`{url}`")))]
pub async fn put_webhook(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<WebhookBody>,
) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    if let Some(url) = &body.url
        && (url.len() > 2048
            || !(url.starts_with("https://") || url.starts_with("http://"))
            || url.chars().any(|c| c.is_control() || c == ' '))
    {
        return Err(ApiError::bad_request(
            "url must be an http:// or https:// URL of at most 2048 characters",
        ));
    }
    if body.secret.as_ref().is_some_and(|s| s.len() > 256) {
        return Err(ApiError::bad_request("secret must be at most 256 bytes"));
    }
    state
        .store
        .set_webhook(caller.org, body.url.as_deref(), body.secret.as_deref())
        .await?;
    Ok(Json(json!({"url": body.url})))
}

/// The webhook URL and the latest deliveries.
#[utoipa::path(get, path = "/api/v1/webhook", tag = "webhook", security(("bearer" = [])),
    responses((status = 200, description = "`{url,deliveries:[{id,event,status,attempts,last_error}]}`")))]
pub async fn get_webhook(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    caller.require_reader()?;
    let org = state
        .store
        .org(caller.org)
        .await?
        .ok_or_else(|| ApiError::not_found("no such organization"))?;
    let deliveries: Vec<Value> = state
        .store
        .webhook_deliveries(caller.org, 100)
        .await?
        .iter()
        .map(|d| {
            json!({"id": d.id, "event": d.event, "status": d.status, "attempts": d.attempts,
                "last_error": d.last_error,
                "next_attempt_at": crate::timefmt::rfc3339(d.next_attempt_at)})
        })
        .collect();
    Ok(Json(
        json!({"url": org.webhook_url, "deliveries": deliveries}),
    ))
}
