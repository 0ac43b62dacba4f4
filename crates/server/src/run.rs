//! Starting things: `serve`, `worker` and `admin`, each with its own tokio
//! runtime for the CLI.

use std::future::Future;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use anyhow::Context;
use leakscope_store::{Analysed, AppStatus, Role, Store};

use crate::args::{AdminArgs, ServeArgs, WorkerArgs};
use crate::state::{AppState, Settings};
use crate::{analysis, evaluate, summary};

/// Everything `serve` needs (from [`ServeArgs`], or built by tests).
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// Listen address.
    pub listen: SocketAddr,
    /// Database URL.
    pub db: String,
    /// Blob store URL or directory.
    pub blobs: String,
    /// In-process analysis workers (0 = none).
    pub workers: usize,
    /// Largest upload, in bytes.
    pub max_upload: usize,
    /// Taint budget per app.
    pub budget: leakscope_taint::Budget,
    /// Timeout of one webhook delivery.
    pub webhook_timeout: Duration,
}

impl From<ServeArgs> for ServeConfig {
    fn from(a: ServeArgs) -> ServeConfig {
        ServeConfig {
            listen: a.listen,
            db: a.storage.db,
            blobs: a.storage.blobs,
            workers: a.workers,
            max_upload: usize::try_from(a.max_upload_mb.saturating_mul(1024 * 1024))
                .unwrap_or(usize::MAX),
            budget: a.taint_budget.budget(),
            webhook_timeout: Duration::from_secs(a.webhook_timeout.max(1)),
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    install_crypto();
}

/// Installs rustls' ring provider (the workspace's pick; webhooks over
/// https need one).
#[allow(deprecated)] // ring lacks post-quantum key exchange; fine for webhooks
fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// `leakscope serve`.
pub fn run_serve(args: ServeArgs) -> anyhow::Result<()> {
    init_logging();
    runtime()?.block_on(serve(args.into()))
}

/// `leakscope worker`.
pub fn run_worker(args: WorkerArgs) -> anyhow::Result<()> {
    init_logging();
    runtime()?.block_on(async move {
        let store = open(&args.storage.db, &args.storage.blobs).await?;
        let state = AppState::new(store, settings_for_worker(args.taint_budget.budget()))?;
        state.index.load(&state.store).await?;
        tracing::info!("worker started, {} at once", args.concurrency.max(1));
        run_workers(state, args.concurrency.max(1), "worker", ctrl_c()).await
    })
}

/// `leakscope admin …`.
pub fn run_admin(args: AdminArgs) -> anyhow::Result<()> {
    runtime()?.block_on(crate::admin::run(args))
}

fn settings_for_worker(budget: leakscope_taint::Budget) -> Settings {
    Settings {
        max_upload: 0,
        budget,
        webhook_timeout: Duration::from_secs(10),
    }
}

async fn open(db: &str, blobs: &str) -> anyhow::Result<Store> {
    Store::open(db, blobs)
        .await
        .with_context(|| format!("cannot open the database {db} (blobs: {blobs})"))
}

async fn ctrl_c() {
    let _ = tokio::signal::ctrl_c().await;
}

/// `leakscope serve`: binds `config.listen` and serves until Ctrl-C.
pub async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    serve_on(config, listener, ctrl_c()).await
}

/// Serves on an already bound listener until `shutdown` resolves (tests
/// bind port 0).
pub async fn serve_on(
    config: ServeConfig,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    install_crypto();
    let store = open(&config.db, &config.blobs).await?;
    first_start(&store).await?;
    let state = AppState::new(
        store,
        Settings {
            max_upload: config.max_upload,
            budget: config.budget,
            webhook_timeout: config.webhook_timeout,
        },
    )?;
    let indexed = state.index.load(&state.store).await?;
    tracing::info!("{indexed} analysed apps indexed");

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let wait = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    let workers = (config.workers > 0).then(|| {
        let state = state.clone();
        let stop = wait(stop_rx.clone());
        // The store's worker future is not `Send`, so it runs on a blocking
        // thread that drives it on this runtime.
        let handle = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = handle.block_on(run_workers(state, config.workers, "serve", stop)) {
                tracing::error!("analysis workers stopped: {e:#}");
            }
        })
    });
    let client = reqwest::Client::builder()
        .timeout(config.webhook_timeout)
        .build()
        .context("cannot build the webhook HTTP client")?;
    let hooks = tokio::spawn(crate::webhooks::run(state.clone(), client));

    let addr = listener.local_addr()?;
    tracing::info!("listening on http://{addr}");
    let app = crate::routes::router(state);
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    let _ = stop_tx.send(true);
    hooks.abort();
    if let Some(w) = workers {
        let _ = tokio::time::timeout(Duration::from_secs(10), w).await;
    }
    result.context("HTTP server")
}

/// On an empty database: creates organization `default` and prints its
/// admin token once.
async fn first_start(store: &Store) -> anyhow::Result<()> {
    if !store.orgs().await?.is_empty() {
        return Ok(());
    }
    let org = store.create_org("default").await?;
    let (_, secret) = store
        .create_token(org.id, Role::Admin, None, "initial admin")
        .await?;
    eprintln!(
        "\n==================== leakscope: first start ====================\n\
         Created organization `default`. Its admin token (shown only now):\n\n    {secret}\n\n\
         Use it as `Authorization: Bearer <token>`; create more with\n\
         `leakscope admin token create --org default --role …`.\n\
         ===============================================================\n"
    );
    Ok(())
}

/// Runs analysis jobs until `shutdown`.
async fn run_workers(
    state: AppState,
    concurrency: usize,
    kind: &str,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let name = format!(
        "{kind}-{}-{}",
        std::process::id(),
        leakscope_store::now_ms()
    );
    let store = state.store.clone();
    let handler = move |sha: String| {
        let state = state.clone();
        async move { analyse_job(&state, &sha).await }
    };
    store
        .run_analysis_worker(&name, concurrency, handler, shutdown)
        .await?;
    Ok(())
}

/// One analysis job, called by the store's worker (which skips finished apps
/// and marks the app `analysing`). Idempotent: an app already `done` is left
/// alone.
/// Errors (store failures) are retried by the queue; an app that cannot be
/// read, or whose analysis panics, is marked failed.
pub async fn analyse_job(state: &AppState, sha256: &str) -> Result<(), String> {
    let store = &state.store;
    let err = |e: leakscope_store::StoreError| e.to_string();
    let Some(app) = store.app(sha256).await.map_err(err)? else {
        tracing::warn!("job for unknown app {sha256}: skipped");
        return Ok(());
    };
    if app.status == AppStatus::Done {
        return Ok(());
    }
    // The store's worker has counted the attempt (`mark_analysing`).
    let Some(blob) = store.app_blob(sha256).await.map_err(err)? else {
        store
            .fail_app(sha256, "the uploaded file is missing from the blob store")
            .await
            .map_err(err)?;
        return Ok(());
    };
    let name = app.filename.clone().unwrap_or_else(|| sha256.to_string());
    let budget = state.settings.budget;
    tracing::info!("analysing {sha256} ({name}, {} bytes)", blob.len());
    let outcome = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(AssertUnwindSafe(|| {
            analysis::analyse_bytes(&blob, &name, budget)
        }))
    })
    .await;
    let report = match outcome {
        Ok(Ok(Ok(report))) => report,
        Ok(Ok(Err(reason))) => {
            tracing::info!("{sha256}: cannot analyse: {reason}");
            return store.fail_app(sha256, &reason).await.map_err(err);
        }
        Ok(Err(panic)) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!("{sha256}: the analysis panicked: {what}");
            return store
                .fail_app(
                    sha256,
                    &format!("internal error: the analysis panicked ({what})"),
                )
                .await
                .map_err(err);
        }
        Err(join) => return Err(format!("analysis task: {join}")),
    };
    let analysed = Analysed {
        package: report.app.package.clone(),
        version_code: report.app.version_code,
        signers: summary::signers(&report),
        summary: summary::summarize(&report),
        report: serde_json::to_value(&report).map_err(|e| e.to_string())?,
    };
    store.finish_app(sha256, &analysed).await.map_err(err)?;
    let record = store
        .app(sha256)
        .await
        .map_err(err)?
        .ok_or_else(|| format!("app {sha256} vanished"))?;
    evaluate::app_analysed(state, &record).await
}
