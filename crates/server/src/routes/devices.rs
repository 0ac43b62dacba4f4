//! Devices: inventory submissions (the hot path), list, compliance.

use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::inventory::{self, InventoryBody};
use crate::state::AppState;
use crate::timefmt::rfc3339;
use crate::validate;

fn device_path(p: Result<Path<String>, PathRejection>) -> ApiResult<String> {
    let Path(id) = p.map_err(|e| ApiError::bad_request(e.body_text()))?;
    validate::device_id(&id)?;
    Ok(id)
}

/// A device's inventory: the decision for each app and the compliance.
#[utoipa::path(post, path = "/api/v1/devices/{device_id}/inventory", tag = "devices", security(("bearer" = [])),
    params(("device_id" = String, Path, description = "the device (≤ 128 printable characters)")),
    request_body(content = String, content_type = "application/json",
        description = "`{apps:[{package,version_code,sha256?,signer_sha256?}]}`, at most 5,000 apps, 2 MiB"),
    responses((status = 200, description = "`{device_id,compliance,apps:[InventoryVerdict]}`"),
        (status = 403, description = "forbidden")))]
pub async fn inventory(
    State(state): State<AppState>,
    caller: Caller,
    device_id: Result<Path<String>, PathRejection>,
    ApiJson(body): ApiJson<InventoryBody>,
) -> ApiResult<Json<Value>> {
    let device_id = device_path(device_id)?;
    caller.require_device(&device_id, false)?;
    let items = inventory::validate_items(body.apps)?;
    let answer = inventory::answer(&state, caller.org, &device_id, &items).await?;
    inventory::record(&state, caller.org, &device_id, &items, &answer).await?;
    state
        .metrics
        .inventory_submissions
        .fetch_add(1, Ordering::Relaxed);
    Ok(Json(answer.value))
}

/// The organization's devices.
#[utoipa::path(get, path = "/api/v1/devices", tag = "devices", security(("bearer" = [])),
    responses((status = 200, description = "`{devices:[{device_id,compliance,last_seen,apps,blocked,warned,unknown}]}`")))]
pub async fn devices(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    caller.require_reader()?;
    let devices = state.store.devices(caller.org).await?;
    let list: Vec<Value> = devices
        .iter()
        .map(|d| {
            let count = |decision: &str| {
                d.answer["apps"].as_array().map_or(0, |a| {
                    a.iter().filter(|x| x["decision"] == decision).count()
                })
            };
            json!({
                "device_id": d.device_id,
                "compliance": d.compliance,
                "last_seen": rfc3339(d.last_seen),
                "apps": d.inventory.len(),
                "blocked": count("block"),
                "warned": count("warn"),
                "unknown": count("unknown"),
            })
        })
        .collect();
    Ok(Json(json!({ "devices": list })))
}

/// A device's last answer.
#[utoipa::path(get, path = "/api/v1/devices/{device_id}/compliance", tag = "devices", security(("bearer" = [])),
    params(("device_id" = String, Path, description = "the device")),
    responses((status = 200, description = "the inventory answer plus last_seen"), (status = 404, description = "not_found")))]
pub async fn compliance(
    State(state): State<AppState>,
    caller: Caller,
    device_id: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Value>> {
    let device_id = device_path(device_id)?;
    caller.require_device(&device_id, true)?;
    let d = state
        .store
        .device(caller.org, &device_id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such device in this organization"))?;
    let mut answer = d.answer;
    if !answer.is_object() {
        answer = json!({"device_id": d.device_id, "compliance": d.compliance, "apps": []});
    }
    answer["last_seen"] = json!(rfc3339(d.last_seen));
    Ok(Json(answer))
}
