//! Invitations: a one-time link an admin hands a new agent, who sets their own
//! password with it (no admin ever knows it). Only a SHA-256 of the token is stored; a
//! link works once, for `VALID_FOR`; a new link for the same agent cancels the old.

use crate::db::{self, Db};
use crate::error::AppError;
use sha2::{Digest, Sha256};

const VALID_FOR_MS: u64 = 7 * 24 * 3600 * 1000;

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new one-time token for `agent` (their earlier unused ones stop working).
pub async fn create(db: &Db, agent: &str) -> sqlx::Result<String> {
    // Two v4 UUIDs: 244 random bits from the OS's generator.
    let token = format!("{}{}", db::new_id(), db::new_id());
    let mut tx = crate::db::begin(db).await?;
    sqlx::query("DELETE FROM agent_invitations WHERE agent_id = $1 AND used_at IS NULL")
        .bind(agent)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO agent_invitations (token_hash, agent_id, expires_at) VALUES ($1, $2, $3)")
        .bind(hash(&token))
        .bind(agent)
        .bind((db::now_ms() + VALID_FOR_MS) as i64)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(token)
}

/// Sets the invited agent's password and uses the token up; returns the agent's email.
pub async fn accept(db: &Db, token: &str, password: &str) -> Result<String, AppError> {
    if password.chars().count() < 10 {
        return Err(AppError::BadRequest(
            "passwords have at least 10 characters".into(),
        ));
    }
    let password_hash = crate::access::auth::hash_password(password)?;
    let mut tx = crate::db::begin(db).await?;
    // Used up in the same statement that finds it: a link works once, even twice at once.
    let agent: Option<String> = sqlx::query_scalar(
        "UPDATE agent_invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3 RETURNING agent_id",
    )
    .bind(db::now_ms() as i64)
    .bind(hash(token))
    .bind(db::now_ms() as i64)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(agent) = agent else {
        return Err(AppError::Forbidden(
            "this invitation link was used already, has expired or was replaced: ask an admin for a new one"
                .into(),
        ));
    };
    let email: String =
        sqlx::query_scalar("UPDATE agents SET password_hash = $1 WHERE id = $2 RETURNING email")
            .bind(password_hash)
            .bind(&agent)
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(email)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_kept_as_hashes() {
        assert_eq!(super::hash("abc").len(), 64);
        assert_ne!(super::hash("abc"), "abc");
    }
}
