//! `leakscope bench inventory`: load on a running fleet server.
//!
//! Many simulated devices submit their inventory (the same set of already
//! analysed apps on each, as in a managed fleet) over keep-alive connections
//! for a fixed time; the command prints the throughput and the latency
//! percentiles next to the targets (1,000 submissions/s, p99 < 50 ms).

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::cli::BenchInventoryArgs;

/// The targets the issue sets for already-analysed apps.
const TARGET_RATE: f64 = 1000.0;
const TARGET_P99_MS: f64 = 50.0;

pub fn run(args: BenchInventoryArgs) -> Result<std::process::ExitCode> {
    // The HTTP client's TLS needs a crypto provider even for plain http.
    #[allow(deprecated)] // ring, as the server: aws-lc would add a long C build
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(bench(args))
}

async fn bench(args: BenchInventoryArgs) -> Result<std::process::ExitCode> {
    let base = args.url.trim_end_matches('/').to_string();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .timeout(Duration::from_secs(30))
        .build()?;
    let auth = format!("Bearer {}", args.token);

    for path in &args.upload {
        upload(&client, &base, &auth, path).await?;
    }
    let apps = analysed_apps(&client, &base, &auth, args.wait_s).await?;
    if apps.is_empty() {
        bail!(
            "the server has no analysed app for this token's organization; upload some with --upload"
        );
    }
    let inventory: Vec<Value> = apps
        .iter()
        .cycle()
        .take(args.apps)
        .map(|(package, version_code, sha256)| {
            json!({"package": package, "version_code": version_code, "sha256": sha256})
        })
        .collect();
    let body = bytes_of(&json!({ "apps": inventory }))?;
    eprintln!(
        "bench: {} distinct analysed apps, {} per inventory ({} bytes), {} devices, {} connections, {} s",
        apps.len(),
        args.apps,
        body.len(),
        args.devices,
        args.concurrency,
        args.duration_s
    );

    // Warm-up: every device submits once, so that the timed part measures
    // the steady state of a fleet (inventories mostly unchanged).
    let warm = Instant::now();
    run_load(&client, &base, &auth, &body, &args, Duration::ZERO, true).await?;
    eprintln!(
        "bench: warm-up (first submission of every device) {:.1} s",
        warm.elapsed().as_secs_f64()
    );

    let deadline = Duration::from_secs(args.duration_s);
    let start = Instant::now();
    let outcome = run_load(&client, &base, &auth, &body, &args, deadline, false).await?;
    let elapsed = start.elapsed().as_secs_f64();
    let mut latencies = outcome.latencies;
    latencies.sort_unstable();
    let rate = latencies.len() as f64 / elapsed;
    let p = |q: f64| percentile_ms(&latencies, q);
    println!(
        "submissions={} errors={} time_s={elapsed:.1} rate_per_s={rate:.0} (target >= {TARGET_RATE:.0}, ratio {:.2}) p50_ms={:.1} p90_ms={:.1} p99_ms={:.1} (target < {TARGET_P99_MS:.0}, ratio {:.2}) max_ms={:.1} apps_per_submission={}",
        latencies.len(),
        outcome.errors,
        rate / TARGET_RATE,
        p(0.50),
        p(0.90),
        p(0.99),
        p(0.99) / TARGET_P99_MS,
        p(1.0),
        args.apps,
    );
    if let Some(e) = outcome.first_error {
        eprintln!("bench: first error: {e}");
    }
    Ok(if outcome.errors == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(1)
    })
}

struct Outcome {
    latencies: Vec<Duration>,
    errors: u64,
    first_error: Option<String>,
}

/// Runs `concurrency` loops; with `once`, each device submits exactly once,
/// otherwise the loops go round the devices until `deadline`.
async fn run_load(
    client: &reqwest::Client,
    base: &str,
    auth: &str,
    body: &bytes::Bytes,
    args: &BenchInventoryArgs,
    deadline: Duration,
    once: bool,
) -> Result<Outcome> {
    let start = Instant::now();
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..args.concurrency {
        let (client, base, auth, body, next) = (
            client.clone(),
            base.to_string(),
            auth.to_string(),
            body.clone(),
            next.clone(),
        );
        let devices = args.devices;
        tasks.spawn(async move {
            let mut out = Outcome {
                latencies: Vec::new(),
                errors: 0,
                first_error: None,
            };
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if (once && n >= devices) || (!once && start.elapsed() >= deadline) {
                    return out;
                }
                let url = format!("{base}/api/v1/devices/bench-{:06}/inventory", n % devices);
                let sent = Instant::now();
                let result = client
                    .post(&url)
                    .header("authorization", &auth)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await;
                let failure = match result {
                    Ok(r) if r.status().is_success() => match r.bytes().await {
                        Ok(_) => None,
                        Err(e) => Some(e.to_string()),
                    },
                    Ok(r) => Some(format!("HTTP {} from {url}", r.status())),
                    Err(e) => Some(e.to_string()),
                };
                match failure {
                    None => out.latencies.push(sent.elapsed()),
                    Some(e) => {
                        out.errors += 1;
                        out.first_error.get_or_insert(e);
                    }
                }
            }
        });
    }
    let mut all = Outcome {
        latencies: Vec::new(),
        errors: 0,
        first_error: None,
    };
    while let Some(done) = tasks.join_next().await {
        let part = done.context("a load task panicked")?;
        all.latencies.extend(part.latencies);
        all.errors += part.errors;
        if all.first_error.is_none() {
            all.first_error = part.first_error;
        }
    }
    Ok(all)
}

fn percentile_ms(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1e3
}

fn bytes_of(v: &Value) -> Result<bytes::Bytes> {
    Ok(bytes::Bytes::from(serde_json::to_vec(v)?))
}

/// Uploads every `.apk` under `path` (a file or a directory).
async fn upload(
    client: &reqwest::Client,
    base: &str,
    auth: &str,
    path: &std::path::Path,
) -> Result<()> {
    let files: Vec<_> = crate::analyze::expand_inputs(std::slice::from_ref(&path.to_path_buf()))?
        .into_iter()
        .filter(|f| f.is_file())
        .collect();
    eprintln!(
        "bench: uploading {} apps from {}",
        files.len(),
        path.display()
    );
    for file in files {
        let bytes = tokio::fs::read(&file)
            .await
            .with_context(|| format!("cannot read {}", file.display()))?;
        let r = client
            .post(format!("{base}/api/v1/apps"))
            .header("authorization", auth)
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await?;
        if !r.status().is_success() {
            eprintln!(
                "bench: upload of {} refused: HTTP {}",
                file.display(),
                r.status()
            );
        }
    }
    Ok(())
}

/// The organization's analysed apps as (package, version_code, sha256),
/// waiting up to `wait_s` for queued analyses to finish.
async fn analysed_apps(
    client: &reqwest::Client,
    base: &str,
    auth: &str,
    wait_s: u64,
) -> Result<Vec<(String, i64, String)>> {
    let start = Instant::now();
    let mut last_pending = usize::MAX;
    loop {
        let r = client
            .get(format!("{base}/api/v1/apps"))
            .header("authorization", auth)
            .send()
            .await
            .context("cannot reach the server")?;
        if !r.status().is_success() {
            bail!("GET /api/v1/apps: HTTP {}", r.status());
        }
        let list: Value = r.json().await?;
        let apps = list["apps"].as_array().cloned().unwrap_or_default();
        let pending = apps
            .iter()
            .filter(|a| matches!(a["status"].as_str(), Some("queued" | "analysing")))
            .count();
        if pending == 0 || start.elapsed().as_secs() >= wait_s {
            if last_pending != usize::MAX {
                eprintln!();
            }
            if pending > 0 {
                eprintln!(
                    "bench: {pending} apps still pending after {wait_s} s; going on without them"
                );
            }
            let mut done: Vec<(String, i64, String)> = apps
                .iter()
                .filter(|a| a["status"] == "done")
                .filter_map(|a| {
                    Some((
                        a["package"].as_str()?.to_string(),
                        a["version_code"].as_i64()?,
                        a["sha256"].as_str()?.to_string(),
                    ))
                })
                .collect();
            done.sort();
            done.dedup_by(|a, b| a.0 == b.0);
            return Ok(done);
        }
        if pending != last_pending {
            eprint!("\rbench: waiting for {pending} analyses…   ");
            last_pending = pending;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
