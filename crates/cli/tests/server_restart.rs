//! Restart of `leakscope serve` after `kill -9` during an analysis: the
//! job is retried and the app analysed exactly once, and the first start's
//! admin token is printed once only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `leakscope serve`; returns the child and, on a first start, the
/// admin token it prints.
fn start(bin: &str, port: u16, db: &str, blobs: &str) -> (Child, Option<String>) {
    let mut child = Command::new(bin)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--db",
            db,
            "--blobs",
            blobs,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start LEAKSCOPE_BIN");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(t) = line.trim().strip_prefix("lsk_") {
                let _ = tx.send(format!("lsk_{t}"));
            }
        }
    });
    let token = rx.recv_timeout(Duration::from_secs(30)).ok();
    (child, token)
}

fn get(client: &reqwest::blocking::Client, url: &str, token: &str) -> Option<Value> {
    client.get(url).bearer_auth(token).send().ok()?.json().ok()
}

#[test]
fn restart_after_kill_9_retries_the_job_once() {
    let bin = env!("CARGO_BIN_EXE_leakscope");
    #[allow(deprecated)]
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("k.db").display());
    let blobs = dir.path().join("blobs").display().to_string();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let (mut child, token) = start(bin, port, &db, &blobs);
    let token = token.expect("first start prints the admin token");
    let client = reqwest::blocking::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while client.get(format!("{base}/api/v1/health")).send().is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    // An app whose analysis takes long enough to be interrupted: the
    // smallest registry APK (seconds), else the demo (well under a second).
    let app = common::registry_apks()
        .into_iter()
        .min_by_key(|p| std::fs::metadata(p).map_or(u64::MAX, |m| m.len()))
        .unwrap_or_else(|| common::repo_root().join("demo/flashlight.apk"));
    let apk = std::fs::read(&app).unwrap();
    let up: Value = client
        .post(format!("{base}/api/v1/apps"))
        .bearer_auth(&token)
        .header("content-type", "application/vnd.android.package-archive")
        .body(apk.clone())
        .send()
        .unwrap()
        .json()
        .unwrap();
    let sha = up["sha256"].as_str().unwrap().to_string();
    let url = format!("{base}/api/v1/apps/{sha}");
    // Kill as soon as the analysis is seen running.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = String::new();
    while Instant::now() < deadline {
        seen = get(&client, &url, &token)
            .map(|v| v["status"].to_string())
            .unwrap_or_default();
        if seen != "\"queued\"" {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    eprintln!("killing the server while {} is {seen}", app.display());
    if app.ends_with("demo/flashlight.apk") && seen != "\"analysing\"" {
        eprintln!("note: the demo's analysis finished before the kill; no registry APK to slow it");
    } else {
        assert_eq!(
            seen, "\"analysing\"",
            "the kill must interrupt the analysis"
        );
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let (mut child, token2) = start(bin, port, &db, &blobs);
    assert!(token2.is_none(), "a restart prints no token");
    let deadline = Instant::now() + Duration::from_secs(300);
    let app = loop {
        if let Some(v) = get(&client, &url, &token)
            && (v["status"] == "done" || v["status"] == "failed")
        {
            break v;
        }
        assert!(Instant::now() < deadline, "the job was not retried");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(app["status"], "done", "{app}");
    assert!(app["report"].is_object());
    // Uploading again does not analyse again.
    let again: Value = client
        .post(format!("{base}/api/v1/apps"))
        .bearer_auth(&token)
        .header("content-type", "application/octet-stream")
        .body(apk)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["status"], "done");
    let metrics = client
        .get(format!("{base}/metrics"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(
        metrics.contains("leakscope_apps_total{status=\"done\"} 1"),
        "{metrics}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
