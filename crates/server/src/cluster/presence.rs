//! Which agents have an inbox open, across nodes. Each node counts its own sockets
//! (`Hub::presence`) and keeps one row per agent it holds sockets of, renewed every
//! `RENEW`; a row not renewed within `LIVE` is dead. An agent is set offline when
//! their last socket anywhere closes, and by every node's sweep once no live row is
//! left (a node that died took its rows' renewals with it).

use crate::db::{now_ms, Db};
use std::time::Duration;

pub const RENEW: Duration = Duration::from_secs(3);
pub const LIVE: Duration = Duration::from_secs(10);

fn until() -> i64 {
    (now_ms() + LIVE.as_millis() as u64) as i64
}

/// This node holds a socket of `agent` now.
pub async fn hold(db: &Db, node: &str, agent: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO presence (agent_id, node_id, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (agent_id, node_id) DO UPDATE SET expires_at = excluded.expires_at",
    )
    .bind(agent)
    .bind(node)
    .bind(until())
    .execute(db)
    .await?;
    Ok(())
}

/// This node's last socket of `agent` closed: whether another node still holds one.
pub async fn release(db: &Db, node: &str, agent: &str) -> sqlx::Result<bool> {
    sqlx::query("DELETE FROM presence WHERE agent_id = $1 AND node_id = $2")
        .bind(agent)
        .bind(node)
        .execute(db)
        .await?;
    let elsewhere: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM presence WHERE agent_id = $1 AND expires_at > $2")
            .bind(agent)
            .bind(now_ms() as i64)
            .fetch_one(db)
            .await?;
    Ok(elsewhere > 0)
}

/// Renews this node's rows, then sets offline every agent no node holds (dead rows
/// are removed).
async fn renew(db: &Db, node: &str) -> sqlx::Result<()> {
    let now = now_ms() as i64;
    sqlx::query("UPDATE presence SET expires_at = $1 WHERE node_id = $2")
        .bind(until())
        .bind(node)
        .execute(db)
        .await?;
    sqlx::query("DELETE FROM presence WHERE expires_at <= $1")
        .bind(now)
        .execute(db)
        .await?;
    let gone = sqlx::query(
        "UPDATE agents SET status = 'offline' WHERE status <> 'offline' \
         AND id NOT IN (SELECT agent_id FROM presence WHERE expires_at > $1)",
    )
    .bind(now)
    .execute(db)
    .await?;
    if gone.rows_affected() > 0 {
        tracing::info!(
            "presence: {} agents without an open inbox set offline",
            gone.rows_affected()
        );
    }
    Ok(())
}

/// Renews and sweeps every `RENEW` while the process runs.
pub fn start(db: Db, node: String) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(RENEW);
        loop {
            every.tick().await;
            if let Err(e) = renew(&db, &node).await {
                tracing::warn!("presence: could not renew: {e}");
            }
        }
    });
}
