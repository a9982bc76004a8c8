//! The `mail_outbox` table.

use crate::db::Db;

/// A mail to send.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Mail {
    pub id: String,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// Queues a mail, due now (`now`: milliseconds).
pub async fn enqueue(
    db: &Db,
    conversation: Option<&str>,
    to: (&str, &str),
    subject: &str,
    body: &str,
    now: u64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO mail_outbox (id, conversation_id, to_address, to_name, subject, body, created_at, next_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(crate::ids::new_id())
    .bind(conversation)
    .bind(to.0)
    .bind(to.1)
    .bind(subject)
    .bind(body)
    .bind(now as i64)
    .execute(db)
    .await
    .map(|_| ())
}

/// When a conversation's last mail was queued, if it has one.
pub async fn last_for(db: &Db, conversation: &str) -> sqlx::Result<Option<u64>> {
    let at: Option<i64> =
        sqlx::query_scalar("SELECT MAX(created_at) FROM mail_outbox WHERE conversation_id = $1")
            .bind(conversation)
            .fetch_one(db)
            .await?;
    Ok(at.map(|t| t as u64))
}

/// Mail due at `now`, oldest first, at most 20.
pub async fn due(db: &Db, now: u64) -> sqlx::Result<Vec<Mail>> {
    sqlx::query_as(
        "SELECT id, to_address, to_name, subject, body, attempts FROM mail_outbox \
         WHERE sent_at IS NULL AND next_at <= $1 ORDER BY next_at, id LIMIT 20",
    )
    .bind(now as i64)
    .fetch_all(db)
    .await
}

pub async fn sent(db: &Db, id: &str, now: u64) -> sqlx::Result<()> {
    sqlx::query("UPDATE mail_outbox SET sent_at = $1, attempts = attempts + 1, error = NULL WHERE id = $2")
        .bind(now as i64)
        .bind(id)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn failed(db: &Db, id: &str, problem: &str, next_at: u64) -> sqlx::Result<()> {
    sqlx::query("UPDATE mail_outbox SET attempts = attempts + 1, error = $1, next_at = $2 WHERE id = $3")
        .bind(problem)
        .bind(next_at as i64)
        .bind(id)
        .execute(db)
        .await
        .map(|_| ())
}
