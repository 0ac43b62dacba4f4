//! The webhook outbox: events are written first, delivered later with retries.

use crate::db::{json_col, on_db, to_json};
use crate::{DeliveryStatus, OrgId, Result, Store, StoreError, WebhookDelivery, now_ms};

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: i64,
    org_id: i64,
    event: String,
    payload: String,
    status: String,
    attempts: i64,
    next_attempt_at: i64,
    last_error: Option<String>,
}

impl TryFrom<DeliveryRow> for WebhookDelivery {
    type Error = StoreError;
    fn try_from(r: DeliveryRow) -> Result<WebhookDelivery> {
        Ok(WebhookDelivery {
            payload: json_col(&r.payload, "webhook payload")?,
            status: r.status.parse()?,
            id: r.id,
            org_id: r.org_id,
            event: r.event,
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at,
            last_error: r.last_error,
        })
    }
}

/// Columns of [`DeliveryRow`].
macro_rules! delivery_cols {
    () => {
        "id, org_id, event, payload, status, attempts, next_attempt_at, last_error"
    };
}

/// Largest page of deliveries returned at once.
const MAX_LIMIT: i64 = 10_000;

impl Store {
    /// Queues an event for the organization's webhook (due now); returns the delivery id.
    pub async fn queue_webhook(
        &self,
        org: OrgId,
        event: &str,
        payload: &serde_json::Value,
    ) -> Result<i64> {
        let sql = "INSERT INTO webhook_deliveries (org_id, event, payload, status, attempts, next_attempt_at, created_at) \
                   VALUES ($1, $2, $3, $4, 0, $5, $5) RETURNING id";
        let payload = to_json(payload)?;
        Ok(on_db!(&self.db, p => sqlx::query_scalar(sql)
            .bind(org).bind(event).bind(&payload).bind(DeliveryStatus::Pending.as_str()).bind(now_ms())
            .fetch_one(p).await?))
    }

    /// Pending deliveries due at `now_ms`, oldest first, at most `limit` (all organizations).
    pub async fn due_webhooks(&self, now_ms: i64, limit: i64) -> Result<Vec<WebhookDelivery>> {
        let sql = concat!(
            "SELECT ",
            delivery_cols!(),
            " FROM webhook_deliveries WHERE status = $1 AND next_attempt_at <= $2 \
                   ORDER BY next_attempt_at, id LIMIT $3"
        );
        let rows: Vec<DeliveryRow> = on_db!(&self.db, p => sqlx::query_as(sql)
            .bind(DeliveryStatus::Pending.as_str()).bind(now_ms).bind(limit.clamp(0, MAX_LIMIT))
            .fetch_all(p).await?);
        rows.into_iter().map(WebhookDelivery::try_from).collect()
    }

    /// Records one delivery attempt.
    /// ok → delivered; error with Some(next) → pending again at `next`; error with None → failed for good.
    pub async fn webhook_attempted(
        &self,
        id: i64,
        ok: bool,
        error: Option<&str>,
        next_attempt_at: Option<i64>,
    ) -> Result<()> {
        let (status, next) = match (ok, next_attempt_at) {
            (true, _) => (DeliveryStatus::Delivered, None),
            (false, Some(next)) => (DeliveryStatus::Pending, Some(next)),
            (false, None) => (DeliveryStatus::Failed, None),
        };
        let error = if ok {
            None
        } else {
            Some(error.unwrap_or("delivery failed"))
        };
        let sql = "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, last_error = $2, \
                   next_attempt_at = COALESCE($3, next_attempt_at) WHERE id = $4";
        let n = on_db!(&self.db, p => sqlx::query(sql)
            .bind(status.as_str()).bind(error).bind(next).bind(id).execute(p).await?.rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound(format!("webhook delivery {id}")));
        }
        Ok(())
    }

    /// The organization's latest deliveries, newest first, at most `limit`.
    pub async fn webhook_deliveries(&self, org: OrgId, limit: i64) -> Result<Vec<WebhookDelivery>> {
        let sql = concat!(
            "SELECT ",
            delivery_cols!(),
            " FROM webhook_deliveries WHERE org_id = $1 ORDER BY id DESC LIMIT $2"
        );
        let rows: Vec<DeliveryRow> = on_db!(&self.db, p => sqlx::query_as(sql)
            .bind(org).bind(limit.clamp(0, MAX_LIMIT)).fetch_all(p).await?);
        rows.into_iter().map(WebhookDelivery::try_from).collect()
    }
}
