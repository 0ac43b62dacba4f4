//! Prometheus text metrics, hand-written (a few counters and one
//! histogram); global only, never per organization.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// Upper bounds of the request duration buckets, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

/// The counters.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    duration_count: AtomicU64,
    duration_sum_us: AtomicU64,
    /// Inventory submissions answered.
    pub inventory_submissions: AtomicU64,
    /// Webhook deliveries by outcome: delivered, retry, failed.
    pub webhook_delivered: AtomicU64,
    /// Webhook deliveries that will be retried.
    pub webhook_retry: AtomicU64,
    /// Webhook deliveries given up.
    pub webhook_failed: AtomicU64,
}

impl Metrics {
    fn observe(&self, route: &str, status: u16, secs: f64) {
        if let Ok(mut r) = self.requests.lock() {
            *r.entry((route.to_string(), status)).or_default() += 1;
        }
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.duration_count.fetch_add(1, Ordering::Relaxed);
        self.duration_sum_us
            .fetch_add((secs * 1e6) as u64, Ordering::Relaxed);
    }

    /// The text exposition, with the store-derived gauges.
    pub fn render(&self, apps: &BTreeMap<String, i64>, jobs_queued: i64) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# TYPE leakscope_http_requests_total counter");
        if let Ok(r) = self.requests.lock() {
            for ((route, status), n) in r.iter() {
                let _ = writeln!(
                    s,
                    "leakscope_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        let _ = writeln!(
            s,
            "# TYPE leakscope_http_request_duration_seconds histogram"
        );
        for (i, b) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                s,
                "leakscope_http_request_duration_seconds_bucket{{le=\"{b}\"}} {}",
                self.buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.duration_count.load(Ordering::Relaxed);
        let _ = writeln!(
            s,
            "leakscope_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            s,
            "leakscope_http_request_duration_seconds_sum {}",
            self.duration_sum_us.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(s, "leakscope_http_request_duration_seconds_count {count}");
        let _ = writeln!(s, "# TYPE leakscope_apps_total gauge");
        for status in ["queued", "analysing", "done", "failed"] {
            let n = apps.get(status).copied().unwrap_or(0);
            let _ = writeln!(s, "leakscope_apps_total{{status=\"{status}\"}} {n}");
        }
        let _ = writeln!(s, "# TYPE leakscope_jobs_queued gauge");
        let _ = writeln!(s, "leakscope_jobs_queued {jobs_queued}");
        let _ = writeln!(s, "# TYPE leakscope_inventory_submissions_total counter");
        let _ = writeln!(
            s,
            "leakscope_inventory_submissions_total {}",
            self.inventory_submissions.load(Ordering::Relaxed)
        );
        let _ = writeln!(s, "# TYPE leakscope_webhook_deliveries_total counter");
        for (status, n) in [
            ("delivered", &self.webhook_delivered),
            ("retry", &self.webhook_retry),
            ("failed", &self.webhook_failed),
        ] {
            let _ = writeln!(
                s,
                "leakscope_webhook_deliveries_total{{status=\"{status}\"}} {}",
                n.load(Ordering::Relaxed)
            );
        }
        s
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Middleware: counts each request by matched route and status.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |m| m.as_str())
        .to_string();
    let start = Instant::now();
    let response = next.run(req).await;
    state.metrics.observe(
        &route,
        response.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histogram() {
        let m = Metrics::default();
        m.observe("/api/v1/health", 200, 0.003);
        let text = m.render(&BTreeMap::from([("done".to_string(), 2)]), 1);
        assert!(
            text.contains(
                "leakscope_http_requests_total{route=\"/api/v1/health\",status=\"200\"} 1"
            )
        );
        assert!(text.contains("leakscope_http_request_duration_seconds_bucket{le=\"0.0025\"} 0"));
        assert!(text.contains("leakscope_http_request_duration_seconds_bucket{le=\"0.005\"} 1"));
        assert!(text.contains("leakscope_apps_total{status=\"done\"} 2"));
        assert!(text.contains("leakscope_jobs_queued 1"));
    }
}
