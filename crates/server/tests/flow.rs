//! Upload → analysis → report → inventory → verdict → webhook, against a
//! real server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderMap;
use common::*;
use serde_json::{Value, json};

type Received = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A tiny webhook receiver that records every POST.
async fn receiver() -> (String, Received) {
    let got: Received = Arc::default();
    let store = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let store = store.clone();
            async move {
                store.lock().unwrap().push((headers, body));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/hook"), got)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_analyse_inventory_webhook() {
    let s = TestServer::start().await;
    let (hook, received) = receiver().await;
    let (st, v) = s
        .call(
            "PUT",
            "/api/v1/webhook",
            Some(&s.a.admin),
            Some(json!({"url": hook, "secret": "s3cret"})),
        )
        .await;
    assert_eq!(st, 200, "{v}");

    // Upload twice: analysed once.
    let (st, first) = s.upload(&s.a.analyst, flashlight()).await;
    assert_eq!(st, 202, "{first}");
    assert_eq!(first["duplicate"], false);
    let sha = first["sha256"].as_str().unwrap().to_string();
    let (st, second) = s.upload(&s.a.admin, flashlight()).await;
    assert_eq!(st, 202);
    assert_eq!(second["duplicate"], true);
    assert_eq!(second["sha256"], sha.as_str());

    let app = s.wait_analysed(&s.a.analyst, &sha).await;
    assert_eq!(app["status"], "done", "{app}");
    assert_eq!(app["summary"]["package"], FLASHLIGHT_PACKAGE);
    assert_eq!(app["report"]["app"]["package"], FLASHLIGHT_PACKAGE);
    // The baseline pack blocks it (contacts and location leave the device).
    assert_eq!(app["policy"]["decision"], "block", "{}", app["policy"]);
    assert_eq!(app["summary"]["decision"], "block");
    assert_eq!(app["policy"]["policy_version"], 0);
    assert_eq!(app["counterfeit"]["suspected"], false);
    let transmitted = app["summary"]["categories_transmitted"].as_array().unwrap();
    assert!(!transmitted.is_empty(), "{}", app["summary"]);

    // Rendered reports.
    let r = s
        .client
        .get(s.url(&format!("/api/v1/apps/{sha}/report.html")))
        .bearer_auth(&s.a.analyst)
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
    assert!(r.text().await.unwrap().contains("Super Flashlight"));
    let (st, sarif) = s
        .call(
            "GET",
            &format!("/api/v1/apps/{sha}/report.sarif"),
            Some(&s.a.analyst),
            None,
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(sarif["version"], "2.1.0");

    // Listed in A's apps with its decision.
    let (_, list) = s
        .call("GET", "/api/v1/apps", Some(&s.a.analyst), None)
        .await;
    let apps = list["apps"].as_array().unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0]["decision"], "block");

    // The device reports the app (by hash) and an app nobody uploaded.
    let unknown = "ab".repeat(32);
    let inventory = json!({"apps": [
        {"package": FLASHLIGHT_PACKAGE, "version_code": 3, "sha256": sha},
        {"package": "com.example.other", "version_code": 1, "sha256": unknown},
    ]});
    let (st, answer) = s
        .call(
            "POST",
            "/api/v1/devices/dev-1/inventory",
            Some(&s.a.device),
            Some(inventory.clone()),
        )
        .await;
    assert_eq!(st, 200, "{answer}");
    assert_eq!(answer["compliance"], "non_compliant");
    assert_eq!(answer["apps"][0]["decision"], "block");
    assert_eq!(answer["apps"][0]["upload_requested"], false);
    assert!(!answer["apps"][0]["reasons"].as_array().unwrap().is_empty());
    assert_eq!(answer["apps"][1]["decision"], "unknown");
    assert_eq!(answer["apps"][1]["upload_requested"], true);

    // By package and version only: the analysed app is found.
    let (_, answer2) = s
        .call(
            "POST",
            "/api/v1/devices/dev-2/inventory",
            Some(&s.a.admin),
            Some(json!({"apps": [{"package": FLASHLIGHT_PACKAGE, "version_code": 3}]})),
        )
        .await;
    assert_eq!(answer2["apps"][0]["decision"], "block", "{answer2}");
    assert_eq!(answer2["apps"][0]["sha256"], sha.as_str());

    // Compliance as stored.
    let (st, c) = s
        .call(
            "GET",
            "/api/v1/devices/dev-1/compliance",
            Some(&s.a.device),
            None,
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(c["compliance"], "non_compliant");
    assert!(c["last_seen"].is_string());
    let (_, devices) = s
        .call("GET", "/api/v1/devices", Some(&s.a.analyst), None)
        .await;
    assert_eq!(devices["devices"].as_array().unwrap().len(), 2);

    // The webhook arrives, signed.
    let deadline = Instant::now() + Duration::from_secs(20);
    let (headers, body) = loop {
        if let Some(x) = received.lock().unwrap().first().cloned() {
            break x;
        }
        assert!(Instant::now() < deadline, "no webhook delivery");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let expected = leakscope_server::signature(b"s3cret", &body);
    assert_eq!(headers["x-leakscope-signature"].to_str().unwrap(), expected);
    assert_ne!(leakscope_server::signature(b"wrong", &body), expected);
    assert_eq!(headers["x-leakscope-event"], "device.compliance_changed");
    let payload: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(payload["event"], "device.compliance_changed");
    assert_eq!(payload["current"], "non_compliant");
    assert_eq!(payload["org_id"], s.a.id);

    // Same inventory again: compliance unchanged, no new event.
    let n = s.store.webhook_deliveries(s.a.id, 100).await.unwrap().len();
    s.call(
        "POST",
        "/api/v1/devices/dev-1/inventory",
        Some(&s.a.device),
        Some(inventory),
    )
    .await;
    assert_eq!(
        s.store.webhook_deliveries(s.a.id, 100).await.unwrap().len(),
        n
    );

    // Org B uploads the same bytes: no second analysis, B gets its verdict.
    let (st, b) = s.upload(&s.b.admin, flashlight()).await;
    assert_eq!(st, 202);
    assert_eq!(b["duplicate"], true);
    assert_eq!(b["status"], "done");
    let (_, bapp) = s
        .call(
            "GET",
            &format!("/api/v1/apps/{sha}"),
            Some(&s.b.analyst),
            None,
        )
        .await;
    assert_eq!(bapp["policy"]["decision"], "block", "{bapp}");
    let record = s.store.app(&sha).await.unwrap().unwrap();
    assert_eq!(record.attempts, 1, "analysed exactly once");

    // Overview and metrics.
    let (st, o) = s
        .call("GET", "/api/v1/overview", Some(&s.a.analyst), None)
        .await;
    assert_eq!(st, 200);
    assert_eq!(o["devices"]["total"], 2);
    assert_eq!(o["devices"]["non_compliant"], 2);
    assert_eq!(o["apps"]["analysed"], 1);
    assert_eq!(o["most_blocked"][0]["sha256"], sha.as_str());
    assert_eq!(o["most_blocked"][0]["devices"], 2);
    let metrics = s
        .client
        .get(s.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("leakscope_inventory_submissions_total 3"),
        "{metrics}"
    );
    assert!(
        metrics.contains("leakscope_apps_total{status=\"done\"} 1"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policy_change_reevaluates_and_counterfeits_are_blocked() {
    let s = TestServer::start().await;
    let (_, up) = s.upload(&s.a.admin, flashlight()).await;
    let sha = up["sha256"].as_str().unwrap().to_string();
    s.wait_analysed(&s.a.admin, &sha).await;
    let inv = json!({"apps": [{"package": FLASHLIGHT_PACKAGE, "version_code": 3, "sha256": sha}]});
    let (_, a) = s
        .call(
            "POST",
            "/api/v1/devices/dev-1/inventory",
            Some(&s.a.admin),
            Some(inv),
        )
        .await;
    assert_eq!(a["compliance"], "non_compliant");

    // A policy that never blocks: version 1, the app and the device follow.
    let rego = "package leakscope\nimport rego.v1\nwarn contains m if { false; m := {} }\n";
    let (st, v) = s
        .call(
            "POST",
            "/api/v1/policy/validate",
            Some(&s.a.analyst),
            Some(json!({"rego": rego})),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["valid"], true);
    assert_eq!(v["results"][0]["current"], "block");
    assert_eq!(v["results"][0]["proposed"], "allow");
    let (st, v) = s
        .call(
            "PUT",
            "/api/v1/policy",
            Some(&s.a.admin),
            Some(json!({"rego": rego})),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["version"], 1);
    assert_eq!(v["reevaluated"], 1);
    let (_, app) = s
        .call(
            "GET",
            &format!("/api/v1/apps/{sha}"),
            Some(&s.a.admin),
            None,
        )
        .await;
    assert_eq!(app["policy"]["decision"], "allow");
    assert_eq!(app["policy"]["policy_version"], 1);
    let (_, c) = s
        .call(
            "GET",
            "/api/v1/devices/dev-1/compliance",
            Some(&s.a.admin),
            None,
        )
        .await;
    assert_eq!(c["compliance"], "compliant", "{c}");
    let (_, p) = s
        .call("GET", "/api/v1/policy", Some(&s.a.analyst), None)
        .await;
    assert_eq!(p["version"], 1);
    assert_eq!(p["created_by"], "admin");
    // Org B still uses the default pack.
    let (_, pb) = s
        .call("GET", "/api/v1/policy", Some(&s.b.admin), None)
        .await;
    assert_eq!(pb["version"], 0);
    assert_eq!(pb["pack"], "baseline");

    // A broken policy: 422 with a location, nothing stored.
    let (st, e) = s
        .call(
            "PUT",
            "/api/v1/policy",
            Some(&s.a.admin),
            Some(json!({"rego": "package leakscope\nblock contains m if {\n"})),
        )
        .await;
    assert_eq!(st, 422, "{e}");
    assert_eq!(e["error"]["code"], "policy_invalid");
    assert!(e["error"]["details"]["message"].is_string(), "{e}");
    let (_, v) = s
        .call(
            "POST",
            "/api/v1/policy/validate",
            Some(&s.a.admin),
            Some(json!({"rego": "package leakscope\nblock contains m if {\n"})),
        )
        .await;
    assert_eq!(v["valid"], false);
    let (_, versions) = s
        .call("GET", "/api/v1/policy/versions", Some(&s.a.admin), None)
        .await;
    assert_eq!(versions["versions"].as_array().unwrap().len(), 1);

    // Same package, another signer: a counterfeit, blocked whatever the
    // (now permissive) policy says.
    let fake = json!({"apps": [{"package": FLASHLIGHT_PACKAGE, "version_code": 3,
        "signer_sha256": "cd".repeat(32)}]});
    let (_, a) = s
        .call(
            "POST",
            "/api/v1/devices/dev-3/inventory",
            Some(&s.a.admin),
            Some(fake),
        )
        .await;
    assert_eq!(a["apps"][0]["decision"], "block", "{a}");
    assert_eq!(a["apps"][0]["counterfeit"], true);
    assert!(
        a["apps"][0]["reasons"][0]
            .as_str()
            .unwrap()
            .contains("counterfeit.signer_mismatch")
    );
    // The genuine signer is fine.
    let genuine = json!({"apps": [{"package": FLASHLIGHT_PACKAGE, "version_code": 3,
        "signer_sha256": FLASHLIGHT_SIGNER}]});
    let (_, a) = s
        .call(
            "POST",
            "/api/v1/devices/dev-4/inventory",
            Some(&s.a.admin),
            Some(genuine),
        )
        .await;
    assert_eq!(a["apps"][0]["decision"], "allow", "{a}");
    assert_eq!(a["apps"][0]["counterfeit"], false);
    // The knowledge-base list also flags unknown-to-the-org packages.
    let kb = json!({"apps": [{"package": "org.leakscope.example.signed", "version_code": 1,
        "signer_sha256": "ef".repeat(32)}]});
    let (_, a) = s
        .call(
            "POST",
            "/api/v1/devices/dev-5/inventory",
            Some(&s.b.admin),
            Some(kb),
        )
        .await;
    assert_eq!(a["apps"][0]["counterfeit"], true, "{a}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_app_zip_fails_visibly() {
    let s = TestServer::start().await;
    let (st, up) = s
        .upload(&s.a.admin, b"PK\x03\x04 this is not a zip at all".to_vec())
        .await;
    assert_eq!(st, 202, "{up}");
    let sha = up["sha256"].as_str().unwrap().to_string();
    let app = s.wait_analysed(&s.a.admin, &sha).await;
    assert_eq!(app["status"], "failed", "{app}");
    assert!(
        app["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{app}"
    );
    assert!(app["report"].is_null());
    let (st, e) = s
        .call(
            "GET",
            &format!("/api/v1/apps/{sha}/report.html"),
            Some(&s.a.admin),
            None,
        )
        .await;
    assert_eq!(st, 409, "{e}");
}
