//! The outbox: a webhook message written inside the caller's own transaction (so an
//! event is sent exactly when what it tells happened), with a delivery due for each
//! endpoint that wants it. A leaf of the data layer: `db` writes here while it commits
//! a conversation's changes; the worker reads what is due.

use crate::ids::new_id;
use sqlx::AnyConnection;

/// Writes a message for `site` into the outbox, inside the caller's transaction, with
/// a delivery due now for each enabled endpoint that wants its type; nothing when none
/// does (no copy of anyone's data kept for nobody). Its id.
pub async fn enqueue(
    conn: &mut AnyConnection,
    site: &str,
    event: &super::events::Event,
    now_ms: i64,
) -> sqlx::Result<Option<String>> {
    let kind = event.kind();
    let endpoints: Vec<(String, String)> =
        sqlx::query_as("SELECT id, events FROM webhook_endpoints WHERE site_id = $1 AND status = 'enabled'")
            .bind(site)
            .fetch_all(&mut *conn)
            .await?;
    let wanting: Vec<String> = endpoints
        .into_iter()
        .filter(|(_, events)| {
            let events: Vec<String> = serde_json::from_str(events).unwrap_or_default();
            events.iter().any(|e| e == "*" || e == kind)
        })
        .map(|(id, _)| id)
        .collect();
    if wanting.is_empty() {
        return Ok(None);
    }
    let id = format!("msg_{}", new_id());
    let timestamp = jiff::Timestamp::from_millisecond(now_ms)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let payload =
        serde_json::json!({ "type": kind, "timestamp": timestamp, "data": event.data() }).to_string();
    sqlx::query(
        "INSERT INTO webhook_messages (id, site_id, type, payload, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(site)
    .bind(kind)
    .bind(&payload)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    for endpoint in wanting {
        add_delivery(conn, &id, &endpoint, now_ms).await?;
    }
    Ok(Some(id))
}

pub(super) async fn add_delivery(
    conn: &mut AnyConnection,
    message: &str,
    endpoint: &str,
    now_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (id, message_id, endpoint_id, attempts, next_at, status, created_at) \
         VALUES ($1, $2, $3, 0, $4, 'pending', $5)",
    )
    .bind(new_id())
    .bind(message)
    .bind(endpoint)
    .bind(now_ms)
    .bind(now_ms)
    .execute(conn)
    .await?;
    Ok(())
}
