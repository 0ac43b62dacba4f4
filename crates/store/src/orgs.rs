//! Organizations and API tokens.

use crate::db::{is_unique_violation, on_db, sha256_hex};
use crate::{Org, OrgId, Result, Role, Store, StoreError, Token, now_ms};

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: i64,
    name: String,
    created_at: i64,
    webhook_url: Option<String>,
    webhook_secret: Option<String>,
}

impl From<OrgRow> for Org {
    fn from(r: OrgRow) -> Org {
        Org {
            id: r.id,
            name: r.name,
            created_at: r.created_at,
            webhook_url: r.webhook_url,
            webhook_secret: r.webhook_secret,
        }
    }
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    org_id: i64,
    role: String,
    device_id: Option<String>,
    label: String,
    created_at: i64,
    revoked: bool,
}

impl TryFrom<TokenRow> for Token {
    type Error = StoreError;
    fn try_from(r: TokenRow) -> Result<Token> {
        let role = r
            .role
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("token {} role {:?}", r.id, r.role)))?;
        Ok(Token {
            id: r.id,
            org_id: r.org_id,
            role,
            device_id: r.device_id,
            label: r.label,
            created_at: r.created_at,
            revoked: r.revoked,
        })
    }
}

/// Columns of [`OrgRow`], for `concat!` into static SQL.
macro_rules! org_cols {
    () => {
        "id, name, created_at, webhook_url, webhook_secret"
    };
}
/// Columns of [`TokenRow`].
macro_rules! token_cols {
    () => {
        "id, org_id, role, device_id, label, created_at, revoked"
    };
}

/// A new token secret: `lsk_` and 32 random bytes in hex.
fn new_secret() -> Result<String> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).map_err(|e| StoreError::BadInput(format!("no randomness: {e}")))?;
    Ok(format!("lsk_{}", hex::encode(raw)))
}

impl Store {
    /// Creates an organization; `Conflict` if the name exists. Names are 1–200 characters.
    pub async fn create_org(&self, name: &str) -> Result<Org> {
        if name.trim().is_empty() || name.chars().count() > 200 {
            return Err(StoreError::BadInput(
                "organization name must be 1 to 200 characters".into(),
            ));
        }
        let now = now_ms();
        let sql = "INSERT INTO orgs (name, created_at) VALUES ($1, $2) RETURNING id";
        let id: Result<i64> = on_db!(&self.db, p => sqlx::query_scalar(sql).bind(name).bind(now).fetch_one(p).await.map_err(Into::into));
        match id {
            Ok(id) => Ok(Org {
                id,
                name: name.to_owned(),
                created_at: now,
                webhook_url: None,
                webhook_secret: None,
            }),
            Err(StoreError::Db(e)) if is_unique_violation(&e) => Err(StoreError::Conflict(
                format!("organization {name:?} exists"),
            )),
            Err(e) => Err(e),
        }
    }

    /// All organizations, by id.
    pub async fn orgs(&self) -> Result<Vec<Org>> {
        let sql = concat!("SELECT ", org_cols!(), " FROM orgs ORDER BY id");
        let rows: Vec<OrgRow> = on_db!(&self.db, p => sqlx::query_as(sql).fetch_all(p).await?);
        Ok(rows.into_iter().map(Org::from).collect())
    }

    /// One organization by id.
    pub async fn org(&self, id: OrgId) -> Result<Option<Org>> {
        let sql = concat!("SELECT ", org_cols!(), " FROM orgs WHERE id = $1");
        let row: Option<OrgRow> =
            on_db!(&self.db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await?);
        Ok(row.map(Org::from))
    }

    /// One organization by name.
    pub async fn org_by_name(&self, name: &str) -> Result<Option<Org>> {
        let sql = concat!("SELECT ", org_cols!(), " FROM orgs WHERE name = $1");
        let row: Option<OrgRow> =
            on_db!(&self.db, p => sqlx::query_as(sql).bind(name).fetch_optional(p).await?);
        Ok(row.map(Org::from))
    }

    /// Sets (or with `None`, clears) the organization's webhook URL and HMAC secret.
    pub async fn set_webhook(
        &self,
        org: OrgId,
        url: Option<&str>,
        secret: Option<&str>,
    ) -> Result<()> {
        let sql = "UPDATE orgs SET webhook_url = $1, webhook_secret = $2 WHERE id = $3";
        let n = on_db!(&self.db, p => sqlx::query(sql).bind(url).bind(secret).bind(org).execute(p).await?.rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound(format!("organization {org}")));
        }
        Ok(())
    }

    /// Creates a token and returns it with its secret (shown once: only its SHA-256 is stored).
    /// A `device` token needs a `device_id`; other roles must not have one.
    pub async fn create_token(
        &self,
        org: OrgId,
        role: Role,
        device_id: Option<&str>,
        label: &str,
    ) -> Result<(Token, String)> {
        match (role, device_id) {
            (Role::Device, None) => {
                return Err(StoreError::BadInput(
                    "a device token needs a device_id".into(),
                ));
            }
            (Role::Device, Some("")) => {
                return Err(StoreError::BadInput("empty device_id".into()));
            }
            (Role::Admin | Role::Analyst, Some(_)) => {
                return Err(StoreError::BadInput(
                    "only device tokens have a device_id".into(),
                ));
            }
            _ => {}
        }
        if self.org(org).await?.is_none() {
            return Err(StoreError::NotFound(format!("organization {org}")));
        }
        let secret = new_secret()?;
        let now = now_ms();
        let sql = "INSERT INTO tokens (org_id, role, device_id, label, secret_sha256, created_at, revoked) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
        let id: i64 = on_db!(&self.db, p => sqlx::query_scalar(sql)
            .bind(org).bind(role.as_str()).bind(device_id).bind(label)
            .bind(sha256_hex(secret.as_bytes())).bind(now).bind(false)
            .fetch_one(p).await?);
        let token = Token {
            id,
            org_id: org,
            role,
            device_id: device_id.map(str::to_owned),
            label: label.to_owned(),
            created_at: now,
            revoked: false,
        };
        Ok((token, secret))
    }

    /// The token whose secret this is; `None` if unknown or revoked.
    pub async fn authenticate(&self, secret: &str) -> Result<Option<Token>> {
        if !secret.starts_with("lsk_") || secret.len() > 200 {
            return Ok(None);
        }
        let sql = concat!(
            "SELECT ",
            token_cols!(),
            " FROM tokens WHERE secret_sha256 = $1 AND revoked = $2"
        );
        let row: Option<TokenRow> = on_db!(&self.db, p => sqlx::query_as(sql)
            .bind(sha256_hex(secret.as_bytes())).bind(false).fetch_optional(p).await?);
        row.map(Token::try_from).transpose()
    }

    /// The organization's tokens (revoked ones included), by id.
    pub async fn tokens(&self, org: OrgId) -> Result<Vec<Token>> {
        let sql = concat!(
            "SELECT ",
            token_cols!(),
            " FROM tokens WHERE org_id = $1 ORDER BY id"
        );
        let rows: Vec<TokenRow> =
            on_db!(&self.db, p => sqlx::query_as(sql).bind(org).fetch_all(p).await?);
        rows.into_iter().map(Token::try_from).collect()
    }

    /// Revokes a token of this organization; `false` if it has no such token.
    pub async fn revoke_token(&self, org: OrgId, id: i64) -> Result<bool> {
        let sql = "UPDATE tokens SET revoked = $1 WHERE id = $2 AND org_id = $3";
        let n = on_db!(&self.db, p => sqlx::query(sql).bind(true).bind(id).bind(org).execute(p).await?.rows_affected());
        Ok(n > 0)
    }
}
