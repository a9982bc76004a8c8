//! Sign-in attempts. Failed ones count against the account for every node (rows, so
//! ten nodes are no faster to guess on than one): 5 failures in 5 minutes, then one
//! more each time the oldest of them is 5 minutes old (one a minute, sustained). Every
//! attempt also counts against the address (`Limits::login`, per node). Both are
//! checked before the password is: each check costs an argon2 hash.

use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::state::AppState;
use sqlx::Row;
use std::net::IpAddr;
use std::time::Duration;

const FAILURES: i64 = 5;
const WINDOW: Duration = Duration::from_secs(300);

/// An account's key: the same person whatever the case and spaces they typed.
pub fn account(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

/// Whether `account` may try now from `ip`: `Err` is the clear refusal (429 with how
/// long to wait).
pub async fn attempt(
    state: &AppState,
    account: &str,
    ip: Option<IpAddr>,
    what: &str,
) -> Result<(), AppError> {
    let mut wait = state.limits.login(ip).err().unwrap_or_default();
    wait = wait.max(account_wait(&state.db, account).await?);
    if wait.is_zero() {
        return Ok(());
    }
    tracing::warn!(account, ip = ?ip, "{what} refused: too many attempts");
    Err(AppError::too_many(what, wait))
}

async fn account_wait(db: &Db, account: &str) -> sqlx::Result<Duration> {
    let now = now_ms() as i64;
    let window = WINDOW.as_millis() as i64;
    let recent = sqlx::query(
        "SELECT at FROM sign_in_failures WHERE account = $1 AND at > $2 ORDER BY at DESC LIMIT $3",
    )
    .bind(account)
    .bind(now - window)
    .bind(FAILURES)
    .fetch_all(db)
    .await?;
    Ok(match recent.last() {
        Some(oldest) if recent.len() as i64 >= FAILURES => {
            Duration::from_millis((oldest.get::<i64, _>(0) + window - now).max(1) as u64)
        }
        _ => Duration::ZERO,
    })
}

/// A failed attempt for `account` (old ones are forgotten on the way).
pub async fn failed(db: &Db, account: &str) {
    let now = now_ms() as i64;
    let written = async {
        sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1")
            .bind(now - WINDOW.as_millis() as i64)
            .execute(db)
            .await?;
        sqlx::query("INSERT INTO sign_in_failures (account, at) VALUES ($1, $2)")
            .bind(account)
            .bind(now)
            .execute(db)
            .await?;
        Ok::<(), sqlx::Error>(())
    };
    if let Err(e) = written.await {
        tracing::warn!(account, "a failed sign-in was not counted: {e}");
    }
}
