//! Apps (global, keyed by SHA-256), their blobs, which organizations have them, and the
//! signer certificates organizations trust per package.

use std::collections::BTreeMap;

use bytes::Bytes;

use crate::db::{check_sha256, json_col, on_db, to_json};
use crate::{Analysed, AppRecord, AppStatus, OrgId, Result, Store, StoreError, now_ms};

#[derive(sqlx::FromRow)]
struct AppRow {
    sha256: String,
    size: i64,
    filename: Option<String>,
    status: String,
    error: Option<String>,
    package: Option<String>,
    version_code: Option<i64>,
    signers: String,
    summary: Option<String>,
    report: Option<String>,
    uploaded_at: i64,
    analysed_at: Option<i64>,
    attempts: i64,
}

impl TryFrom<AppRow> for AppRecord {
    type Error = StoreError;
    fn try_from(r: AppRow) -> Result<AppRecord> {
        let signers = serde_json::from_str(&r.signers)
            .map_err(|e| StoreError::Corrupt(format!("app {} signers: {e}", r.sha256)))?;
        Ok(AppRecord {
            status: r.status.parse()?,
            signers,
            summary: r
                .summary
                .as_deref()
                .map(|s| json_col(s, "app summary"))
                .transpose()?,
            report: r
                .report
                .as_deref()
                .map(|s| json_col(s, "app report"))
                .transpose()?,
            sha256: r.sha256,
            size: r.size,
            filename: r.filename,
            error: r.error,
            package: r.package,
            version_code: r.version_code,
            uploaded_at: r.uploaded_at,
            analysed_at: r.analysed_at,
            attempts: r.attempts,
        })
    }
}

/// Columns of [`AppRow`] from table alias `a`, the report left out (NULL).
macro_rules! app_cols {
    () => {
        "a.sha256, a.size, a.filename, a.status, a.error, a.package, a.version_code, a.signers, \
         a.summary, CAST(NULL AS TEXT) AS report, a.uploaded_at, a.analysed_at, a.attempts"
    };
}

fn records(rows: Vec<AppRow>) -> Result<Vec<AppRecord>> {
    rows.into_iter().map(AppRecord::try_from).collect()
}

impl Store {
    /// Stores the blob (first) and the row (status queued) and enqueues one analysis job.
    /// Returns false (and enqueues nothing) when the app already exists; if it existed as `failed`
    /// nothing changes either (use `requeue_app`).
    ///
    /// `sha256` must be the lowercase hex SHA-256 of `bytes`; the caller computed it (the store
    /// does not hash again).
    pub async fn put_app(
        &self,
        sha256: &str,
        bytes: Bytes,
        filename: Option<&str>,
    ) -> Result<bool> {
        check_sha256(sha256)?;
        if self.app_status(sha256).await?.is_some() {
            return Ok(false);
        }
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        self.blobs.put(sha256, bytes).await?;
        let sql = "INSERT INTO apps (sha256, size, filename, status, uploaded_at) VALUES ($1, $2, $3, $4, $5) \
                   ON CONFLICT (sha256) DO NOTHING";
        let inserted = on_db!(&self.db, p => sqlx::query(sql)
            .bind(sha256).bind(size).bind(filename).bind(AppStatus::Queued.as_str()).bind(now_ms())
            .execute(p).await?.rows_affected());
        if inserted == 0 {
            return Ok(false); // a concurrent upload of the same bytes won
        }
        self.queue.push(sha256, sha256).await?;
        Ok(true)
    }

    /// Puts a `failed` app back in the queue (attempts reset); `false` if it is not failed.
    pub async fn requeue_app(&self, sha256: &str) -> Result<bool> {
        check_sha256(sha256)?;
        let sql = "UPDATE apps SET status = $1, error = NULL, attempts = 0 WHERE sha256 = $2 AND status = $3";
        let n = on_db!(&self.db, p => sqlx::query(sql)
            .bind(AppStatus::Queued.as_str()).bind(sha256).bind(AppStatus::Failed.as_str())
            .execute(p).await?.rows_affected());
        if n == 0 {
            return Ok(false);
        }
        // A new idempotency key: the first job of this app keeps the plain SHA-256.
        self.queue
            .push(sha256, &format!("{sha256}#{}", now_ms()))
            .await?;
        Ok(true)
    }

    /// One app, with its report.
    pub async fn app(&self, sha256: &str) -> Result<Option<AppRecord>> {
        let sql = "SELECT sha256, size, filename, status, error, package, version_code, signers, summary, \
                   report, uploaded_at, analysed_at, attempts FROM apps WHERE sha256 = $1";
        let row: Option<AppRow> =
            on_db!(&self.db, p => sqlx::query_as(sql).bind(sha256).fetch_optional(p).await?);
        row.map(AppRecord::try_from).transpose()
    }

    /// Status and attempts of an app (the worker's cheap check).
    pub(crate) async fn app_status(&self, sha256: &str) -> Result<Option<(AppStatus, i64)>> {
        let sql = "SELECT status, attempts FROM apps WHERE sha256 = $1";
        let row: Option<(String, i64)> =
            on_db!(&self.db, p => sqlx::query_as(sql).bind(sha256).fetch_optional(p).await?);
        row.map(|(s, a)| Ok((s.parse()?, a))).transpose()
    }

    /// The app's bytes; `None` if the server has no blob for it.
    pub async fn app_blob(&self, sha256: &str) -> Result<Option<Bytes>> {
        if check_sha256(sha256).is_err() {
            return Ok(None);
        }
        self.blobs.get(sha256).await
    }

    /// Marks the app `analysing` and counts one more attempt.
    pub async fn mark_analysing(&self, sha256: &str) -> Result<()> {
        let sql = "UPDATE apps SET status = $1, attempts = attempts + 1 WHERE sha256 = $2";
        let n = on_db!(&self.db, p => sqlx::query(sql)
            .bind(AppStatus::Analysing.as_str()).bind(sha256).execute(p).await?.rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound(format!("app {sha256}")));
        }
        Ok(())
    }

    /// Stores a successful analysis: status `done`, summary, report, package, signers.
    pub async fn finish_app(&self, sha256: &str, analysed: &Analysed) -> Result<()> {
        let sql = "UPDATE apps SET status = $1, error = NULL, package = $2, version_code = $3, signers = $4, \
                   summary = $5, report = $6, analysed_at = $7 WHERE sha256 = $8";
        let signers = to_json(&analysed.signers)?;
        let summary = to_json(&analysed.summary)?;
        let report = to_json(&analysed.report)?;
        let n = on_db!(&self.db, p => sqlx::query(sql)
            .bind(AppStatus::Done.as_str()).bind(analysed.package.as_deref()).bind(analysed.version_code)
            .bind(&signers).bind(&summary).bind(&report).bind(now_ms()).bind(sha256)
            .execute(p).await?.rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound(format!("app {sha256}")));
        }
        Ok(())
    }

    /// Marks the app `failed` with a message.
    pub async fn fail_app(&self, sha256: &str, error: &str) -> Result<()> {
        self.set_app_state(sha256, AppStatus::Failed, Some(error))
            .await
    }

    /// Sets status and error of an app.
    pub(crate) async fn set_app_state(
        &self,
        sha256: &str,
        status: AppStatus,
        error: Option<&str>,
    ) -> Result<()> {
        let sql = "UPDATE apps SET status = $1, error = $2 WHERE sha256 = $3";
        let n = on_db!(&self.db, p => sqlx::query(sql)
            .bind(status.as_str()).bind(error).bind(sha256).execute(p).await?.rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound(format!("app {sha256}")));
        }
        Ok(())
    }

    /// Rows without `report` (summary only), for lookups by package / version; newest version first.
    pub async fn apps_by_package(&self, package: &str) -> Result<Vec<AppRecord>> {
        let sql = concat!(
            "SELECT ",
            app_cols!(),
            " FROM apps a WHERE a.package = $1 ORDER BY a.version_code DESC, a.sha256"
        );
        let rows: Vec<AppRow> =
            on_db!(&self.db, p => sqlx::query_as(sql).bind(package).fetch_all(p).await?);
        records(rows)
    }

    /// Every done app (without report), for the server's in-memory index.
    pub async fn app_index(&self) -> Result<Vec<AppRecord>> {
        let sql = concat!(
            "SELECT ",
            app_cols!(),
            " FROM apps a WHERE a.status = $1 ORDER BY a.sha256"
        );
        let rows: Vec<AppRow> = on_db!(&self.db, p => sqlx::query_as(sql).bind(AppStatus::Done.as_str()).fetch_all(p).await?);
        records(rows)
    }

    /// Number of apps per status; every status is present (0 when none).
    pub async fn app_counts(&self) -> Result<BTreeMap<String, i64>> {
        let sql = "SELECT status, COUNT(*) FROM apps GROUP BY status";
        let rows: Vec<(String, i64)> =
            on_db!(&self.db, p => sqlx::query_as(sql).fetch_all(p).await?);
        let mut counts: BTreeMap<String, i64> = [
            AppStatus::Queued,
            AppStatus::Analysing,
            AppStatus::Done,
            AppStatus::Failed,
        ]
        .iter()
        .map(|s| (s.as_str().to_owned(), 0))
        .collect();
        counts.extend(rows);
        Ok(counts)
    }

    /// Records that the organization has this app (uploaded, or seen in an inventory). Idempotent.
    pub async fn link_app(&self, org: OrgId, sha256: &str) -> Result<()> {
        check_sha256(sha256)?;
        let sql = "INSERT INTO org_apps (org_id, sha256, linked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
        on_db!(&self.db, p => {
            sqlx::query(sql).bind(org).bind(sha256).bind(now_ms()).execute(p).await?;
        });
        Ok(())
    }

    /// The organization's apps that the server knows (without report), newest link first.
    pub async fn org_apps(&self, org: OrgId) -> Result<Vec<AppRecord>> {
        let sql = concat!(
            "SELECT ",
            app_cols!(),
            " FROM apps a JOIN org_apps o ON o.sha256 = a.sha256 \
                   WHERE o.org_id = $1 ORDER BY o.linked_at DESC, a.sha256"
        );
        let rows: Vec<AppRow> =
            on_db!(&self.db, p => sqlx::query_as(sql).bind(org).fetch_all(p).await?);
        records(rows)
    }

    /// Whether the organization has this app.
    pub async fn org_has_app(&self, org: OrgId, sha256: &str) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM org_apps WHERE org_id = $1 AND sha256 = $2";
        let n: i64 = on_db!(&self.db, p => sqlx::query_scalar(sql).bind(org).bind(sha256).fetch_one(p).await?);
        Ok(n > 0)
    }

    /// The organizations that have this app (for re-evaluating their verdicts).
    pub async fn orgs_with_app(&self, sha256: &str) -> Result<Vec<OrgId>> {
        let sql = "SELECT org_id FROM org_apps WHERE sha256 = $1 ORDER BY org_id";
        Ok(on_db!(&self.db, p => sqlx::query_scalar(sql).bind(sha256).fetch_all(p).await?))
    }

    /// Signer certificates (SHA-256) the organization trusts for a package.
    pub async fn trusted_signers(&self, org: OrgId, package: &str) -> Result<Vec<String>> {
        let sql =
            "SELECT signer FROM trusted_signers WHERE org_id = $1 AND package = $2 ORDER BY signer";
        Ok(
            on_db!(&self.db, p => sqlx::query_scalar(sql).bind(org).bind(package).fetch_all(p).await?),
        )
    }

    /// Trusts a signer for a package (`source` says why, e.g. `fleet`). Idempotent.
    pub async fn trust_signer(
        &self,
        org: OrgId,
        package: &str,
        signer: &str,
        source: &str,
    ) -> Result<()> {
        let sql = "INSERT INTO trusted_signers (org_id, package, signer, source, created_at) \
                   VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
        on_db!(&self.db, p => {
            sqlx::query(sql).bind(org).bind(package).bind(signer).bind(source).bind(now_ms()).execute(p).await?;
        });
        Ok(())
    }
}
