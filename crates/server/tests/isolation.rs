//! Tenant isolation, as an attacker holding org A's tokens against org B's
//! resources; and device tokens against other devices.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{Value, json};

/// B's state as B's admin sees it.
async fn snapshot(s: &TestServer) -> Vec<Value> {
    let mut out = Vec::new();
    for path in [
        "/api/v1/apps",
        "/api/v1/devices",
        "/api/v1/devices/dev-b/compliance",
        "/api/v1/policy",
        "/api/v1/policy/versions",
        "/api/v1/tokens",
        "/api/v1/webhook",
    ] {
        let (st, mut v) = s.call("GET", path, Some(&s.b.admin), None).await;
        assert_eq!(st, 200, "{path}: {v}");
        if path.ends_with("webhook") {
            // Deliveries to B's (dead) URL progress on their own.
            v = v["url"].clone();
        }
        if let Some(d) = v.get_mut("last_seen") {
            *d = Value::Null;
        }
        if let Some(ds) = v.get_mut("devices").and_then(Value::as_array_mut) {
            for d in ds {
                d["last_seen"] = Value::Null;
            }
        }
        out.push(v);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn org_a_cannot_see_or_touch_org_b() {
    let s = TestServer::start().await;
    // B: an analysed app, a device, a policy, a webhook.
    let (_, up) = s.upload(&s.b.admin, flashlight()).await;
    let sha = up["sha256"].as_str().unwrap().to_string();
    s.wait_analysed(&s.b.admin, &sha).await;
    let inv = json!({"apps": [{"package": FLASHLIGHT_PACKAGE, "version_code": 3, "sha256": sha}]});
    let (st, _) = s
        .call(
            "POST",
            "/api/v1/devices/dev-b/inventory",
            Some(&s.b.admin),
            Some(inv.clone()),
        )
        .await;
    assert_eq!(st, 200);
    let (st, _) = s
        .call(
            "PUT",
            "/api/v1/policy",
            Some(&s.b.admin),
            Some(json!({"pack": "strict"})),
        )
        .await;
    assert_eq!(st, 200);
    let (st, _) = s
        .call(
            "PUT",
            "/api/v1/webhook",
            Some(&s.b.admin),
            Some(json!({"url": "http://127.0.0.1:9/b", "secret": "b"})),
        )
        .await;
    assert_eq!(st, 200);
    let b_tokens = s.store.tokens(s.b.id).await.unwrap();
    let before = snapshot(&s).await;

    for token in [&s.a.admin, &s.a.analyst, &s.a.device] {
        // A's app list does not show B's app.
        let (st, list) = s.call("GET", "/api/v1/apps", Some(token), None).await;
        if st == 200 {
            assert_eq!(list["apps"], json!([]), "{list}");
        } else {
            assert_eq!(st, 403);
        }
        // B's app, its reports, B's device: not found (or forbidden by role).
        for path in [
            format!("/api/v1/apps/{sha}"),
            format!("/api/v1/apps/{sha}/report.html"),
            format!("/api/v1/apps/{sha}/report.sarif"),
            "/api/v1/devices/dev-b/compliance".to_string(),
        ] {
            let (st, v) = s.call("GET", &path, Some(token), None).await;
            if st == 200 && path.contains("dev-b") {
                // A's own device of that name (written below), never B's.
                assert!(!v.to_string().contains(&sha), "{v}");
                continue;
            }
            assert!(st == 404 || st == 403, "{path}: {st} {v}");
            let code = v["error"]["code"].as_str().unwrap();
            assert!(code == "not_found" || code == "forbidden", "{path}: {v}");
        }
        // Lists hold only A's things.
        let (st, d) = s.call("GET", "/api/v1/devices", Some(token), None).await;
        if st == 200 {
            // Only A's own `dev-b` (an unknown app), never B's (blocked).
            for dev in d["devices"].as_array().unwrap() {
                assert_eq!(dev["blocked"], 0, "{d}");
            }
        }
        let (st, t) = s.call("GET", "/api/v1/tokens", Some(token), None).await;
        if st == 200 {
            let ids: Vec<i64> = t["tokens"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_i64().unwrap())
                .collect();
            assert!(b_tokens.iter().all(|b| !ids.contains(&b.id)));
        }
        // Revoking B's tokens: not found.
        for b in &b_tokens {
            let (st, _) = s
                .call(
                    "DELETE",
                    &format!("/api/v1/tokens/{}", b.id),
                    Some(token),
                    None,
                )
                .await;
            assert!(st == 404 || st == 403, "revoke {}: {st}", b.id);
        }
        // An inventory for B's device id lands (if allowed at all) in A.
        let (st, _) = s
            .call(
                "POST",
                "/api/v1/devices/dev-b/inventory",
                Some(token),
                Some(json!({"apps": [{"package": "x.y", "version_code": 1}]})),
            )
            .await;
        assert!(st == 200 || st == 403, "{st}");
        // Policy and webhook changes only touch A.
        s.call(
            "PUT",
            "/api/v1/policy",
            Some(token),
            Some(json!({"pack": "developer"})),
        )
        .await;
        s.call(
            "PUT",
            "/api/v1/webhook",
            Some(token),
            Some(json!({"url": "http://127.0.0.1:9/a"})),
        )
        .await;
        let (_, w) = s.call("GET", "/api/v1/webhook", Some(token), None).await;
        assert!(!w.to_string().contains("/b\""), "{w}");
    }
    // B is unchanged; B's tokens all still work.
    assert_eq!(snapshot(&s).await, before);
    assert!(
        s.store
            .tokens(s.b.id)
            .await
            .unwrap()
            .iter()
            .all(|t| !t.revoked)
    );
    let (st, _) = s.call("GET", "/api/v1/me", Some(&s.b.device), None).await;
    assert_eq!(st, 200);
    // The device A wrote as `dev-b` is A's.
    let a_dev = s.store.device(s.a.id, "dev-b").await.unwrap();
    assert!(a_dev.is_some());
    let b_dev = s.store.device(s.b.id, "dev-b").await.unwrap().unwrap();
    assert_eq!(b_dev.inventory[0].package, FLASHLIGHT_PACKAGE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_tokens_are_bound_to_their_device() {
    let s = TestServer::start().await;
    let inv = json!({"apps": [{"package": "x.y", "version_code": 1}]});
    let (st, _) = s
        .call(
            "POST",
            "/api/v1/devices/dev-1/inventory",
            Some(&s.a.device),
            Some(inv.clone()),
        )
        .await;
    assert_eq!(st, 200);
    let (st, v) = s
        .call(
            "POST",
            "/api/v1/devices/dev-2/inventory",
            Some(&s.a.device),
            Some(inv),
        )
        .await;
    assert_eq!(st, 403, "{v}");
    assert_eq!(v["error"]["code"], "forbidden");
    let (st, _) = s
        .call(
            "GET",
            "/api/v1/devices/dev-2/compliance",
            Some(&s.a.device),
            None,
        )
        .await;
    assert_eq!(st, 403);
    let (st, _) = s
        .call(
            "GET",
            "/api/v1/devices/dev-1/compliance",
            Some(&s.a.device),
            None,
        )
        .await;
    assert_eq!(st, 200);
    // A device token reads nothing else and administers nothing.
    for (m, p) in [
        ("GET", "/api/v1/apps"),
        ("GET", "/api/v1/devices"),
        ("GET", "/api/v1/tokens"),
        ("GET", "/api/v1/overview"),
        ("GET", "/api/v1/policy"),
    ] {
        let (st, _) = s.call(m, p, Some(&s.a.device), None).await;
        assert_eq!(st, 403, "{m} {p}");
    }
    let (st, _) = s
        .call(
            "PUT",
            "/api/v1/policy",
            Some(&s.a.analyst),
            Some(json!({"pack": "strict"})),
        )
        .await;
    assert_eq!(st, 403, "analysts do not change the policy");
    let (st, _) = s.upload(&s.a.device, flashlight()).await;
    assert_eq!(st, 403);

    // Revocation takes effect.
    let (st, t) = s
        .call(
            "POST",
            "/api/v1/tokens",
            Some(&s.a.admin),
            Some(json!({"role": "device", "device_id": "dev-9", "label": "tmp"})),
        )
        .await;
    assert_eq!(st, 201, "{t}");
    let secret = t["token"].as_str().unwrap().to_string();
    let (st, me) = s.call("GET", "/api/v1/me", Some(&secret), None).await;
    assert_eq!(st, 200);
    assert_eq!(me["device_id"], "dev-9");
    assert_eq!(me["org"]["name"], "org-a");
    let (st, _) = s
        .call(
            "DELETE",
            &format!("/api/v1/tokens/{}", t["id"]),
            Some(&s.a.admin),
            None,
        )
        .await;
    assert_eq!(st, 204);
    let (st, v) = s.call("GET", "/api/v1/me", Some(&secret), None).await;
    assert_eq!(st, 401, "{v}");
}
