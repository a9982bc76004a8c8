//! The console's queries: drafts with their revision (optimistic concurrency), the
//! immutable versions, a dialogue's status, and the audit log. Portable SQL.

use crate::db::{new_id, now_ms, Db};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq, sqlx::FromRow)]
pub struct Draft {
    pub body: String,
    pub revision: i64,
    pub author: String,
    pub updated_at: i64,
}

pub async fn draft(db: &Db, site: &str, dialogue: &str) -> sqlx::Result<Option<Draft>> {
    sqlx::query_as("SELECT body, revision, author, updated_at FROM dialogue_drafts WHERE site_id = $1 AND dialogue_id = $2")
        .bind(site)
        .bind(dialogue)
        .fetch_optional(db)
        .await
}

/// Saves a draft if it was based on the current revision (`0`: there was none); `None`
/// when someone else saved in between. The check and the write are one statement.
pub async fn save_draft(
    db: &Db,
    site: &str,
    dialogue: &str,
    body: &str,
    based_on: i64,
    author: &str,
) -> sqlx::Result<Option<i64>> {
    let now = now_ms() as i64;
    let done = if based_on == 0 {
        sqlx::query(
            "INSERT INTO dialogue_drafts (site_id, dialogue_id, body, revision, author, updated_at) VALUES ($1, $2, $3, 1, $4, $5)
             ON CONFLICT (site_id, dialogue_id) DO NOTHING",
        )
        .bind(site)
        .bind(dialogue)
        .bind(body)
        .bind(author)
        .bind(now)
        .execute(db)
        .await?
    } else {
        sqlx::query(
            "UPDATE dialogue_drafts SET body = $1, revision = revision + 1, author = $2, updated_at = $3
             WHERE site_id = $4 AND dialogue_id = $5 AND revision = $6",
        )
        .bind(body)
        .bind(author)
        .bind(now)
        .bind(site)
        .bind(dialogue)
        .bind(based_on)
        .execute(db)
        .await?
    };
    Ok((done.rows_affected() == 1).then_some(based_on + 1))
}

/// Whether visitors get a published dialogue: `off` keeps it for the console only;
/// `deleted` hides it from both until it is published again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, strum::EnumString, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Status {
    Published,
    Off,
    Deleted,
}
crate::db::text_column!(Status);

#[derive(Clone, Debug, Serialize, PartialEq, sqlx::FromRow)]
pub struct Published {
    pub version: i64,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub body: String,
}

pub async fn published(db: &Db, site: &str, dialogue: &str) -> sqlx::Result<Option<Published>> {
    sqlx::query_as("SELECT version, status, body FROM dialogues WHERE site_id = $1 AND id = $2")
        .bind(site)
        .bind(dialogue)
        .fetch_optional(db)
        .await
}

/// Every dialogue of a site, published or only drafted: (id, draft revision, version, status).
pub async fn list(db: &Db, site: &str) -> sqlx::Result<Vec<(String, Option<Draft>, Option<Published>)>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM dialogues WHERE site_id = $1 UNION SELECT dialogue_id FROM dialogue_drafts WHERE site_id = $2 ORDER BY 1",
    )
    .bind(site)
    .bind(site)
    .fetch_all(db)
    .await?;
    let mut out = Vec::new();
    for id in ids {
        let (d, p) = (draft(db, site, &id).await?, published(db, site, &id).await?);
        out.push((id, d, p));
    }
    Ok(out)
}

/// Deletes a dialogue for visitors and the console: its draft goes, its published
/// row is marked `deleted` (versions stay: conversations, meetings and the audit log
/// name them). The id can be used again. Whether there was anything to delete.
pub async fn delete(db: &Db, site: &str, dialogue: &str) -> sqlx::Result<bool> {
    let mut tx = crate::db::begin(db).await?;
    let drafts = sqlx::query("DELETE FROM dialogue_drafts WHERE site_id = $1 AND dialogue_id = $2")
        .bind(site)
        .bind(dialogue)
        .execute(&mut *tx)
        .await?;
    let published = sqlx::query(
        "UPDATE dialogues SET status = 'deleted' WHERE site_id = $1 AND id = $2 AND status <> 'deleted'",
    )
    .bind(site)
    .bind(dialogue)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(drafts.rows_affected() + published.rows_affected() > 0)
}

/// A dialogue's test visitors (a JSON array; `[]` when none were saved).
pub async fn test_visitors(db: &Db, site: &str, dialogue: &str) -> sqlx::Result<String> {
    let body: Option<String> =
        sqlx::query_scalar("SELECT body FROM dialogue_test_visitors WHERE site_id = $1 AND dialogue_id = $2")
            .bind(site)
            .bind(dialogue)
            .fetch_optional(db)
            .await?;
    Ok(body.unwrap_or_else(|| "[]".into()))
}

pub async fn put_test_visitors(db: &Db, site: &str, dialogue: &str, body: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO dialogue_test_visitors (site_id, dialogue_id, body, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_id, dialogue_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(site)
    .bind(dialogue)
    .bind(body)
    .bind(crate::db::now_ms() as i64)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn set_status(db: &Db, site: &str, dialogue: &str, status: Status) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE dialogues SET status = $1 WHERE site_id = $2 AND id = $3")
        .bind(<&str>::from(status))
        .bind(site)
        .bind(dialogue)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Clone, Debug, Serialize, PartialEq, sqlx::FromRow)]
pub struct Version {
    pub version: i64,
    pub author: String,
    pub created_at: i64,
}

pub async fn versions(db: &Db, site: &str, dialogue: &str) -> sqlx::Result<Vec<Version>> {
    sqlx::query_as("SELECT version, author, created_at FROM dialogue_versions WHERE site_id = $1 AND dialogue_id = $2 ORDER BY version DESC")
        .bind(site)
        .bind(dialogue)
        .fetch_all(db)
        .await
}

pub async fn version_body(db: &Db, site: &str, dialogue: &str, version: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT body FROM dialogue_versions WHERE site_id = $1 AND dialogue_id = $2 AND version = $3",
    )
    .bind(site)
    .bind(dialogue)
    .bind(version)
    .fetch_optional(db)
    .await
}

#[derive(Clone, Debug, Serialize, PartialEq, sqlx::FromRow)]
pub struct AuditEntry {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

pub async fn audit(db: &Db, actor: &str, action: &str, subject: &str, detail: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(now_ms() as i64)
    .bind(actor)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn audit_log(db: &Db, limit: i64) -> sqlx::Result<Vec<AuditEntry>> {
    sqlx::query_as("SELECT at, actor, action, subject, detail FROM audit_log ORDER BY at DESC LIMIT $1")
        .bind(limit)
        .fetch_all(db)
        .await
}

pub async fn set_chat_enabled(db: &Db, site: &str, on: bool) -> sqlx::Result<bool> {
    set_switch(db, site, "UPDATE sites SET chat_enabled = $1 WHERE id = $2", on).await
}

pub async fn set_merge_consent(db: &Db, site: &str, on: bool) -> sqlx::Result<bool> {
    set_switch(db, site, "UPDATE sites SET merge_consent = $1 WHERE id = $2", on).await
}

/// One of a site's on/off settings, by its own statement (`$1` the value, `$2` the site).
async fn set_switch(db: &Db, site: &str, sql: &'static str, on: bool) -> sqlx::Result<bool> {
    let done = sqlx::query(sql)
        .bind(i64::from(on))
        .bind(site)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn site_ids(db: &Db) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT id FROM sites ORDER BY id")
        .fetch_all(db)
        .await
}
