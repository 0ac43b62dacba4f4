//! Devices: one row per (organization, device) holding the last inventory as JSON plus its hash.
//! This is the hot path of the server.

use crate::db::{BeginWrite, json_col, on_db, sha256_hex, to_json};
use crate::{DeviceRecord, InventoryItem, OrgId, Result, Store, StoreError, now_ms};

#[derive(sqlx::FromRow)]
struct DeviceRow {
    org_id: i64,
    device_id: String,
    compliance: String,
    last_seen: i64,
    inventory: String,
    answer: String,
}

impl TryFrom<DeviceRow> for DeviceRecord {
    type Error = StoreError;
    fn try_from(r: DeviceRow) -> Result<DeviceRecord> {
        let inventory = serde_json::from_str(&r.inventory)
            .map_err(|e| StoreError::Corrupt(format!("device {} inventory: {e}", r.device_id)))?;
        Ok(DeviceRecord {
            answer: json_col(&r.answer, "device answer")?,
            inventory,
            org_id: r.org_id,
            device_id: r.device_id,
            compliance: r.compliance,
            last_seen: r.last_seen,
        })
    }
}

/// Columns of [`DeviceRow`].
macro_rules! device_cols {
    () => {
        "org_id, device_id, compliance, last_seen, inventory, answer"
    };
}

impl Store {
    /// Stores a device's inventory, compliance and answer; returns the previous compliance
    /// (`None` for a new device). When inventory and compliance are unchanged only `last_seen`
    /// is written (one statement); otherwise one short write transaction.
    pub async fn put_device(
        &self,
        org: OrgId,
        device_id: &str,
        inventory: &[InventoryItem],
        compliance: &str,
        answer: &serde_json::Value,
    ) -> Result<Option<String>> {
        if device_id.is_empty() || device_id.len() > 256 {
            return Err(StoreError::BadInput(
                "device_id must be 1 to 256 bytes".into(),
            ));
        }
        let inventory_text = to_json(inventory)?;
        let hash = sha256_hex(inventory_text.as_bytes());
        let now = now_ms();
        let touch = "UPDATE devices SET last_seen = $1 \
                     WHERE org_id = $2 AND device_id = $3 AND inventory_sha256 = $4 AND compliance = $5";
        let touched = on_db!(&self.db, p => sqlx::query(touch)
            .bind(now).bind(org).bind(device_id).bind(&hash).bind(compliance)
            .execute(p).await?.rows_affected());
        if touched > 0 {
            return Ok(Some(compliance.to_owned()));
        }
        let answer_text = to_json(answer)?;
        let previous = "SELECT compliance FROM devices WHERE org_id = $1 AND device_id = $2";
        let upsert = "INSERT INTO devices (org_id, device_id, compliance, last_seen, inventory, inventory_sha256, answer) \
                      VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, device_id) DO UPDATE SET \
                      compliance = excluded.compliance, last_seen = excluded.last_seen, inventory = excluded.inventory, \
                      inventory_sha256 = excluded.inventory_sha256, answer = excluded.answer";
        on_db!(&self.db, p => {
            let mut tx = p.begin_write().await?;
            let prev: Option<String> = sqlx::query_scalar(previous).bind(org).bind(device_id)
                .fetch_optional(&mut *tx).await?;
            sqlx::query(upsert)
                .bind(org).bind(device_id).bind(compliance).bind(now).bind(&inventory_text).bind(&hash).bind(&answer_text)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(prev)
        })
    }

    /// The organization's devices, by device id.
    pub async fn devices(&self, org: OrgId) -> Result<Vec<DeviceRecord>> {
        let sql = concat!(
            "SELECT ",
            device_cols!(),
            " FROM devices WHERE org_id = $1 ORDER BY device_id"
        );
        let rows: Vec<DeviceRow> =
            on_db!(&self.db, p => sqlx::query_as(sql).bind(org).fetch_all(p).await?);
        rows.into_iter().map(DeviceRecord::try_from).collect()
    }

    /// One device of the organization.
    pub async fn device(&self, org: OrgId, device_id: &str) -> Result<Option<DeviceRecord>> {
        let sql = concat!(
            "SELECT ",
            device_cols!(),
            " FROM devices WHERE org_id = $1 AND device_id = $2"
        );
        let row: Option<DeviceRow> = on_db!(&self.db, p => sqlx::query_as(sql).bind(org).bind(device_id).fetch_optional(p).await?);
        row.map(DeviceRecord::try_from).transpose()
    }
}
