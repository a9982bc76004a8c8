//! Sign-in attempts. Failed ones count against the account for every node (rows, so
//! ten nodes are no faster to guess on than one): 5 failures in 5 minutes, then one
//! more each time the oldest of them is 5 minutes old (one a minute, sustained). Every
//! attempt also counts against the address (`Limits::login`, per node). Both are
//! checked before the password is: each check costs an argon2 hash. An attempt is
//! written as a failure before its password is hashed and taken back when it turns out
//! right, so attempts made at the same moment on several nodes count against each
//! other instead of all passing the check together.

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

/// An attempt under way, counted as failed until [`Attempt::succeeded`].
pub struct Attempt {
    account: String,
    at: i64,
}

impl Attempt {
    /// The password was right: the attempt no longer counts.
    pub async fn succeeded(self, db: &Db) {
        let taken_back = sqlx::query("DELETE FROM sign_in_failures WHERE account = $1 AND at = $2")
            .bind(&self.account)
            .bind(self.at)
            .execute(db)
            .await;
        if let Err(e) = taken_back {
            tracing::warn!("a right sign-in still counts as failed: {e}");
        }
    }
}

/// Whether `account` may try now from `ip` (`Err`: the clear refusal, 429 with how
/// long to wait); the attempt counts as failed until it succeeds.
pub async fn attempt(
    state: &AppState,
    account: &str,
    ip: Option<IpAddr>,
    what: &str,
) -> Result<Attempt, AppError> {
    let now = now_ms() as i64;
    // Old failures go on every attempt: a typed address is kept 5 minutes at most.
    sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1")
        .bind(now - WINDOW.as_millis() as i64)
        .execute(&state.db)
        .await?;
    let window = WINDOW.as_millis() as i64;
    if let Err(wait) = state.limits.login(ip) {
        return Err(refuse(account, ip, what, wait));
    }
    // Counted and written in one statement: attempts at the same moment see each
    // other (SQLite runs writers one at a time; on PostgreSQL two that start within
    // the same instant may both get in).
    let written = sqlx::query(
        "INSERT INTO sign_in_failures (account, at) SELECT $1, $2 \
         WHERE (SELECT COUNT(*) FROM sign_in_failures WHERE account = $1 AND at > $3) < $4",
    )
    .bind(account)
    .bind(now)
    .bind(now - window)
    .bind(FAILURES)
    .execute(&state.db)
    .await?;
    if written.rows_affected() == 0 {
        let wait = account_wait(&state.db, account, now).await?;
        return Err(refuse(account, ip, what, wait.max(Duration::from_secs(1))));
    }
    Ok(Attempt {
        account: account.to_owned(),
        at: now,
    })
}

fn refuse(account: &str, ip: Option<IpAddr>, what: &str, wait: Duration) -> AppError {
    // Not the typed address: logs carry no emails (docs/privacy.md).
    let _ = account;
    tracing::warn!(ip = ?ip, "{what} refused: too many attempts");
    AppError::too_many(what, wait)
}

/// How long until the oldest of the last `FAILURES` failures leaves the window.
async fn account_wait(db: &Db, account: &str, now: i64) -> sqlx::Result<Duration> {
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
