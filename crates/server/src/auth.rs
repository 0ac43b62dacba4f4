//! Bearer-token authentication: the [`Caller`] extractor and its cache.
//!
//! Lookups are cached for [`AUTH_TTL`] (the inventory hot path sends one
//! token per request); a token revoked through the API is dropped from the
//! cache at once, one revoked elsewhere (CLI, another node) stops working
//! within the TTL.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use leakscope_store::{OrgId, Role, Token};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// How long a token lookup is trusted.
pub const AUTH_TTL: Duration = Duration::from_secs(3);
/// Cache entries kept at most (the cache is emptied when full).
const MAX_ENTRIES: usize = 10_000;
/// Longest accepted token.
const MAX_TOKEN_LEN: usize = 256;

/// Who is calling: the token's organization, role and device.
#[derive(Clone, Debug)]
pub struct Caller {
    /// The token's organization.
    pub org: OrgId,
    /// The token's role.
    pub role: Role,
    /// The device a device token is bound to.
    pub device_id: Option<String>,
    /// The token's label (recorded as policy author).
    pub label: String,
    /// The token's id.
    pub token_id: i64,
}

impl Caller {
    /// Forbidden unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "a {} token may not do this",
                self.role.as_str()
            )))
        }
    }

    /// Admins, analysts (read access to the whole organization).
    pub fn require_reader(&self) -> Result<(), ApiError> {
        self.require(&[Role::Admin, Role::Analyst])
    }

    /// Admins only.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        self.require(&[Role::Admin])
    }

    /// For a device's resources: admins, `analyst` when `analyst_ok`, and a
    /// device token bound to exactly this device.
    pub fn require_device(&self, device_id: &str, analyst_ok: bool) -> Result<(), ApiError> {
        match self.role {
            Role::Admin => Ok(()),
            Role::Analyst if analyst_ok => Ok(()),
            Role::Device if self.device_id.as_deref() == Some(device_id) => Ok(()),
            Role::Device => Err(ApiError::forbidden(
                "this device token is bound to another device",
            )),
            Role::Analyst => Err(ApiError::forbidden("an analyst token may not do this")),
        }
    }
}

/// A lookup and when it was made.
type Entry = (Instant, Option<Token>);

/// Cached token lookups, keyed by the SHA-256 of the secret.
#[derive(Default)]
pub struct AuthCache {
    entries: Mutex<HashMap<[u8; 32], Entry>>,
}

impl AuthCache {
    fn get(&self, key: &[u8; 32]) -> Option<Option<Token>> {
        let entries = self.entries.lock().ok()?;
        let (at, token) = entries.get(key)?;
        (at.elapsed() < AUTH_TTL).then(|| token.clone())
    }

    fn put(&self, key: [u8; 32], token: Option<Token>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, (Instant::now(), token));
        }
    }

    /// Forgets every lookup (after a revocation).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("missing `Authorization: Bearer <token>`"))?;
        let secret = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.len() <= MAX_TOKEN_LEN)
            .ok_or_else(|| ApiError::unauthorized("expected `Authorization: Bearer <token>`"))?;
        let key: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        let token = match state.auth.get(&key) {
            Some(t) => t,
            None => {
                let t = state.store.authenticate(secret).await?;
                state.auth.put(key, t.clone());
                t
            }
        };
        let token = token.ok_or_else(|| ApiError::unauthorized("unknown or revoked token"))?;
        Ok(Caller {
            org: token.org_id,
            role: token.role,
            device_id: token.device_id,
            label: token.label,
            token_id: token.id,
        })
    }
}
