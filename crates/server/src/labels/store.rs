//! Labels and the conversations they are on, in the database (migration 0022).

use crate::db::Db;
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Label {
    pub id: String,
    pub name: String,
    pub colour: String,
}

pub async fn all(db: &Db) -> sqlx::Result<Vec<Label>> {
    sqlx::query_as("SELECT id, name, colour FROM labels ORDER BY LOWER(name)")
        .fetch_all(db)
        .await
}

/// Stores a label; `false` when one has this name already (in any case).
pub async fn add(db: &Db, label: &Label, at: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO labels (id, name, colour, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(&label.id)
    .bind(&label.name)
    .bind(&label.colour)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a label, from every conversation too; `false` when there was none.
pub async fn delete(db: &Db, id: &str) -> sqlx::Result<bool> {
    let mut tx = crate::db::begin(db).await?;
    sqlx::query("DELETE FROM conversation_labels WHERE label_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("DELETE FROM labels WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Puts exactly `labels` on the conversation (they exist: the caller checked).
pub async fn set_on(db: &Db, conversation: &str, labels: &[String]) -> sqlx::Result<()> {
    let mut tx = crate::db::begin(db).await?;
    let before: Vec<String> = sqlx::query_scalar(
        "SELECT label_id FROM conversation_labels WHERE conversation_id = $1 ORDER BY label_id",
    )
    .bind(conversation)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM conversation_labels WHERE conversation_id = $1")
        .bind(conversation)
        .execute(&mut *tx)
        .await?;
    for label in labels {
        sqlx::query("INSERT INTO conversation_labels (conversation_id, label_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(conversation)
            .bind(label)
            .execute(&mut *tx)
            .await?;
    }
    let mut after = labels.to_vec();
    after.sort();
    after.dedup();
    // A change is told to the site's systems (`conversation.labelled`), in the same
    // transaction, by the labels' names.
    let site: Option<String> = sqlx::query_scalar("SELECT site_id FROM conversations WHERE id = $1")
        .bind(conversation)
        .fetch_optional(&mut *tx)
        .await?;
    if let (Some(site), true) = (site, before != after) {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT l.name FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id \
             WHERE cl.conversation_id = $1 ORDER BY LOWER(l.name)",
        )
        .bind(conversation)
        .fetch_all(&mut *tx)
        .await?;
        let event = crate::data::webhooks::events::Event::ConversationLabelled(
            crate::data::webhooks::events::Labelled {
                id: conversation.to_owned(),
                labels: names,
            },
        );
        crate::data::webhooks::outbox::enqueue(&mut tx, &site, &event, crate::db::now_ms() as i64).await?;
    }
    tx.commit().await
}

/// The label ids on each of `conversations` that has any.
pub async fn on(db: &Db, conversations: &[String]) -> sqlx::Result<BTreeMap<String, Vec<String>>> {
    let mut on: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if conversations.is_empty() {
        return Ok(on);
    }
    let sql = [
        "SELECT conversation_id, label_id FROM conversation_labels WHERE conversation_id IN ",
        &crate::db::in_list(1, conversations.len()),
        " ORDER BY conversation_id, label_id",
    ]
    .concat();
    for row in crate::db::bind_ids(sqlx::query(&sql), conversations)
        .fetch_all(db)
        .await?
    {
        on.entry(row.try_get("conversation_id")?)
            .or_default()
            .push(row.try_get("label_id")?);
    }
    Ok(on)
}
