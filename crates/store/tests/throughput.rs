//! Rough put_device throughput: 16 concurrent tasks, 200-app inventories, 2,000 devices.
//! Ignored by default (it takes ~10 s per backend):
//!
//!     cargo test -p leakscope-store --test throughput -- --ignored --nocapture

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use leakscope_store::InventoryItem;
use serde_json::json;

const TASKS: usize = 16;
const DEVICES: usize = 2_000;
const APPS: usize = 200;
const RUN: Duration = Duration::from_secs(4);

fn inventory(seed: usize) -> Vec<InventoryItem> {
    (0..APPS)
        .map(|i| InventoryItem {
            package: format!("com.vendor{i}.app"),
            version_code: (i + seed) as i64,
            sha256: Some(common::sha256_hex(format!("{i}-{seed}").as_bytes())),
            signer_sha256: Some(common::sha256_hex(format!("signer{i}").as_bytes())),
        })
        .collect()
}

/// Runs TASKS writers for RUN; `changing` makes every submission a new inventory (slow path).
async fn measure(store: &leakscope_store::Store, org: i64, changing: bool) -> (f64, Duration) {
    let answer = json!({"compliance": "compliant", "apps": []});
    let start = Instant::now();
    let mut handles = Vec::new();
    for t in 0..TASKS {
        let (store, answer) = (store.clone(), answer.clone());
        handles.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut n = 0usize;
            while start.elapsed() < RUN {
                let device = format!("device-{}", (t + n * TASKS) % DEVICES);
                let inv = inventory(if changing { n } else { 0 });
                let t0 = Instant::now();
                store
                    .put_device(org, &device, &inv, "compliant", &answer)
                    .await
                    .unwrap();
                lat.push(t0.elapsed());
                n += 1;
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    let secs = start.elapsed().as_secs_f64();
    all.sort();
    let p99 = all.get(all.len() * 99 / 100).copied().unwrap_or_default();
    (all.len() as f64 / secs, p99)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark; run with --ignored --nocapture"]
async fn put_device_throughput() {
    for ts in common::stores().await {
        let org = ts.store.create_org("bench").await.unwrap().id;
        let (rate, p99) = measure(&ts.store, org, true).await;
        println!(
            "{}: changed inventories:   {rate:>8.0} put_device/s, p99 {p99:?}",
            ts.name
        );
        let (rate, p99) = measure(&ts.store, org, false).await;
        println!(
            "{}: unchanged inventories: {rate:>8.0} put_device/s, p99 {p99:?}",
            ts.name
        );
    }
}
