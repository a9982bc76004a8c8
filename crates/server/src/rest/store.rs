//! The REST API's pages: leads, conversations with their messages, meetings, newest
//! first, by a cursor (the last item's time and id), never by offset, so a page is the
//! same however many rows arrive meanwhile. Portable SQL.

use super::types::{ConversationItem, MeetingItem, MessageItem};
use crate::data::leads_store::{listed, Listed};
use crate::db::Db;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Where a page starts: after the item of this time and id.
pub type Cursor = Option<(i64, String)>;

const FAR: i64 = i64::MAX;

/// One page of `sql`, which takes the site, the cursor's time twice and its id, then
/// the limit: every list is paged by the same keyset rule.
async fn page(
    db: &Db,
    sql: &'static str,
    site: &str,
    after: &Cursor,
    limit: i64,
) -> sqlx::Result<Vec<AnyRow>> {
    let (at, id) = after.clone().unwrap_or((FAR, String::new()));
    sqlx::query(sql)
        .bind(site)
        .bind(at)
        .bind(at)
        .bind(id)
        .bind(limit)
        .fetch_all(db)
        .await
}

/// Turns rows into items by their column names.
fn items<T: for<'r> sqlx::FromRow<'r, AnyRow>>(rows: Vec<AnyRow>) -> sqlx::Result<Vec<T>> {
    rows.iter().map(T::from_row).collect()
}

pub async fn leads(db: &Db, site: &str, after: &Cursor, limit: i64) -> sqlx::Result<Vec<Listed>> {
    let sql = concat!(
        "SELECT ",
        listed!(),
        " WHERE l.site_id = $1 AND (l.created_at < $2 OR (l.created_at = $3 AND l.id < $4)) \
         ORDER BY l.created_at DESC, l.id DESC LIMIT $5"
    );
    items(page(db, sql, site, after, limit).await?)
}

pub async fn conversations(
    db: &Db,
    site: &str,
    after: &Cursor,
    limit: i64,
) -> sqlx::Result<Vec<ConversationItem>> {
    let sql = "SELECT id, dialogue_id, status, snoozed_until, agent_id, lead_id, page_url, created_at, rating, rating_comment FROM conversations \
         WHERE site_id = $1 AND (created_at < $2 OR (created_at = $3 AND id < $4)) ORDER BY created_at DESC, id DESC LIMIT $5";
    with_labels(db, items(page(db, sql, site, after, limit).await?)?).await
}

/// The conversations with the names of their labels.
async fn with_labels(db: &Db, mut list: Vec<ConversationItem>) -> sqlx::Result<Vec<ConversationItem>> {
    let ids: Vec<String> = list.iter().map(|c| c.id.clone()).collect();
    let mut on = crate::labels::store::on(db, &ids).await?;
    let all = crate::labels::store::all(db).await?;
    for c in &mut list {
        let ids = on.remove(&c.id).unwrap_or_default();
        // `all` is in name order.
        c.labels = all
            .iter()
            .filter(|l| ids.contains(&l.id))
            .map(|l| l.name.clone())
            .collect();
    }
    Ok(list)
}

pub async fn conversation_of(db: &Db, site: &str, id: &str) -> sqlx::Result<Option<ConversationItem>> {
    let found: Option<ConversationItem> = sqlx::query_as(
        "SELECT id, dialogue_id, status, snoozed_until, agent_id, lead_id, page_url, created_at, rating, rating_comment FROM conversations WHERE site_id = $1 AND id = $2",
    )
    .bind(site)
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(with_labels(db, found.into_iter().collect()).await?.pop())
}

/// A conversation's transcript: every stored event in order but those internal to the
/// team (agents' private notes, snoozes; docs/inbox.md).
pub async fn messages(db: &Db, conversation: &str) -> sqlx::Result<Vec<MessageItem>> {
    let all: Vec<MessageItem> =
        sqlx::query_as("SELECT seq, at, body FROM events WHERE conversation_id = $1 ORDER BY seq")
            .bind(conversation)
            .fetch_all(db)
            .await?;
    Ok(all
        .into_iter()
        .filter(|m| {
            serde_json::from_value::<chinwag_protocol::EventKind>(m.event.clone())
                .is_ok_and(|k| !k.is_internal())
        })
        .collect())
}

/// By hand: the event is stored as JSON text.
impl sqlx::FromRow<'_, AnyRow> for MessageItem {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        Ok(MessageItem {
            seq: r.try_get("seq")?,
            at: r.try_get("at")?,
            event: serde_json::from_str(r.try_get("body")?).unwrap_or_default(),
        })
    }
}

pub async fn meetings(db: &Db, site: &str, after: &Cursor, limit: i64) -> sqlx::Result<Vec<MeetingItem>> {
    let sql = "SELECT id, dialogue_id, host_id, start_at, end_at, status, visitor_name, visitor_email, lead_id, created_at \
         FROM meetings WHERE site_id = $1 AND (created_at < $2 OR (created_at = $3 AND id < $4)) \
         ORDER BY created_at DESC, id DESC LIMIT $5";
    items(page(db, sql, site, after, limit).await?)
}
