//! `GET /api/openapi.json`: the OpenAPI 3.1 document, from the handlers'
//! `#[utoipa::path]` annotations.

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "leakscope fleet server", description = "Organizations' MDMs report device \
        inventories; leakscope analyses each app once and answers which apps to block. \
        Errors: `{\"error\":{\"code\",\"message\",\"details\"}}`."),
    paths(
        routes::health, routes::me, routes::overview,
        routes::upload, routes::apps, routes::app, routes::report_html, routes::report_sarif,
        routes::inventory, routes::devices, routes::compliance,
        routes::get_policy, routes::put_policy, routes::validate_policy, routes::versions, routes::packs,
        routes::get_webhook, routes::put_webhook,
        routes::create_token, routes::list_tokens, routes::revoke_token,
    ),
    modifiers(&Bearer)
)]
struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as JSON text.
pub fn document() -> String {
    ApiDoc::openapi().to_json().unwrap_or_else(|e| {
        tracing::error!("OpenAPI document: {e}");
        "{}".to_string()
    })
}

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Response {
    ([(CONTENT_TYPE, "application/json")], document()).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn document_lists_the_contract_paths() {
        let doc: serde_json::Value = serde_json::from_str(&super::document()).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        for p in [
            "/api/v1/health",
            "/api/v1/apps",
            "/api/v1/apps/{sha256}",
            "/api/v1/devices/{device_id}/inventory",
            "/api/v1/policy",
            "/api/v1/tokens/{id}",
        ] {
            assert!(doc["paths"].get(p).is_some(), "{p}");
        }
    }
}
