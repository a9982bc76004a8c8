//! The search's queries, one per engine (SQLite's FTS5, PostgreSQL's tsvector), on the
//! lines `db::index_line` keeps. Only what the agent may see: admins everything,
//! others their conversations and unassigned ones.

use super::terms;
use crate::db::{self, Agent, Db, Engine, Role};
use sqlx::Row;

/// The most lines a search answers.
pub const MOST: i64 = 50;

/// A line that matched, with its conversation's visitor (attributes as JSON text).
pub struct Hit {
    pub conversation: String,
    pub seq: i64,
    pub kind: String,
    pub text: String,
    pub attributes: String,
    pub at: i64,
}

/// The newest matching lines first (the order they were written in: a line's row
/// number, which both engines can walk backwards and stop after [`MOST`] without
/// ranking every match), at most [`MOST`].
pub async fn find(db: &Db, words: &[String], agent: &Agent) -> sqlx::Result<Vec<Hit>> {
    let sql = match db::engine(db) {
        Engine::Sqlite => {
            "SELECT s.conversation_id, s.seq, s.kind, s.text, c.attributes, c.active_at FROM search_lines s \
             JOIN conversations c ON c.id = s.conversation_id \
             WHERE search_lines MATCH $1 AND ($2 = 1 OR c.agent_id = $3 OR c.agent_id IS NULL) \
             ORDER BY s.rowid DESC LIMIT $4"
        }
        Engine::Postgres => {
            "SELECT s.conversation_id, s.seq, s.kind, s.text, c.attributes, c.active_at FROM search_lines s \
             JOIN conversations c ON c.id = s.conversation_id \
             WHERE to_tsvector('simple', translate(s.text, '@./:_+-', '       ')) @@ to_tsquery('simple', $1) AND ($2 = 1 OR c.agent_id = $3 OR c.agent_id IS NULL) \
             ORDER BY s.id DESC LIMIT $4"
        }
    };
    let query = match db::engine(db) {
        Engine::Sqlite => terms::fts5(words),
        Engine::Postgres => terms::tsquery(words),
    };
    let rows = sqlx::query(sql)
        .bind(query)
        .bind(i64::from(agent.role == Role::Admin))
        .bind(&agent.id)
        .bind(MOST)
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Hit {
            conversation: r.get(0),
            seq: r.get(1),
            kind: r.get(2),
            text: r.get(3),
            attributes: r.get(4),
            at: r.get(5),
        })
        .collect())
}
