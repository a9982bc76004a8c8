//! Retention's queries: each site's windows, and for each kind of data the rows past
//! its cut-off, counted (the preview) or deleted (the purge). Raw marks go in chunks, so
//! a purge of millions never holds the database for long (live chat goes on between).

use super::retention::Windows;
use crate::db::{self, Db, Engine, WRITE_TURN};
use sqlx::{AnyConnection, Row};

pub async fn windows(db: &Db, site: &str) -> sqlx::Result<Windows> {
    let row = sqlx::query(
        "SELECT transcripts_days, leads_days, events_days, meetings_days FROM retention WHERE site_id = $1",
    )
    .bind(site)
    .fetch_optional(db)
    .await?;
    Ok(row.map_or_else(Windows::default, |r| Windows {
        transcripts_days: r.get("transcripts_days"),
        leads_days: r.get("leads_days"),
        events_days: r.get("events_days"),
        meetings_days: r.get("meetings_days"),
    }))
}

pub async fn set_windows(db: &Db, site: &str, w: &Windows, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO retention (site_id, transcripts_days, leads_days, events_days, meetings_days, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (site_id) DO UPDATE SET transcripts_days = excluded.transcripts_days, \
         leads_days = excluded.leads_days, events_days = excluded.events_days, meetings_days = excluded.meetings_days, \
         updated_at = excluded.updated_at",
    )
    .bind(site)
    .bind(w.transcripts_days)
    .bind(w.leads_days)
    .bind(w.events_days)
    .bind(w.meetings_days)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// The sites with anything to keep or purge.
pub async fn sites(db: &Db) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT id FROM sites").fetch_all(db).await
}

/// What of `kind` a purge takes for `site` before `cutoff` (ms): the main rows (`$1`
/// the site, `$2` the cut-off), and the statements that delete them with what hangs
/// on them, in order.
fn selector(kind: &str) -> (&'static str, &'static [&'static str]) {
    match kind {
        "transcripts" => (
            "SELECT id FROM conversations WHERE site_id = $1 AND status = 'closed' AND created_at < $2",
            &[
                "DELETE FROM events WHERE conversation_id IN (SELECT id FROM conversations WHERE site_id = $1 AND status = 'closed' AND created_at < $2)",
                "DELETE FROM conversation_labels WHERE conversation_id IN (SELECT id FROM conversations WHERE site_id = $1 AND status = 'closed' AND created_at < $2)",
                "DELETE FROM search_lines WHERE conversation_id IN (SELECT id FROM conversations WHERE site_id = $1 AND status = 'closed' AND created_at < $2)",
                "DELETE FROM mail_outbox WHERE conversation_id IN (SELECT id FROM conversations WHERE site_id = $1 AND status = 'closed' AND created_at < $2)",
                "DELETE FROM files WHERE conversation_id IN (SELECT id FROM conversations WHERE site_id = $1 AND status = 'closed' AND created_at < $2)",
                "DELETE FROM conversations WHERE site_id = $1 AND status = 'closed' AND created_at < $2",
            ],
        ),
        "leads" => (
            "SELECT id FROM leads l WHERE site_id = $1 AND updated_at < $2 \
             AND NOT EXISTS (SELECT 1 FROM activity_runs r WHERE r.lead_id = l.id AND r.started_at >= $2) \
             AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.lead_id = l.id AND c.created_at >= $2) \
             AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.lead_id = l.id AND m.created_at * 1000 >= $2)",
            &[
                "DELETE FROM lead_attributes WHERE lead_id IN (SELECT id FROM leads l WHERE site_id = $1 AND updated_at < $2 \
                 AND NOT EXISTS (SELECT 1 FROM activity_runs r WHERE r.lead_id = l.id AND r.started_at >= $2) \
                 AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.lead_id = l.id AND c.created_at >= $2) \
                 AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.lead_id = l.id AND m.created_at * 1000 >= $2))",
                "DELETE FROM leads WHERE id IN (SELECT id FROM leads l WHERE site_id = $1 AND updated_at < $2 \
                 AND NOT EXISTS (SELECT 1 FROM lead_attributes a WHERE a.lead_id = l.id))",
            ],
        ),
        "events" => (
            "SELECT id FROM activity_runs WHERE site_id = $1 AND started_at < $2",
            &[
                "DELETE FROM webhook_deliveries WHERE message_id IN (SELECT id FROM webhook_messages WHERE site_id = $1 AND created_at < $2)",
                "DELETE FROM webhook_messages WHERE site_id = $1 AND created_at < $2",
            ],
        ),
        _ => (
            "SELECT id FROM meetings WHERE site_id = $1 AND end_at * 1000 < $2",
            &[
                "DELETE FROM meeting_emails WHERE meeting_id IN (SELECT id FROM meetings WHERE site_id = $1 AND end_at * 1000 < $2)",
                "DELETE FROM meetings WHERE site_id = $1 AND end_at * 1000 < $2",
            ],
        ),
    }
}

/// How many of `kind` are past `cutoff` (runs, for events).
pub async fn count(db: &Db, site: &str, kind: &str, cutoff: i64) -> sqlx::Result<i64> {
    let (select, _) = selector(kind);
    // Constants only: the selector's statement is one of the table's.
    let sql = ["SELECT COUNT(*) FROM (", select, ") AS gone"].concat();
    sqlx::query_scalar(&sql)
        .bind(site)
        .bind(cutoff)
        .fetch_one(db)
        .await
}

/// Rows deleted per statement: a chunk takes well under a millisecond, and the group
/// commit gets its turn between chunks (`db::WRITE_TURN`), so live chat waits at most
/// that; a pause after each keeps the purge to a fraction of the writing time.
const CHUNK: i64 = 50;
const PAUSE: std::time::Duration = std::time::Duration::from_millis(2);
/// The pause after a chunk, in multiples of the time the chunk took.
const SHARE: u32 = 4;
/// Chunks between the purge's own checkpoints: well under SQLite's 1,000 pages of log.
const CHECKPOINT_EVERY: u64 = 20;

/// The raw activity, deleted a chunk at a time (`$1` site, `$2` cut-off, `$3` chunk):
/// the marks first, then the runs left without marks.
const EVENTS_IN_CHUNKS: [&str; 2] = [
    "DELETE FROM activity_marks WHERE (run_id, seq) IN \
     (SELECT run_id, seq FROM activity_marks WHERE site_id = $1 AND at < $2 LIMIT $3)",
    "DELETE FROM activity_runs WHERE id IN (SELECT id FROM activity_runs r WHERE site_id = $1 \
     AND started_at < $2 AND NOT EXISTS (SELECT 1 FROM activity_marks m WHERE m.run_id = r.id) LIMIT $3)",
];

/// Deletes what of `kind` is past `cutoff`; how many (as `count` counts them).
pub async fn purge(db: &Db, site: &str, kind: &str, cutoff: i64) -> sqlx::Result<i64> {
    let gone = count(db, site, kind, cutoff).await?;
    if kind == "events" {
        // Chunks on a connection of their own that does not wait for the disk: a lost
        // chunk (power cut) is only purged again next hour, and the next durable commit
        // of anyone else makes it durable anyway (the log is written in order).
        // The connection never goes back to the pool, so no other work ever runs on it
        // without waiting for the disk.
        let mut conn = db.acquire().await?;
        conn.close_on_drop();
        let sqlite = db::engine(db) == Engine::Sqlite;
        if sqlite {
            sqlx::query("PRAGMA synchronous = NORMAL")
                .execute(&mut *conn)
                .await?;
        }
        delete_in_chunks(&mut conn, site, cutoff, sqlite).await?;
    }
    let (_, statements) = selector(kind);
    let _turn = WRITE_TURN.lock().await;
    let mut tx = crate::db::begin(db).await?;
    for statement in statements {
        sqlx::query(statement)
            .bind(site)
            .bind(cutoff)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(gone)
}

async fn delete_in_chunks(
    conn: &mut AnyConnection,
    site: &str,
    cutoff: i64,
    sqlite: bool,
) -> sqlx::Result<()> {
    for statement in EVENTS_IN_CHUNKS {
        for chunk in 1.. {
            let started = std::time::Instant::now();
            let turn = WRITE_TURN.lock().await;
            let deleted = sqlx::query(statement)
                .bind(site)
                .bind(cutoff)
                .bind(CHUNK)
                .execute(&mut *conn)
                .await?
                .rows_affected();
            drop(turn);
            if deleted < CHUNK as u64 {
                break;
            }
            // The purge copies its own log back into the database now and then,
            // outside the turn (a passive checkpoint waits for nobody), so the log never
            // grows to SQLite's automatic checkpoint, which would run inside a chat
            // message's commit.
            if sqlite && chunk % CHECKPOINT_EVERY == 0 {
                sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&mut *conn)
                    .await?;
            }
            // The purge takes at most a fifth of the time: on a busy server its chunks
            // (and their waits for a turn) take longer, and so do its pauses.
            tokio::time::sleep(PAUSE.max(started.elapsed() * SHARE)).await;
        }
    }
    Ok(())
}
