//! The SQL connection: one pool of either backend, and the helpers every query module uses.
//!
//! Queries are written once in the common subset of SQLite and PostgreSQL (`$1` placeholders,
//! `ON CONFLICT`, `RETURNING`); JSON is stored as TEXT on both. [`on_db!`] expands a block once
//! per backend so that sqlx sees the concrete pool type.

use sqlx::{PgPool, SqlitePool};

use crate::{Result, StoreError};

/// The pool of our own tables.
#[derive(Clone, Debug)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool (`&SqlitePool` or `&PgPool`).
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_db;

/// Opens a transaction meant to write. SQLite takes the write lock up front (`BEGIN IMMEDIATE`)
/// so that a read-then-write transaction cannot fail with `SQLITE_BUSY` on lock upgrade.
pub(crate) trait BeginWrite: Sized {
    type Database: sqlx::Database;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Database>>;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.begin_with("BEGIN IMMEDIATE").await?)
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        Ok(self.begin().await?)
    }
}

/// Parses a JSON column.
pub(crate) fn json_col(text: &str, what: &str) -> Result<serde_json::Value> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

/// Serializes a value for a JSON column.
pub(crate) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::BadInput(format!("not serializable: {e}")))
}

/// True when the error is a unique-constraint violation.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Lowercase hex SHA-256 of `data`.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data))
}

/// Checks that `s` is a lowercase-hex SHA-256 (64 digits); the store keys apps by it.
pub(crate) fn check_sha256(s: &str) -> Result<()> {
    if s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(StoreError::BadInput(format!(
            "not a lowercase hex SHA-256: {s:?}"
        )))
    }
}
