//! Saved replies in the database (migration 0021).

use crate::db::Db;
use serde::Serialize;

/// A saved reply as the inbox lists it: `team` set for a team's, unset for the
/// agent's own.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct SavedReply {
    pub id: String,
    #[sqlx(rename = "team_id")]
    pub team: Option<String>,
    pub shortcut: String,
    pub text: String,
}

/// `agent`'s own replies and those of `teams`, by shortcut.
pub async fn visible_to(db: &Db, agent: &str, teams: &[String]) -> sqlx::Result<Vec<SavedReply>> {
    // One order on both engines (they sort NULL apart): own replies before a team's.
    let sql = [
        "SELECT id, team_id, shortcut, text FROM saved_replies WHERE agent_id = $1 OR team_id IN ",
        &crate::db::in_list(2, teams.len()),
        " ORDER BY shortcut, team_id IS NOT NULL, team_id",
    ]
    .concat();
    let mut query = sqlx::query_as(&sql).bind(agent);
    for team in teams {
        query = query.bind(team);
    }
    query.fetch_all(db).await
}

/// Stores a reply of a team (`team`) or of `agent`; `false` when its owner already has
/// one with this shortcut.
pub async fn add(
    db: &Db,
    id: &str,
    owner: Owner<'_>,
    shortcut: &str,
    text: &str,
    at: i64,
) -> sqlx::Result<bool> {
    let (team, agent) = match owner {
        Owner::Team(team) => (Some(team), None),
        Owner::Agent(agent) => (None, Some(agent)),
    };
    let done = sqlx::query(
        "INSERT INTO saved_replies (id, team_id, agent_id, shortcut, text, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(team)
    .bind(agent)
    .bind(shortcut)
    .bind(text)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whose a reply is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner<'a> {
    Team(&'a str),
    Agent(&'a str),
}

/// The owner of reply `id`, if there is one.
pub async fn owner(db: &Db, id: &str) -> sqlx::Result<Option<(Option<String>, Option<String>)>> {
    sqlx::query_as("SELECT team_id, agent_id FROM saved_replies WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn delete(db: &Db, id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM saved_replies WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
