//! The `mail_outbox` table.

use crate::db::Db;

/// A mail to send.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Mail {
    pub id: String,
    pub conversation_id: Option<String>,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// What a mail is: a transcript the visitor asked for, or an agent's reply after the
/// visitor left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Transcript,
    Reply,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Transcript => "transcript",
            Kind::Reply => "reply",
        }
    }
}

/// A mail of `kind` to queue, due at once.
pub struct Outgoing<'a> {
    pub kind: Kind,
    pub conversation: Option<&'a str>,
    /// The address and the name.
    pub to: (&'a str, &'a str),
    pub subject: &'a str,
    pub body: &'a str,
}

/// Queues a mail, due now (`now`: milliseconds).
pub async fn enqueue(db: &Db, mail: Outgoing<'_>, now: u64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO mail_outbox (id, conversation_id, to_address, to_name, subject, body, created_at, next_at, kind) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)",
    )
    .bind(crate::ids::new_id())
    .bind(mail.conversation)
    .bind(mail.to.0)
    .bind(mail.to.1)
    .bind(mail.subject)
    .bind(mail.body)
    .bind(now as i64)
    .bind(mail.kind.as_str())
    .execute(db)
    .await
    .map(|_| ())
}

/// When a conversation's last mail of `kind` was queued, if it has one.
pub async fn last_for(db: &Db, conversation: &str, kind: Kind) -> sqlx::Result<Option<u64>> {
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(created_at) FROM mail_outbox WHERE conversation_id = $1 AND kind = $2",
    )
    .bind(conversation)
    .bind(kind.as_str())
    .fetch_one(db)
    .await?;
    Ok(at.map(|t| t as u64))
}

/// How many mails of `kind` went to `address` (any conversation, any site) since `since`.
pub async fn count_to(db: &Db, address: &str, kind: Kind, since: u64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM mail_outbox WHERE LOWER(to_address) = LOWER($1) AND kind = $2 AND created_at >= $3",
    )
    .bind(address)
    .bind(kind.as_str())
    .bind(since as i64)
    .fetch_one(db)
    .await
}

/// Mail due at `now`, oldest first, at most 20.
pub async fn due(db: &Db, now: u64) -> sqlx::Result<Vec<Mail>> {
    sqlx::query_as(
        "SELECT id, conversation_id, to_address, to_name, subject, body, attempts FROM mail_outbox \
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
