//! Which agents have an inbox open, across nodes. Each node counts its own sockets
//! (`Hub::presence`) and keeps one row per agent it holds sockets of, written again
//! from those counts every `RENEW` (so a failed write or a lost row comes back); a
//! row not renewed within `LIVE` is dead. An agent is set offline when their last
//! socket anywhere closes, and by every node's sweep once no live row is left (a node
//! that died took its rows' renewals with it). An agent whose inbox is open here is
//! never left offline: opening, and every renewal, sets them available again.
//!
//! Opening, closing and renewing take turns on each node (`Hub::presence_turn`), so a close and an open of the
//! same agent never interleave their writes; expiry uses the database's clock, so
//! nodes' clocks need not agree.

use crate::db::{self, Db};
use crate::live::hub::Hub;
use sqlx::Row;
use std::sync::Arc;
use std::time::Duration;

pub const RENEW: Duration = Duration::from_secs(3);
pub const LIVE: Duration = Duration::from_secs(10);

/// The database's clock in ms (the node's own on SQLite: one node only).
async fn clock(db: &Db) -> sqlx::Result<i64> {
    match db::engine(db) {
        db::Engine::Sqlite => Ok(db::now_ms() as i64),
        db::Engine::Postgres => {
            let row = sqlx::query("SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)")
                .fetch_one(db)
                .await?;
            Ok(row.get(0))
        }
    }
}

async fn hold(db: &Db, node: &str, agent: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO presence (agent_id, node_id, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (agent_id, node_id) DO UPDATE SET expires_at = excluded.expires_at",
    )
    .bind(agent)
    .bind(node)
    .bind(now + LIVE.as_millis() as i64)
    .execute(db)
    .await?;
    Ok(())
}

/// Available again if something set them offline (a close elsewhere, a sweep while
/// this node could not renew): their inbox is open.
async fn not_offline(db: &Db, agents: &[String]) -> sqlx::Result<()> {
    if agents.is_empty() {
        return Ok(());
    }
    let sql = [
        "UPDATE agents SET status = 'available' WHERE status = 'offline' AND active <> 0 AND id IN ",
        &db::in_list(1, agents.len()),
    ]
    .concat();
    db::bind_ids(sqlx::query(&sql), agents).execute(db).await?;
    Ok(())
}

/// An inbox socket of `agent` opened on this node.
pub async fn opened(db: &Db, hub: &Hub, node: &str, agent: &str) {
    let _turn = hub.presence_turn.lock().await;
    let written = async {
        if hub.presence(agent, 1) == 1 {
            // Held before the status changes, so no node's sweep sees them online unheld.
            hold(db, node, agent, clock(db).await?).await?;
        }
        not_offline(db, &[agent.to_owned()]).await
    };
    if let Err(e) = written.await {
        tracing::warn!(
            agent,
            "presence: could not hold (the next renewal tries again): {e}"
        );
    }
}

/// An inbox socket of `agent` closed on this node: offline once no node holds one.
pub async fn closed(db: &Db, hub: &Hub, node: &str, agent: &str) {
    let _turn = hub.presence_turn.lock().await;
    if hub.presence(agent, -1) > 0 {
        return;
    }
    let written = async {
        sqlx::query("DELETE FROM presence WHERE agent_id = $1 AND node_id = $2")
            .bind(agent)
            .bind(node)
            .execute(db)
            .await?;
        // One statement: a hold on another node either is seen here, or sets them
        // available again after this.
        sqlx::query(
            "UPDATE agents SET status = 'offline' WHERE id = $1 AND status <> 'offline' \
             AND NOT EXISTS (SELECT 1 FROM presence WHERE agent_id = $1 AND expires_at > $2)",
        )
        .bind(agent)
        .bind(clock(db).await?)
        .execute(db)
        .await?;
        Ok::<(), sqlx::Error>(())
    };
    if let Err(e) = written.await {
        tracing::warn!(agent, "presence: could not release (the row expires): {e}");
    }
}

/// Writes this node's rows from its counts, then sets offline every agent no node
/// holds (dead rows are removed).
async fn renew(db: &Db, hub: &Hub, node: &str) -> sqlx::Result<()> {
    let _turn = hub.presence_turn.lock().await;
    let now = clock(db).await?;
    let held = hub.held();
    for agent in &held {
        hold(db, node, agent, now).await?;
    }
    let sql = [
        "DELETE FROM presence WHERE node_id = $1 AND agent_id NOT IN ",
        &db::in_list(2, held.len()),
    ]
    .concat();
    db::bind_ids(sqlx::query(&sql).bind(node), &held)
        .execute(db)
        .await?;
    not_offline(db, &held).await?;
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
pub fn start(db: Db, hub: Arc<Hub>, node: String, tasks: &crate::tasks::Tasks) {
    tasks.keep("presence", move |_| {
        let (db, hub, node) = (db.clone(), hub.clone(), node.clone());
        async move {
            let mut every = tokio::time::interval(RENEW);
            loop {
                every.tick().await;
                if let Err(e) = renew(&db, &hub, &node).await {
                    tracing::warn!("presence: could not renew: {e}");
                }
            }
        }
    });
}
