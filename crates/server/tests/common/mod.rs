//! A real server on an ephemeral port over a fresh database (SQLite, or a
//! fresh PostgreSQL database when `LEAKSCOPE_TEST_PG` is set), with two
//! organizations and tokens of every role.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use leakscope_server::ServeConfig;
use leakscope_store::{Role, Store};
use serde_json::Value;

/// Tokens of one organization.
pub struct OrgTokens {
    pub id: i64,
    pub admin: String,
    pub analyst: String,
    /// Bound to device `dev-1`.
    pub device: String,
}

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub a: OrgTokens,
    pub b: OrgTokens,
    pub db: String,
    _dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The database URL for a new test: a fresh PostgreSQL database when
/// `LEAKSCOPE_TEST_PG` is set, else a SQLite file in `dir`.
pub fn fresh_db(dir: &std::path::Path) -> String {
    match std::env::var("LEAKSCOPE_TEST_PG") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!(
                "leakscope_srv_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            );
            let ok = std::process::Command::new("psql")
                .arg(&admin)
                .args(["-qc", &format!("DROP DATABASE IF EXISTS {name}")])
                .args(["-c", &format!("CREATE DATABASE {name}")])
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            assert!(ok, "cannot create database {name} through {admin}");
            let (base, _) = admin
                .rsplit_once('/')
                .expect("postgres URL with a database");
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}", dir.join("leakscope.db").display()),
    }
}

async fn org(store: &Store, name: &str) -> OrgTokens {
    let o = store.create_org(name).await.unwrap();
    let tok = |role, dev: Option<&'static str>, label: &'static str| {
        let store = store.clone();
        async move { store.create_token(o.id, role, dev, label).await.unwrap().1 }
    };
    OrgTokens {
        id: o.id,
        admin: tok(Role::Admin, None, "admin").await,
        analyst: tok(Role::Analyst, None, "analyst").await,
        device: tok(Role::Device, Some("dev-1"), "device dev-1").await,
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(1, 512 * 1024 * 1024).await
    }

    pub async fn start_with(workers: usize, max_upload: usize) -> TestServer {
        install_crypto();
        let dir = tempfile::tempdir().unwrap();
        let db = fresh_db(dir.path());
        let blobs = dir.path().join("blobs").display().to_string();
        let store = Store::open(&db, &blobs).await.unwrap();
        let a = org(&store, "org-a").await;
        let b = org(&store, "org-b").await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let config = ServeConfig {
            listen: addr,
            db: db.clone(),
            blobs,
            workers,
            max_upload,
            budget: leakscope_taint::Budget::default(),
            webhook_timeout: Duration::from_secs(5),
        };
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let stop = async move {
                let _ = rx.await;
            };
            if let Err(e) = leakscope_server::serve_on(config, listener, stop).await {
                eprintln!("server stopped: {e:#}");
            }
        });
        let server = TestServer {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
            store,
            a,
            b,
            db,
            _dir: dir,
            stop: Some(tx),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = server.client.get(server.url("/api/v1/health")).send().await
                && r.status() == 200
            {
                break;
            }
            assert!(Instant::now() < deadline, "server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends a request; returns (status, JSON body or Null).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self.client.request(method.parse().unwrap(), self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn upload(&self, token: &str, bytes: Vec<u8>) -> (u16, Value) {
        let r = self
            .client
            .post(self.url("/api/v1/apps?filename=app.apk"))
            .bearer_auth(token)
            .header("content-type", "application/vnd.android.package-archive")
            .body(bytes)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Polls the app until it is `done` or `failed`.
    pub async fn wait_analysed(&self, token: &str, sha: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(300);
        loop {
            let (s, v) = self
                .call("GET", &format!("/api/v1/apps/{sha}"), Some(token), None)
                .await;
            assert_eq!(s, 200, "{v}");
            if v["status"] == "done" || v["status"] == "failed" {
                return v;
            }
            assert!(Instant::now() < deadline, "analysis did not finish: {v}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

pub fn flashlight() -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../demo/flashlight.apk");
    std::fs::read(p).unwrap()
}

pub const FLASHLIGHT_PACKAGE: &str = "org.leakscope.demo.flashlight";
pub const FLASHLIGHT_SIGNER: &str =
    "e68974993925c652d40b56e767bb7130fbd015df26aae18f31ab18aef3dc6ddc";

/// The test client's TLS provider (reqwest is built without one).
#[allow(deprecated)]
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    // The server's warnings and errors go to the test's output, so that a
    // failing test shows why the server answered 500.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
}
