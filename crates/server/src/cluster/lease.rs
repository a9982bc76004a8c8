//! One node at a time for the background work that must not run twice at once: the
//! webhook deliveries, the invitations and the retention purge. Each round, a worker
//! takes or renews its lease (a row naming the holder until a time) in one
//! conditional write, and works only when it holds it; when the holder dies, its lease
//! runs out and another node's next round takes it. On SQLite there is one node: the
//! lease is always held, and nothing is written.

use crate::db::{self, now_ms, Db, Engine};
use std::time::Duration;

/// Takes or renews lease `name` for `node` for `span`: whether `node` holds it now.
pub async fn hold(db: &Db, name: &str, node: &str, span: Duration) -> sqlx::Result<bool> {
    if db::engine(db) == Engine::Sqlite {
        return Ok(true);
    }
    let now = now_ms() as i64;
    let done = sqlx::query(
        "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
         WHERE leases.holder = excluded.holder OR leases.expires_at < $4",
    )
    .bind(name)
    .bind(node)
    .bind(now + span.as_millis() as i64)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
