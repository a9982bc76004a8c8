//! Webhooks' queries: endpoints (their secrets sealed), the outbox of messages written
//! in the same transaction as the change each describes, and the deliveries the worker
//! makes of them. Portable SQL.

use super::outbox::add_delivery;
pub use super::outbox::enqueue;
use crate::db::Db;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

/// An endpoint as the console lists it (no secrets).
#[derive(Clone, Debug, Serialize)]
pub struct Endpoint {
    pub id: String,
    pub site_id: String,
    pub url: String,
    pub description: String,
    /// The event types it gets; `*`: all.
    pub events: Vec<String>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub created_at: i64,
}

/// By hand: the event types are JSON text, and the status is read as whether it is on.
impl sqlx::FromRow<'_, AnyRow> for Endpoint {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        Ok(Endpoint {
            id: r.try_get("id")?,
            site_id: r.try_get("site_id")?,
            url: r.try_get("url")?,
            description: r.try_get("description")?,
            events: serde_json::from_str(r.try_get("events")?).unwrap_or_default(),
            enabled: r.try_get::<&str, _>("status")? == "enabled",
            disabled_reason: r.try_get("disabled_reason")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

/// An endpoint's columns (read by name into [`Endpoint`]) (a macro: each query is one constant).
macro_rules! endpoint {
    () => {
        "id, site_id, url, description, events, status, disabled_reason, created_at"
    };
}

pub async fn create(db: &Db, e: &Endpoint, sealed_secrets: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO webhook_endpoints (id, site_id, url, description, events, secrets, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'enabled', $7)",
    )
    .bind(&e.id)
    .bind(&e.site_id)
    .bind(&e.url)
    .bind(&e.description)
    .bind(serde_json::to_string(&e.events).unwrap_or_default())
    .bind(sealed_secrets)
    .bind(e.created_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn endpoints(db: &Db, site: &str) -> sqlx::Result<Vec<Endpoint>> {
    sqlx::query_as(concat!(
        "SELECT ",
        endpoint!(),
        " FROM webhook_endpoints WHERE site_id = $1 ORDER BY created_at"
    ))
    .bind(site)
    .fetch_all(db)
    .await
}

/// An endpoint of the site, with its sealed secrets.
pub async fn endpoint(db: &Db, site: &str, id: &str) -> sqlx::Result<Option<(Endpoint, String)>> {
    let row = sqlx::query(concat!(
        "SELECT ",
        endpoint!(),
        ", secrets FROM webhook_endpoints WHERE site_id = $1 AND id = $2"
    ))
    .bind(site)
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.map(|r| Ok((Endpoint::from_row(&r)?, r.try_get("secrets")?)))
        .transpose()
}

pub async fn set_secrets(db: &Db, id: &str, sealed: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE webhook_endpoints SET secrets = $1 WHERE id = $2")
        .bind(sealed)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Turns an endpoint on, or off with the reason.
pub async fn set_enabled(db: &Db, id: &str, enabled: bool, reason: Option<&str>) -> sqlx::Result<()> {
    sqlx::query("UPDATE webhook_endpoints SET status = $1, disabled_reason = $2 WHERE id = $3")
        .bind(if enabled { "enabled" } else { "disabled" })
        .bind(reason)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete(db: &Db, site: &str, id: &str) -> sqlx::Result<bool> {
    let mut tx = crate::db::begin(db).await?;
    sqlx::query("DELETE FROM webhook_deliveries WHERE endpoint_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let gone = sqlx::query("DELETE FROM webhook_endpoints WHERE site_id = $1 AND id = $2")
        .bind(site)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(gone == 1)
}

/// A delivery due, with what it takes to make it.
#[derive(sqlx::FromRow)]
pub struct Due {
    pub id: String,
    pub message_id: String,
    pub endpoint_id: String,
    pub url: String,
    pub payload: String,
    pub attempts: i64,
}

/// An endpoint's sealed secrets as they are now (`None`: it was deleted).
pub async fn secrets(db: &Db, endpoint: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT secrets FROM webhook_endpoints WHERE id = $1")
        .bind(endpoint)
        .fetch_optional(db)
        .await
}

pub async fn due(db: &Db, now_ms: i64, limit: i64) -> sqlx::Result<Vec<Due>> {
    sqlx::query_as(
        "SELECT d.id, d.message_id, d.endpoint_id, d.attempts, e.url, m.payload \
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id \
         JOIN webhook_messages m ON m.id = d.message_id \
         WHERE d.status = 'pending' AND d.next_at <= $1 AND e.status = 'enabled' ORDER BY d.next_at LIMIT $2",
    )
    .bind(now_ms)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// What an attempt came to.
pub struct Attempt {
    pub status: Option<i64>,
    pub error: Option<String>,
    /// `Some`: try again then (ms); `None` with no error: delivered; with an error:
    /// given up.
    pub next_at: Option<i64>,
    pub at: i64,
}

pub async fn record(db: &Db, delivery: &str, a: &Attempt) -> sqlx::Result<()> {
    let status = match (&a.error, a.next_at) {
        (None, _) => "delivered",
        (Some(_), Some(_)) => "pending",
        (Some(_), None) => "failed",
    };
    sqlx::query(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, status = $1, last_status = $2, last_error = $3, \
         next_at = COALESCE($4, next_at), last_at = $5 WHERE id = $6",
    )
    .bind(status)
    .bind(a.status)
    .bind(&a.error)
    .bind(a.next_at)
    .bind(a.at)
    .bind(delivery)
    .execute(db)
    .await?;
    Ok(())
}

/// A delivery in the console's log.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Logged {
    pub id: String,
    pub message_id: String,
    pub r#type: String,
    pub status: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub last_at: Option<i64>,
    pub next_at: i64,
    pub payload: String,
}

/// The latest deliveries to an endpoint.
pub async fn log(db: &Db, endpoint: &str, limit: i64) -> sqlx::Result<Vec<Logged>> {
    sqlx::query_as(
        "SELECT d.id, d.message_id, m.type, d.status, d.attempts, d.last_status, d.last_error, d.last_at, d.next_at, m.payload \
         FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id \
         WHERE d.endpoint_id = $1 ORDER BY d.created_at DESC LIMIT $2",
    )
    .bind(endpoint)
    .bind(limit)
    .fetch_all(db)
        .await
}

/// Sends a delivery's message again (same id: receivers de-duplicate by it), now.
pub async fn replay(db: &Db, endpoint: &str, delivery: &str, now_ms: i64) -> sqlx::Result<bool> {
    let message: Option<String> =
        sqlx::query_scalar("SELECT message_id FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2")
            .bind(delivery)
            .bind(endpoint)
            .fetch_optional(db)
            .await?;
    let Some(message) = message else { return Ok(false) };
    let mut conn = db.acquire().await?;
    add_delivery(&mut conn, &message, endpoint, now_ms).await?;
    Ok(true)
}
