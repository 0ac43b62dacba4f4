//! Behaviour of the store, run on every available backend (see `common.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use common::{TestStore, sha256_hex, stores};
use leakscope_store::{
    Analysed, AppStatus, DeliveryStatus, InventoryItem, MAX_ATTEMPTS, Role, Store, StoreError,
    VerdictRecord, now_ms,
};
use serde_json::json;

fn app_bytes(tag: &str) -> (String, Bytes) {
    let bytes = Bytes::from(format!("PK\u{3}\u{4} fake app {tag}"));
    (sha256_hex(&bytes), bytes)
}

fn analysed(package: &str) -> Analysed {
    Analysed {
        package: Some(package.to_owned()),
        version_code: Some(7),
        signers: vec!["ab".repeat(32)],
        summary: json!({"verdict": "no_leak_found"}),
        report: json!({"findings": []}),
    }
}

async fn wait_for_status(store: &Store, sha256: &str, want: AppStatus, within: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < deadline {
        if store.app(sha256).await.unwrap().map(|a| a.status) == Some(want) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orgs_and_tokens() {
    for TestStore {
        name, store, raw, ..
    } in stores().await
    {
        let a = store.create_org("acme").await.unwrap();
        assert!(
            matches!(store.create_org("acme").await, Err(StoreError::Conflict(_))),
            "{name}"
        );
        assert!(
            matches!(store.create_org("  ").await, Err(StoreError::BadInput(_))),
            "{name}"
        );
        assert_eq!(store.org_by_name("acme").await.unwrap().unwrap().id, a.id);
        assert!(store.org(a.id + 1000).await.unwrap().is_none());

        store
            .set_webhook(a.id, Some("https://hooks.example/x"), Some("s3cret"))
            .await
            .unwrap();
        let org = store.org(a.id).await.unwrap().unwrap();
        assert_eq!(org.webhook_url.as_deref(), Some("https://hooks.example/x"));
        assert!(
            !serde_json::to_string(&org).unwrap().contains("s3cret"),
            "{name}: secret serialized"
        );

        let (token, secret) = store
            .create_token(a.id, Role::Admin, None, "bootstrap")
            .await
            .unwrap();
        assert!(
            secret.starts_with("lsk_") && secret.len() == 4 + 64,
            "{name}: {secret}"
        );
        // Only the SHA-256 of the secret is stored, nowhere the secret itself.
        assert_eq!(
            raw.count_tokens_where("secret_sha256", &sha256_hex(secret.as_bytes()))
                .await,
            1,
            "{name}"
        );
        assert_eq!(
            raw.count_tokens_where("secret_sha256", &secret).await,
            0,
            "{name}"
        );
        assert_eq!(raw.count_tokens_where("label", &secret).await, 0, "{name}");

        let authed = store.authenticate(&secret).await.unwrap().unwrap();
        assert_eq!(
            (authed.id, authed.org_id, authed.role),
            (token.id, a.id, Role::Admin)
        );
        assert!(store.authenticate("lsk_0000").await.unwrap().is_none());
        assert!(store.authenticate("").await.unwrap().is_none());

        assert!(matches!(
            store.create_token(a.id, Role::Device, None, "d").await,
            Err(StoreError::BadInput(_))
        ));
        assert!(matches!(
            store.create_token(a.id + 99, Role::Admin, None, "x").await,
            Err(StoreError::NotFound(_))
        ));
        let (dev, dev_secret) = store
            .create_token(a.id, Role::Device, Some("d1"), "phone")
            .await
            .unwrap();
        assert_eq!(
            store
                .authenticate(&dev_secret)
                .await
                .unwrap()
                .unwrap()
                .device_id
                .as_deref(),
            Some("d1")
        );

        let b = store.create_org("other").await.unwrap();
        assert!(
            !store.revoke_token(b.id, dev.id).await.unwrap(),
            "{name}: revoked across orgs"
        );
        assert!(store.authenticate(&dev_secret).await.unwrap().is_some());
        assert!(store.revoke_token(a.id, dev.id).await.unwrap());
        assert!(
            store.authenticate(&dev_secret).await.unwrap().is_none(),
            "{name}: revoked token accepted"
        );
        let listed = store.tokens(a.id).await.unwrap();
        assert_eq!(listed.len(), 2);
        assert!(listed.iter().any(|t| t.id == dev.id && t.revoked));
        assert_eq!(store.orgs().await.unwrap().len(), 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenants_never_see_each_other() {
    for TestStore { name, store, .. } in stores().await {
        let a = store.create_org("a").await.unwrap().id;
        let b = store.create_org("b").await.unwrap().id;
        let (sha, bytes) = app_bytes("scoping");
        store.put_app(&sha, bytes, Some("x.apk")).await.unwrap();
        store.link_app(a, &sha).await.unwrap();
        store.link_app(a, &sha).await.unwrap(); // idempotent
        store
            .put_device(a, "d1", &[], "compliant", &json!({}))
            .await
            .unwrap();
        store
            .put_policy(a, Some("strict"), None, &json!({}), "admin")
            .await
            .unwrap();
        store
            .put_verdict(&VerdictRecord {
                org_id: a,
                sha256: sha.clone(),
                policy_version: 1,
                decision: "block".into(),
                detail: json!({"matches": []}),
                counterfeit: false,
                evaluated_at: now_ms(),
            })
            .await
            .unwrap();
        store
            .queue_webhook(a, "device.compliance_changed", &json!({"x": 1}))
            .await
            .unwrap();
        store
            .create_token(a, Role::Analyst, None, "t")
            .await
            .unwrap();
        store
            .trust_signer(a, "com.x", "cafe", "fleet")
            .await
            .unwrap();

        assert_eq!(store.org_apps(a).await.unwrap().len(), 1, "{name}");
        assert!(store.org_has_app(a, &sha).await.unwrap());
        assert_eq!(store.orgs_with_app(&sha).await.unwrap(), vec![a]);
        assert!(
            store.devices(b).await.unwrap().is_empty(),
            "{name}: devices leak"
        );
        assert!(
            store.device(b, "d1").await.unwrap().is_none(),
            "{name}: device leak"
        );
        assert!(
            store.policy(b).await.unwrap().is_none(),
            "{name}: policy leak"
        );
        assert!(store.policy_versions(b).await.unwrap().is_empty());
        assert!(
            store.verdict(b, &sha).await.unwrap().is_none(),
            "{name}: verdict leak"
        );
        assert!(store.verdicts(b).await.unwrap().is_empty());
        assert!(
            store.tokens(b).await.unwrap().is_empty(),
            "{name}: token leak"
        );
        assert!(
            store.webhook_deliveries(b, 100).await.unwrap().is_empty(),
            "{name}: webhook leak"
        );
        assert!(
            store.org_apps(b).await.unwrap().is_empty(),
            "{name}: app leak"
        );
        assert!(!store.org_has_app(b, &sha).await.unwrap());
        assert!(store.trusted_signers(b, "com.x").await.unwrap().is_empty());
        assert_eq!(
            store.trusted_signers(a, "com.x").await.unwrap(),
            vec!["cafe".to_string()]
        );
        // and org A does see its own
        assert_eq!(store.devices(a).await.unwrap().len(), 1);
        assert_eq!(
            store.verdict(a, &sha).await.unwrap().unwrap().decision,
            "block"
        );
        assert_eq!(store.webhook_deliveries(a, 100).await.unwrap().len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_app_twice_enqueues_one_job() {
    for TestStore { name, store, .. } in stores().await {
        let (sha, bytes) = app_bytes("dup");
        assert!(
            store
                .put_app(&sha, bytes.clone(), Some("a.apk"))
                .await
                .unwrap(),
            "{name}"
        );
        assert!(
            !store
                .put_app(&sha, bytes.clone(), Some("b.apk"))
                .await
                .unwrap(),
            "{name}"
        );
        assert_eq!(store.queued_jobs().await.unwrap(), 1, "{name}");
        let app = store.app(&sha).await.unwrap().unwrap();
        assert_eq!(
            (app.status, app.filename.as_deref(), app.size),
            (AppStatus::Queued, Some("a.apk"), bytes.len() as i64)
        );
        assert_eq!(store.app_blob(&sha).await.unwrap(), Some(bytes));
        assert_eq!(store.app_blob(&"0".repeat(64)).await.unwrap(), None);
        assert_eq!(store.app_blob("../../etc/passwd").await.unwrap(), None);
        assert!(matches!(
            store.put_app("../x", Bytes::new(), None).await,
            Err(StoreError::BadInput(_))
        ));
        assert_eq!(store.app_counts().await.unwrap()["queued"], 1);
        assert_eq!(store.app_counts().await.unwrap()["done"], 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_runs_the_job() {
    for TestStore { name, store, .. } in stores().await {
        let (sha, bytes) = app_bytes("run");
        store.put_app(&sha, bytes, None).await.unwrap();
        let calls = Arc::new(AtomicUsize::new(0));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let worker = {
            let (store, calls) = (store.clone(), calls.clone());
            let handler = {
                let store = store.clone();
                move |sha: String| {
                    let (store, calls) = (store.clone(), calls.clone());
                    async move {
                        calls.fetch_add(1, Ordering::SeqCst);
                        let blob = store.app_blob(&sha).await.map_err(|e| e.to_string())?;
                        if blob.is_none() {
                            return Err("no blob".into());
                        }
                        store
                            .finish_app(&sha, &analysed("com.example.run"))
                            .await
                            .map_err(|e| e.to_string())
                    }
                }
            };
            tokio::spawn(async move {
                store
                    .run_analysis_worker("test", 2, handler, async move {
                        let _ = stopped.await;
                    })
                    .await
            })
        };
        assert!(
            wait_for_status(&store, &sha, AppStatus::Done, Duration::from_secs(20)).await,
            "{name}: not done"
        );
        let _ = stop.send(());
        tokio::time::timeout(Duration::from_secs(10), worker)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1, "{name}");
        let app = store.app(&sha).await.unwrap().unwrap();
        assert_eq!(app.package.as_deref(), Some("com.example.run"));
        assert_eq!(app.attempts, 1);
        assert_eq!(app.report, Some(json!({"findings": []})));
        assert!(app.analysed_at.is_some());
        let index = store.app_index().await.unwrap();
        assert_eq!(index.len(), 1);
        assert!(index[0].report.is_none(), "{name}: index carries reports");
        assert_eq!(
            store
                .apps_by_package("com.example.run")
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(store.queued_jobs().await.unwrap(), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn job_of_a_dead_worker_is_retried_and_completes_once() {
    for TestStore { name, store, .. } in stores().await {
        let (sha, bytes) = app_bytes("crash");
        store.put_app(&sha, bytes, None).await.unwrap();

        // Worker A takes the job and hangs forever; then it dies (task aborted, like kill -9).
        let hung = Arc::new(AtomicUsize::new(0));
        let a = {
            let (store, hung) = (store.clone(), hung.clone());
            let handler = move |_sha: String| {
                let hung = hung.clone();
                async move {
                    hung.fetch_add(1, Ordering::SeqCst);
                    std::future::pending::<()>().await;
                    Ok(())
                }
            };
            tokio::spawn(async move {
                store
                    .run_analysis_worker("a", 1, handler, std::future::pending())
                    .await
            })
        };
        assert!(
            wait_for_status(&store, &sha, AppStatus::Analysing, Duration::from_secs(20)).await,
            "{name}"
        );
        a.abort();
        let _ = a.await;
        assert_eq!(hung.load(Ordering::SeqCst), 1);

        // Worker B (another name) re-enqueues the orphaned job and completes it.
        let done = Arc::new(AtomicUsize::new(0));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let b = {
            let (store, done) = (store.clone(), done.clone());
            let handler = {
                let store = store.clone();
                move |sha: String| {
                    let (store, done) = (store.clone(), done.clone());
                    async move {
                        store
                            .finish_app(&sha, &analysed("com.example.crash"))
                            .await
                            .map_err(|e| e.to_string())?;
                        done.fetch_add(1, Ordering::SeqCst);
                        Ok(())
                    }
                }
            };
            tokio::spawn(async move {
                store
                    .run_analysis_worker("b", 1, handler, async move {
                        let _ = stopped.await;
                    })
                    .await
            })
        };
        assert!(
            wait_for_status(&store, &sha, AppStatus::Done, Duration::from_secs(30)).await,
            "{name}: not retried"
        );
        // Give a duplicate run the chance to happen (it must not).
        tokio::time::sleep(Duration::from_secs(3)).await;
        let _ = stop.send(());
        tokio::time::timeout(Duration::from_secs(10), b)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(
            done.load(Ordering::SeqCst),
            1,
            "{name}: completed more than once"
        );
        assert_eq!(hung.load(Ordering::SeqCst), 1);
        assert_eq!(
            store.app(&sha).await.unwrap().unwrap().attempts,
            2,
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_handler_marks_the_app_failed() {
    for TestStore { name, store, .. } in stores().await {
        let (sha, bytes) = app_bytes("fail");
        store.put_app(&sha, bytes, None).await.unwrap();
        let calls = Arc::new(AtomicUsize::new(0));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let worker = {
            let (store, calls) = (store.clone(), calls.clone());
            let handler = move |_sha: String| {
                let calls = calls.clone();
                async move {
                    calls.fetch_add(1, Ordering::SeqCst);
                    Err::<(), String>("not an app: bad zip".into())
                }
            };
            tokio::spawn(async move {
                store
                    .run_analysis_worker("f", 1, handler, async move {
                        let _ = stopped.await;
                    })
                    .await
            })
        };
        assert!(
            wait_for_status(&store, &sha, AppStatus::Failed, Duration::from_secs(30)).await,
            "{name}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        let _ = stop.send(());
        tokio::time::timeout(Duration::from_secs(10), worker)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        let app = store.app(&sha).await.unwrap().unwrap();
        assert_eq!(app.error.as_deref(), Some("not an app: bad zip"), "{name}");
        assert_eq!(calls.load(Ordering::SeqCst) as i64, MAX_ATTEMPTS, "{name}");
        assert_eq!(store.queued_jobs().await.unwrap(), 0, "{name}");

        // requeue puts it back with one new job; a second put_app does not
        assert!(
            !store
                .put_app(&sha, app_bytes("fail").1, None)
                .await
                .unwrap()
        );
        assert!(store.requeue_app(&sha).await.unwrap(), "{name}");
        assert!(
            !store.requeue_app(&sha).await.unwrap(),
            "{name}: requeued a queued app"
        );
        assert_eq!(
            store.app(&sha).await.unwrap().unwrap().status,
            AppStatus::Queued
        );
        assert_eq!(store.queued_jobs().await.unwrap(), 1, "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policy_versions_increase() {
    for TestStore { name, store, .. } in stores().await {
        let org = store.create_org("p").await.unwrap().id;
        assert!(store.policy(org).await.unwrap().is_none());
        for (i, pack) in ["baseline", "strict", "developer"].iter().enumerate() {
            let p = store
                .put_policy(org, Some(pack), None, &json!({"i": i}), "admin")
                .await
                .unwrap();
            assert_eq!(p.version, i as i64 + 1, "{name}");
        }
        let rego = "package leakscope\nimport rego.v1\n";
        let p = store
            .put_policy(org, None, Some(rego), &json!({"allow": ["x"]}), "ops")
            .await
            .unwrap();
        assert_eq!(p.version, 4);
        let latest = store.policy(org).await.unwrap().unwrap();
        assert_eq!(
            (latest.version, latest.rego.as_deref(), latest.pack),
            (4, Some(rego), None)
        );
        assert_eq!(latest.data, json!({"allow": ["x"]}));
        let versions: Vec<i64> = store
            .policy_versions(org)
            .await
            .unwrap()
            .iter()
            .map(|p| p.version)
            .collect();
        assert_eq!(versions, vec![1, 2, 3, 4], "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_device_returns_previous_compliance() {
    for TestStore { name, store, .. } in stores().await {
        let org = store.create_org("d").await.unwrap().id;
        let inv = vec![InventoryItem {
            package: "com.x".into(),
            version_code: 1,
            sha256: None,
            signer_sha256: None,
        }];
        assert_eq!(
            store
                .put_device(org, "d1", &inv, "pending", &json!({"n": 1}))
                .await
                .unwrap(),
            None,
            "{name}"
        );
        let first_seen = store.device(org, "d1").await.unwrap().unwrap().last_seen;
        tokio::time::sleep(Duration::from_millis(5)).await;
        // unchanged: only last_seen moves
        assert_eq!(
            store
                .put_device(org, "d1", &inv, "pending", &json!({"n": 2}))
                .await
                .unwrap()
                .as_deref(),
            Some("pending")
        );
        let d = store.device(org, "d1").await.unwrap().unwrap();
        assert!(d.last_seen > first_seen, "{name}");
        assert_eq!(d.answer, json!({"n": 1}));
        // compliance changes
        assert_eq!(
            store
                .put_device(org, "d1", &inv, "compliant", &json!({"n": 3}))
                .await
                .unwrap()
                .as_deref(),
            Some("pending")
        );
        // inventory changes
        let mut inv2 = inv.clone();
        inv2.push(InventoryItem {
            package: "com.y".into(),
            version_code: 2,
            sha256: Some("ab".repeat(32)),
            signer_sha256: None,
        });
        assert_eq!(
            store
                .put_device(org, "d1", &inv2, "warn", &json!({"n": 4}))
                .await
                .unwrap()
                .as_deref(),
            Some("compliant")
        );
        let d = store.device(org, "d1").await.unwrap().unwrap();
        assert_eq!(
            (d.compliance.as_str(), d.inventory.clone(), d.answer),
            ("warn", inv2, json!({"n": 4}))
        );
        assert!(matches!(
            store.put_device(org, "", &inv, "warn", &json!({})).await,
            Err(StoreError::BadInput(_))
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_outbox_transitions() {
    for TestStore { name, store, .. } in stores().await {
        let org = store.create_org("w").await.unwrap().id;
        let id1 = store
            .queue_webhook(
                org,
                "device.compliance_changed",
                &json!({"device_id": "d1"}),
            )
            .await
            .unwrap();
        let id2 = store
            .queue_webhook(
                org,
                "device.compliance_changed",
                &json!({"device_id": "d2"}),
            )
            .await
            .unwrap();
        let id3 = store
            .queue_webhook(
                org,
                "device.compliance_changed",
                &json!({"device_id": "d3"}),
            )
            .await
            .unwrap();
        let now = now_ms();
        let due: Vec<i64> = store
            .due_webhooks(now, 10)
            .await
            .unwrap()
            .iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(due, vec![id1, id2, id3], "{name}");
        assert_eq!(store.due_webhooks(now, 2).await.unwrap().len(), 2);

        store
            .webhook_attempted(id1, true, None, None)
            .await
            .unwrap();
        store
            .webhook_attempted(id2, false, Some("HTTP 500"), Some(now + 60_000))
            .await
            .unwrap();
        store
            .webhook_attempted(id3, false, Some("HTTP 410"), None)
            .await
            .unwrap();
        assert!(
            store.due_webhooks(now, 10).await.unwrap().is_empty(),
            "{name}: retry due too early"
        );
        let later = store.due_webhooks(now + 60_000, 10).await.unwrap();
        assert_eq!(later.len(), 1);
        assert_eq!(
            (
                later[0].id,
                later[0].attempts,
                later[0].last_error.as_deref()
            ),
            (id2, 1, Some("HTTP 500"))
        );

        let all = store.webhook_deliveries(org, 10).await.unwrap();
        let status = |id| all.iter().find(|d| d.id == id).map(|d| d.status);
        assert_eq!(status(id1), Some(DeliveryStatus::Delivered));
        assert_eq!(status(id2), Some(DeliveryStatus::Pending));
        assert_eq!(status(id3), Some(DeliveryStatus::Failed));
        assert_eq!(all[0].id, id3, "{name}: newest first");
        assert_eq!(all[0].payload, json!({"device_id": "d3"}));
        assert!(matches!(
            store.webhook_attempted(id3 + 100, true, None, None).await,
            Err(StoreError::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn bad_urls_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let blobs = dir.path().join("b");
    for url in [
        "mysql://x",
        "",
        "sqlite://",
        "sqlite::memory:",
        "postgres://[bad",
    ] {
        let r = Store::open(url, blobs.to_str().unwrap()).await;
        assert!(
            matches!(r, Err(StoreError::BadUrl { .. })),
            "{url}: {:?}",
            r.err()
        );
    }
    let db = format!("sqlite://{}", dir.path().join("x.db").display());
    assert!(matches!(
        Store::open(&db, "ftp://x").await,
        Err(StoreError::BadUrl { .. })
    ));
    assert!(matches!(
        Store::open(&db, "s3://").await,
        Err(StoreError::BadUrl { .. })
    ));
}
