//! Bad input on every endpoint: a 4xx with a stable JSON error code, never
//! a 500.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{Value, json};

/// Sends a raw body; returns (status, body JSON).
async fn raw(
    s: &TestServer,
    method: &str,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> (u16, Value) {
    let mut req = s.client.request(method.parse().unwrap(), s.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let r = req.body(body).send().await.unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

/// Declares a body of `len` bytes and sends none of it: the server must
/// refuse by the declared length alone. (Sending the whole body races the
/// server's early answer: the client may see a broken pipe instead.)
async fn oversize(
    s: &TestServer,
    method: &str,
    path: &str,
    token: Option<&str>,
    content_type: &str,
    len: usize,
) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = s
        .url("")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {len}\r\nConnection: close\r\n"
    );
    if let Some(t) = token {
        head.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    head.push_str("\r\n");
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        tcp.read_to_end(&mut out),
    )
    .await
    .expect("the server answers without waiting for the body")
    .unwrap();
    let text = String::from_utf8_lossy(&out);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn expect(case: &str, got: (u16, Value), status: u16, code: &str) {
    assert_eq!(got.0, status, "{case}: {}", got.1);
    assert_eq!(got.1["error"]["code"], code, "{case}: {}", got.1);
    assert!(got.1["error"]["message"].is_string(), "{case}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_stable_4xx_codes() {
    let s = TestServer::start_with(1, 64 * 1024).await;
    let admin = Some(s.a.admin.as_str());
    let json_ct = Some("application/json");

    // Authentication.
    let every = [
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/apps"),
        ("POST", "/api/v1/apps"),
        ("GET", "/api/v1/devices"),
        ("POST", "/api/v1/devices/d/inventory"),
        ("GET", "/api/v1/policy"),
        ("PUT", "/api/v1/policy"),
        ("POST", "/api/v1/policy/validate"),
        ("GET", "/api/v1/webhook"),
        ("PUT", "/api/v1/webhook"),
        ("GET", "/api/v1/tokens"),
        ("POST", "/api/v1/tokens"),
        ("DELETE", "/api/v1/tokens/1"),
        ("GET", "/api/v1/overview"),
    ];
    for (m, p) in every {
        expect(
            &format!("{m} {p} no token"),
            raw(&s, m, p, None, None, vec![]).await,
            401,
            "unauthorized",
        );
        expect(
            &format!("{m} {p} bad token"),
            raw(&s, m, p, Some("lsk_nope"), None, vec![]).await,
            401,
            "unauthorized",
        );
    }
    let r = s
        .client
        .get(s.url("/api/v1/me"))
        .header("authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // JSON bodies: syntax, types, unknown fields, content type, size.
    let json_posts = [
        ("POST", "/api/v1/devices/dev-1/inventory"),
        ("PUT", "/api/v1/policy"),
        ("POST", "/api/v1/policy/validate"),
        ("PUT", "/api/v1/webhook"),
        ("POST", "/api/v1/tokens"),
    ];
    for (m, p) in json_posts {
        expect(
            &format!("{m} {p} syntax"),
            raw(&s, m, p, admin, json_ct, b"{,]".to_vec()).await,
            400,
            "invalid_json",
        );
        expect(
            &format!("{m} {p} types"),
            raw(
                &s,
                m,
                p,
                admin,
                json_ct,
                b"{\"apps\": 5, \"role\": 7, \"pack\": 1, \"url\": 2}".to_vec(),
            )
            .await,
            400,
            "bad_request",
        );
        expect(
            &format!("{m} {p} not an object"),
            raw(&s, m, p, admin, json_ct, b"[]".to_vec()).await,
            400,
            "bad_request",
        );
        expect(
            &format!("{m} {p} content type"),
            raw(&s, m, p, admin, Some("text/plain"), b"{}".to_vec()).await,
            415,
            "unsupported_media_type",
        );
        expect(
            &format!("{m} {p} too large"),
            oversize(&s, m, p, admin, "application/json", 3 * 1024 * 1024).await,
            413,
            "payload_too_large",
        );
    }

    // Inventories.
    let inv = |apps: Value| json!({ "apps": apps });
    for (case, body) in [
        (
            "bad sha",
            inv(json!([{"package": "a", "version_code": 1, "sha256": "xyz"}])),
        ),
        (
            "bad signer",
            inv(json!([{"package": "a", "version_code": 1, "signer_sha256": "00"}])),
        ),
        (
            "empty package",
            inv(json!([{"package": "", "version_code": 1}])),
        ),
        ("missing version", inv(json!([{"package": "a"}]))),
        (
            "version as string",
            inv(json!([{"package": "a", "version_code": "1"}])),
        ),
        ("unknown field", json!({"apps": [], "extra": 1})),
        (
            "too many",
            inv(Value::Array(vec![
                json!({"package": "a", "version_code": 1});
                5001
            ])),
        ),
    ] {
        let got = s
            .call("POST", "/api/v1/devices/dev-1/inventory", admin, Some(body))
            .await;
        expect(case, got, 400, "bad_request");
    }
    let long_id = format!("/api/v1/devices/{}/inventory", "x".repeat(129));
    expect(
        "long device id",
        s.call("POST", &long_id, admin, Some(inv(json!([])))).await,
        400,
        "bad_request",
    );
    expect(
        "device id with space",
        s.call(
            "POST",
            "/api/v1/devices/a%20b/inventory",
            admin,
            Some(inv(json!([]))),
        )
        .await,
        400,
        "bad_request",
    );
    expect(
        "unknown device",
        s.call("GET", "/api/v1/devices/nobody/compliance", admin, None)
            .await,
        404,
        "not_found",
    );

    // App paths.
    for p in [
        "/api/v1/apps/xyz",
        "/api/v1/apps/xyz/report.html",
        "/api/v1/apps/xyz/report.sarif",
    ] {
        expect(p, s.call("GET", p, admin, None).await, 400, "bad_request");
    }
    let absent = format!("/api/v1/apps/{}", "0".repeat(64));
    expect(
        "absent app",
        s.call("GET", &absent, admin, None).await,
        404,
        "not_found",
    );

    // Uploads.
    let apk = Some("application/vnd.android.package-archive");
    expect(
        "empty upload",
        raw(&s, "POST", "/api/v1/apps", admin, apk, vec![]).await,
        400,
        "bad_request",
    );
    expect(
        "text upload",
        raw(
            &s,
            "POST",
            "/api/v1/apps",
            admin,
            apk,
            b"hello world".to_vec(),
        )
        .await,
        422,
        "not_an_app",
    );
    expect(
        "wrong type",
        raw(
            &s,
            "POST",
            "/api/v1/apps",
            admin,
            Some("text/plain"),
            b"PK\x03\x04".to_vec(),
        )
        .await,
        415,
        "unsupported_media_type",
    );
    expect(
        "oversized upload",
        oversize(
            &s,
            "POST",
            "/api/v1/apps",
            admin,
            "application/vnd.android.package-archive",
            128 * 1024,
        )
        .await,
        413,
        "payload_too_large",
    );
    let bad_name = format!("/api/v1/apps?filename={}", "n".repeat(300));
    expect(
        "long filename",
        raw(&s, "POST", &bad_name, admin, apk, b"PK\x03\x04".to_vec()).await,
        400,
        "bad_request",
    );

    // Policies, tokens, webhooks.
    expect(
        "both pack and rego",
        s.call(
            "PUT",
            "/api/v1/policy",
            admin,
            Some(json!({"pack": "baseline", "rego": "x"})),
        )
        .await,
        400,
        "bad_request",
    );
    expect(
        "neither",
        s.call("PUT", "/api/v1/policy", admin, Some(json!({})))
            .await,
        400,
        "bad_request",
    );
    expect(
        "unknown pack",
        s.call(
            "PUT",
            "/api/v1/policy",
            admin,
            Some(json!({"pack": "nope"})),
        )
        .await,
        422,
        "policy_invalid",
    );
    expect(
        "data not object",
        s.call(
            "PUT",
            "/api/v1/policy",
            admin,
            Some(json!({"pack": "baseline", "data": [1]})),
        )
        .await,
        400,
        "bad_request",
    );
    expect(
        "no decision rules",
        s.call(
            "PUT",
            "/api/v1/policy",
            admin,
            Some(json!({"rego": "package leakscope\nx := 1\n"})),
        )
        .await,
        422,
        "policy_invalid",
    );
    expect(
        "bad role",
        s.call(
            "POST",
            "/api/v1/tokens",
            admin,
            Some(json!({"role": "root"})),
        )
        .await,
        400,
        "bad_request",
    );
    expect(
        "device without id",
        s.call(
            "POST",
            "/api/v1/tokens",
            admin,
            Some(json!({"role": "device"})),
        )
        .await,
        400,
        "bad_request",
    );
    expect(
        "token id not a number",
        s.call("DELETE", "/api/v1/tokens/abc", admin, None).await,
        400,
        "bad_request",
    );
    expect(
        "absent token",
        s.call("DELETE", "/api/v1/tokens/999999", admin, None).await,
        404,
        "not_found",
    );
    expect(
        "bad url",
        s.call(
            "PUT",
            "/api/v1/webhook",
            admin,
            Some(json!({"url": "ftp://x"})),
        )
        .await,
        400,
        "bad_request",
    );

    // Routing.
    expect(
        "unknown api path",
        s.call("GET", "/api/v1/nope", admin, None).await,
        404,
        "not_found",
    );
    expect(
        "unknown api root",
        s.call("GET", "/api/whatever", admin, None).await,
        404,
        "not_found",
    );
    expect(
        "wrong method",
        s.call("PATCH", "/api/v1/apps", admin, None).await,
        405,
        "method_not_allowed",
    );

    // Nothing above was a 500.
    let metrics = s
        .client
        .get(s.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!metrics.contains("status=\"500\""), "{metrics}");

    // Public pages.
    let (st, h) = s.call("GET", "/api/v1/health", None, None).await;
    assert_eq!(st, 200);
    assert_eq!(h["status"], "ok");
    let (st, doc) = s.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(st, 200);
    assert!(doc["paths"]["/api/v1/apps"].is_object());
    let r = s.client.get(s.url("/api/docs")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = s
        .client
        .get(s.url("/some/dashboard/route"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
}
