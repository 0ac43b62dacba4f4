//! Policies (versioned per organization) and verdicts (one per organization and app).

use crate::db::{is_unique_violation, json_col, on_db, to_json};
use crate::{OrgId, PolicyRecord, Result, Store, StoreError, VerdictRecord, now_ms};

#[derive(sqlx::FromRow)]
struct PolicyRow {
    org_id: i64,
    version: i64,
    pack: Option<String>,
    rego: Option<String>,
    data: String,
    created_at: i64,
    created_by: String,
}

impl TryFrom<PolicyRow> for PolicyRecord {
    type Error = StoreError;
    fn try_from(r: PolicyRow) -> Result<PolicyRecord> {
        Ok(PolicyRecord {
            data: json_col(&r.data, "policy data")?,
            org_id: r.org_id,
            version: r.version,
            pack: r.pack,
            rego: r.rego,
            created_at: r.created_at,
            created_by: r.created_by,
        })
    }
}

#[derive(sqlx::FromRow)]
struct VerdictRow {
    org_id: i64,
    sha256: String,
    policy_version: i64,
    decision: String,
    detail: String,
    counterfeit: bool,
    evaluated_at: i64,
}

impl TryFrom<VerdictRow> for VerdictRecord {
    type Error = StoreError;
    fn try_from(r: VerdictRow) -> Result<VerdictRecord> {
        Ok(VerdictRecord {
            detail: json_col(&r.detail, "verdict detail")?,
            org_id: r.org_id,
            sha256: r.sha256,
            policy_version: r.policy_version,
            decision: r.decision,
            counterfeit: r.counterfeit,
            evaluated_at: r.evaluated_at,
        })
    }
}

/// Columns of [`PolicyRow`].
macro_rules! policy_cols {
    () => {
        "org_id, version, pack, rego, data, created_at, created_by"
    };
}

/// Columns of [`VerdictRow`].
macro_rules! verdict_cols {
    () => {
        "org_id, sha256, policy_version, decision, detail, counterfeit, evaluated_at"
    };
}

/// Tries of `put_policy` when concurrent writers race for the same version number.
const VERSION_RACE_TRIES: usize = 5;

impl Store {
    /// Stores a new policy version (1 for the first) and returns it.
    pub async fn put_policy(
        &self,
        org: OrgId,
        pack: Option<&str>,
        rego: Option<&str>,
        data: &serde_json::Value,
        created_by: &str,
    ) -> Result<PolicyRecord> {
        let data_text = to_json(data)?;
        let sql = "INSERT INTO policies (org_id, version, pack, rego, data, created_at, created_by) \
                   SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6 FROM policies WHERE org_id = $1 \
                   RETURNING version";
        for _ in 0..VERSION_RACE_TRIES {
            let now = now_ms();
            let version: std::result::Result<i64, sqlx::Error> = on_db!(&self.db, p => sqlx::query_scalar(sql)
                .bind(org).bind(pack).bind(rego).bind(&data_text).bind(now).bind(created_by)
                .fetch_one(p).await);
            match version {
                Ok(version) => {
                    return Ok(PolicyRecord {
                        org_id: org,
                        version,
                        pack: pack.map(str::to_owned),
                        rego: rego.map(str::to_owned),
                        data: data.clone(),
                        created_at: now,
                        created_by: created_by.to_owned(),
                    });
                }
                Err(e) if is_unique_violation(&e) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::Conflict(format!(
            "organization {org}: policy changed concurrently, try again"
        )))
    }

    /// The latest policy of the organization.
    pub async fn policy(&self, org: OrgId) -> Result<Option<PolicyRecord>> {
        let sql = concat!(
            "SELECT ",
            policy_cols!(),
            " FROM policies WHERE org_id = $1 ORDER BY version DESC LIMIT 1"
        );
        let row: Option<PolicyRow> =
            on_db!(&self.db, p => sqlx::query_as(sql).bind(org).fetch_optional(p).await?);
        row.map(PolicyRecord::try_from).transpose()
    }

    /// Every policy version of the organization, oldest first.
    pub async fn policy_versions(&self, org: OrgId) -> Result<Vec<PolicyRecord>> {
        let sql = concat!(
            "SELECT ",
            policy_cols!(),
            " FROM policies WHERE org_id = $1 ORDER BY version"
        );
        let rows: Vec<PolicyRow> =
            on_db!(&self.db, p => sqlx::query_as(sql).bind(org).fetch_all(p).await?);
        rows.into_iter().map(PolicyRecord::try_from).collect()
    }

    /// Stores (or replaces) the verdict of one app in one organization.
    pub async fn put_verdict(&self, v: &VerdictRecord) -> Result<()> {
        let sql = "INSERT INTO verdicts (org_id, sha256, policy_version, decision, detail, counterfeit, evaluated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, sha256) DO UPDATE SET \
                   policy_version = excluded.policy_version, decision = excluded.decision, detail = excluded.detail, \
                   counterfeit = excluded.counterfeit, evaluated_at = excluded.evaluated_at";
        let detail = to_json(&v.detail)?;
        on_db!(&self.db, p => {
            sqlx::query(sql)
            .bind(v.org_id).bind(&v.sha256).bind(v.policy_version).bind(&v.decision).bind(&detail)
            .bind(v.counterfeit).bind(v.evaluated_at).execute(p).await?;
        });
        Ok(())
    }

    /// The verdict of one app in the organization.
    pub async fn verdict(&self, org: OrgId, sha256: &str) -> Result<Option<VerdictRecord>> {
        let sql = concat!(
            "SELECT ",
            verdict_cols!(),
            " FROM verdicts WHERE org_id = $1 AND sha256 = $2"
        );
        let row: Option<VerdictRow> = on_db!(&self.db, p => sqlx::query_as(sql).bind(org).bind(sha256).fetch_optional(p).await?);
        row.map(VerdictRecord::try_from).transpose()
    }

    /// Every verdict of the organization.
    pub async fn verdicts(&self, org: OrgId) -> Result<Vec<VerdictRecord>> {
        let sql = concat!(
            "SELECT ",
            verdict_cols!(),
            " FROM verdicts WHERE org_id = $1 ORDER BY sha256"
        );
        let rows: Vec<VerdictRow> =
            on_db!(&self.db, p => sqlx::query_as(sql).bind(org).fetch_all(p).await?);
        rows.into_iter().map(VerdictRecord::try_from).collect()
    }
}
