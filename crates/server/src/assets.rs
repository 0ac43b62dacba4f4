//! The embedded dashboard (`web/dist/`) and API docs page
//! (`web/dist/api-docs/`, swagger-ui reading `/api/openapi.json`).

use axum::body::Body;
use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::error::ApiError;

/// `web/dist/`, built by the dashboard's `npm run build`.
#[derive(RustEmbed)]
#[folder = "../../web/dist/"]
struct Dist;

fn file(path: &str) -> Option<Response> {
    let f = Dist::get(path)?;
    let mime = f.metadata.mimetype().to_string();
    let cache = if path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Some(
        (
            [(CONTENT_TYPE, mime), (CACHE_CONTROL, cache.to_string())],
            Body::from(f.data.into_owned()),
        )
            .into_response(),
    )
}

/// Everything not under `/api` or `/metrics`: a dashboard file, else
/// `index.html` (client-side routes). Unknown `/api…` paths get a JSON 404.
pub async fn dashboard(uri: Uri) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::not_found("no such API endpoint").into_response();
    }
    let path = path.trim_start_matches('/');
    if !path.is_empty()
        && let Some(r) = file(path)
    {
        return r;
    }
    file("index.html").unwrap_or_else(|| {
        (
            StatusCode::NOT_FOUND,
            "the dashboard is not built (web/dist)",
        )
            .into_response()
    })
}

/// `/api/docs`: the swagger-ui page.
pub async fn docs_index() -> Response {
    file("api-docs/index.html").unwrap_or_else(|| {
        (
            StatusCode::OK,
            [(CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!doctype html><title>leakscope API</title><p>The API docs page is not built \
             (web/dist/api-docs). The OpenAPI document is at <a href=\"/api/openapi.json\">/api/openapi.json</a>.",
        )
            .into_response()
    })
}

/// `/api/docs/…`: swagger-ui's files.
pub async fn docs_asset(Path(path): Path<String>) -> Response {
    file(&format!("api-docs/{path}"))
        .unwrap_or_else(|| ApiError::not_found("no such file").into_response())
}
