//! Rough inventory throughput (ignored; run with
//! `cargo test -p leakscope-server --release --test load -- --ignored --nocapture`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load measurement, minutes; run explicitly"]
async fn inventory_throughput() {
    let s = TestServer::start().await;
    let (_, up) = s.upload(&s.a.admin, flashlight()).await;
    let sha = up["sha256"].as_str().unwrap().to_string();
    s.wait_analysed(&s.a.admin, &sha).await;
    let apps: Vec<_> = (0..200)
        .map(|_| json!({"package": FLASHLIGHT_PACKAGE, "version_code": 3, "sha256": sha}))
        .collect();
    let body = Arc::new(serde_json::to_vec(&json!({ "apps": apps })).unwrap());
    let seconds = std::env::var("LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10u64);
    let tasks = 32;
    let end = Instant::now() + Duration::from_secs(seconds);
    let mut handles = Vec::new();
    for t in 0..tasks {
        let client = s.client.clone();
        let base = s.base.clone();
        let token = s.a.admin.clone();
        let body = body.clone();
        handles.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut i = 0u64;
            while Instant::now() < end {
                let start = Instant::now();
                let r = client
                    .post(format!(
                        "{base}/api/v1/devices/dev-{t}-{}/inventory",
                        i % 64
                    ))
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .body(body.as_ref().clone())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                let _ = r.bytes().await.unwrap();
                lat.push(start.elapsed());
                i += 1;
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    all.sort();
    let p = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)].as_secs_f64() * 1e3;
    eprintln!(
        "inventory: {} submissions of 200 apps in {seconds} s = {:.0}/s; p50 {:.1} ms, p99 {:.1} ms ({} connections, {})",
        all.len(),
        all.len() as f64 / seconds as f64,
        p(0.5),
        p(0.99),
        tasks,
        if s.db.starts_with("sqlite") {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    );
}
