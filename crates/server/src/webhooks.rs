//! Webhook delivery: a background task sends due outbox entries, signed
//! with HMAC-SHA256, and retries failures with exponential backoff.

use std::sync::atomic::Ordering;
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use leakscope_store::{WebhookDelivery, now_ms};
use sha2::Sha256;

use crate::state::AppState;

/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: i64 = 10;
/// Longest wait between two attempts.
const MAX_BACKOFF_MS: i64 = 10 * 60 * 1000;
/// How often the outbox is polled.
const POLL: Duration = Duration::from_millis(500);

/// `sha256=<hex HMAC-SHA256(secret, body)>`, the `X-Leakscope-Signature`
/// header value.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The wait before attempt `attempts + 1`: 1 s, 2 s, 4 s, … capped.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exp = attempts.clamp(0, 30) as u32;
    1000i64.saturating_mul(1 << exp).min(MAX_BACKOFF_MS)
}

/// Runs until the process ends.
pub async fn run(state: AppState, client: reqwest::Client) {
    loop {
        match state.store.due_webhooks(now_ms(), 32).await {
            Ok(due) if !due.is_empty() => {
                for d in due {
                    deliver(&state, &client, d).await;
                }
                continue;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("webhook outbox: {e}"),
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn deliver(state: &AppState, client: &reqwest::Client, d: WebhookDelivery) {
    let outcome = send(state, client, &d).await;
    let attempts = d.attempts + 1;
    let result = match &outcome {
        Ok(()) => {
            state
                .metrics
                .webhook_delivered
                .fetch_add(1, Ordering::Relaxed);
            state.store.webhook_attempted(d.id, true, None, None).await
        }
        Err((e, retry)) => {
            let next =
                (*retry && attempts < MAX_ATTEMPTS).then(|| now_ms() + backoff_ms(d.attempts));
            if next.is_some() {
                state.metrics.webhook_retry.fetch_add(1, Ordering::Relaxed);
            } else {
                state.metrics.webhook_failed.fetch_add(1, Ordering::Relaxed);
            }
            tracing::info!(delivery = d.id, attempts, "webhook delivery failed: {e}");
            state
                .store
                .webhook_attempted(d.id, false, Some(e), next)
                .await
        }
    };
    if let Err(e) = result {
        tracing::warn!(delivery = d.id, "cannot record the webhook attempt: {e}");
    }
}

/// One attempt; the error says whether a retry makes sense.
async fn send(
    state: &AppState,
    client: &reqwest::Client,
    d: &WebhookDelivery,
) -> Result<(), (String, bool)> {
    let org = state
        .store
        .org(d.org_id)
        .await
        .map_err(|e| (format!("store: {e}"), true))?
        .ok_or_else(|| ("the organization no longer exists".to_string(), false))?;
    let url = org
        .webhook_url
        .ok_or_else(|| ("no webhook URL is configured".to_string(), false))?;
    let body = serde_json::to_vec(&d.payload).map_err(|e| (e.to_string(), false))?;
    let secret = org.webhook_secret.unwrap_or_default();
    let response = client
        .post(&url)
        .timeout(state.settings.webhook_timeout)
        .header("content-type", "application/json")
        .header("x-leakscope-signature", signature(secret.as_bytes(), &body))
        .header("x-leakscope-event", &d.event)
        .header("x-leakscope-delivery", d.id.to_string())
        .body(body)
        .send()
        .await
        .map_err(|e| (format!("POST {url}: {e}"), true))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err((format!("POST {url}: HTTP {}", response.status()), true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_rfc4231_case_2() {
        // RFC 4231 test case 2: key "Jefe".
        let s = signature(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            s,
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_ms(0), 1000);
        assert_eq!(backoff_ms(1), 2000);
        assert_eq!(backoff_ms(3), 8000);
        assert_eq!(backoff_ms(40), MAX_BACKOFF_MS);
    }
}
