//! The HTTP routes: `/api/v1/…`, `/metrics`, `/api/openapi.json`,
//! `/api/docs` and the dashboard.

mod apps;
mod devices;
mod meta;
mod policy;
mod tokens;
mod webhook;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};

use crate::error::ApiError;
use crate::inventory::MAX_BODY;
use crate::state::AppState;

pub use apps::__path_upload;
pub use apps::{__path_app, __path_apps, __path_report_html, __path_report_sarif};
pub use devices::{__path_compliance, __path_devices, __path_inventory};
pub use meta::{__path_health, __path_me, __path_overview};
pub use policy::{
    __path_get_policy, __path_packs, __path_put_policy, __path_validate_policy, __path_versions,
};
pub use tokens::{__path_create_token, __path_list_tokens, __path_revoke_token};
pub use webhook::{__path_get_webhook, __path_put_webhook};

/// The whole application.
pub fn router(state: AppState) -> Router {
    let max_upload = state.settings.max_upload;
    let api = Router::new()
        .route("/health", get(meta::health))
        .route("/me", get(meta::me))
        .route("/overview", get(meta::overview))
        .route(
            "/apps",
            get(apps::apps)
                .post(apps::upload)
                .layer(DefaultBodyLimit::max(max_upload)),
        )
        .route("/apps/{sha256}", get(apps::app))
        .route("/apps/{sha256}/report.html", get(apps::report_html))
        .route("/apps/{sha256}/report.sarif", get(apps::report_sarif))
        .route("/devices", get(devices::devices))
        .route("/devices/{device_id}/inventory", post(devices::inventory))
        .route("/devices/{device_id}/compliance", get(devices::compliance))
        .route("/policy", get(policy::get_policy).put(policy::put_policy))
        .route("/policy/validate", post(policy::validate_policy))
        .route("/policy/versions", get(policy::versions))
        .route("/policy/packs", get(policy::packs))
        .route(
            "/webhook",
            get(webhook::get_webhook).put(webhook::put_webhook),
        )
        .route(
            "/tokens",
            get(tokens::list_tokens).post(tokens::create_token),
        )
        .route("/tokens/{id}", delete(tokens::revoke_token))
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed);
    Router::new()
        .nest("/api/v1", api)
        .route("/api/openapi.json", get(crate::openapi::openapi_json))
        .route("/api/docs", get(crate::assets::docs_index))
        .route("/api/docs/", get(crate::assets::docs_index))
        .route("/api/docs/{*path}", get(crate::assets::docs_asset))
        .route("/metrics", get(meta::metrics))
        .fallback(crate::assets::dashboard)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            declared_length,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::metrics::track,
        ))
        .with_state(state)
}

/// Refuses a body whose declared `Content-Length` is over the route's limit
/// before reading any of it. (The body limits alone read up to the limit
/// first; a client still sending the rest then sees its connection closed
/// instead of the 413.)
async fn declared_length(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let upload = req.method() == axum::http::Method::POST && req.uri().path() == "/api/v1/apps";
    let limit = if upload {
        state.settings.max_upload
    } else {
        MAX_BODY
    };
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        let message = if upload {
            format!("uploads are limited to {} MiB", limit / (1024 * 1024))
        } else {
            format!(
                "request bodies are limited to {} MiB",
                limit / (1024 * 1024)
            )
        };
        return ApiError::payload_too_large(message).into_response();
    }
    next.run(req).await
}

async fn api_not_found() -> ApiError {
    ApiError::not_found("no such API endpoint")
}

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}
