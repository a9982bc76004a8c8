//! API keys (docs/api.md): `ck_{id}_{secret}`, per site, scoped `read` or `write`;
//! only the secret's SHA-256 is stored; sent as `Authorization: Bearer …`; revoked keys
//! and wrong secrets are refused alike, and every key is rate limited.

use crate::db::{new_id, now_ms, Db};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// A key's permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, strum::EnumString, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Scope {
    Read,
    Write,
}
crate::db::text_column!(Scope);

/// A request made with a valid key.
pub struct Key {
    pub id: String,
    pub site: String,
    pub scope: Scope,
}

impl Key {
    /// Refuses a read-only key a change.
    pub fn write(&self) -> Result<(), AppError> {
        match self.scope {
            Scope::Write => Ok(()),
            Scope::Read => Err(AppError::Forbidden(
                "this key may only read: make a write key".into(),
            )),
        }
    }
}

fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A key as the console lists it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Listed {
    pub id: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub scope: Scope,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Makes a key; its full text (shown once).
pub async fn create(db: &Db, site: &str, name: &str, scope: Scope) -> sqlx::Result<(Listed, String)> {
    let (id, secret) = (new_id(), crate::access::auth::random_token());
    let now = now_ms() as i64;
    sqlx::query(
        "INSERT INTO api_keys (id, site_id, name, scope, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(site)
    .bind(name)
    .bind(<&str>::from(scope))
    .bind(digest(&secret))
    .bind(now)
    .execute(db)
    .await?;
    let listed = Listed {
        id: id.clone(),
        name: name.into(),
        scope,
        created_at: now,
        last_used_at: None,
        revoked_at: None,
    };
    Ok((listed, format!("ck_{id}_{secret}")))
}

pub async fn list(db: &Db, site: &str) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as(
        "SELECT id, name, scope, created_at, last_used_at, revoked_at FROM api_keys WHERE site_id = $1 ORDER BY created_at",
    )
    .bind(site)
    .fetch_all(db)
        .await
}

pub async fn revoke(db: &Db, site: &str, id: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE api_keys SET revoked_at = $1 WHERE site_id = $2 AND id = $3 AND revoked_at IS NULL",
    )
    .bind(now_ms() as i64)
    .bind(site)
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

impl FromRequestParts<AppState> for Key {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let refused = || {
            tracing::warn!("API request refused: no valid key");
            AppError::Unauthorized
        };
        let text = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            // The scheme's name in any letter case (RFC 9110, section 11.1).
            .and_then(|v| {
                v.split_once(' ')
                    .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            })
            .map(|(_, credentials)| credentials)
            .and_then(|v| v.trim().strip_prefix("ck_"))
            .ok_or_else(refused)?;
        let (id, secret) = text.split_once('_').ok_or_else(refused)?;
        let row =
            sqlx::query("SELECT site_id, scope, hash FROM api_keys WHERE id = $1 AND revoked_at IS NULL")
                .bind(id)
                .fetch_optional(&state.db)
                .await?
                .ok_or_else(refused)?;
        let hash: String = row.get("hash");
        if !crate::access::auth::same(hash.as_bytes(), digest(secret).as_bytes()) {
            return Err(refused());
        }
        state
            .limits
            .api_call(id)
            .map_err(|wait| AppError::too_many("API requests for this key", wait))?;
        sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
            .bind(now_ms() as i64)
            .bind(id)
            .execute(&state.db)
            .await?;
        Ok(Key {
            id: id.to_owned(),
            site: row.get("site_id"),
            // Unknown (a hand edit): the lesser permission.
            scope: row.get::<&str, _>("scope").parse().unwrap_or(Scope::Read),
        })
    }
}
