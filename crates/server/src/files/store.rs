//! The `files` table: attachments' bytes with their conversation.

use crate::db::Db;
use chinwag_protocol::File;

/// Stores `bytes` as the file `file` of `conversation`.
pub async fn insert(db: &Db, conversation: &str, file: &File, bytes: &[u8], now: u64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO files (id, conversation_id, name, mime, size, bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&file.id)
    .bind(conversation)
    .bind(&file.name)
    .bind(&file.mime)
    .bind(file.size as i64)
    .bind(bytes)
    .bind(now as i64)
    .execute(db)
    .await
    .map(|_| ())
}

pub async fn delete(db: &Db, id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM files WHERE id = $1")
        .bind(id)
        .execute(db)
        .await
        .map(|_| ())
}

/// A file to serve: its name, type and bytes.
#[derive(sqlx::FromRow)]
pub struct Stored {
    pub name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

pub async fn get(db: &Db, id: &str) -> sqlx::Result<Option<Stored>> {
    sqlx::query_as("SELECT name, mime, bytes FROM files WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}
