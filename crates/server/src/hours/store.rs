//! The teams' business hours in the `teams` table.

use super::TeamHours;
use crate::db::Db;
use chinwag_scheduling::Availability;

/// Every team with its hours (stored JSON that no longer reads counts as none).
pub async fn all(db: &Db) -> sqlx::Result<TeamHours> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as("SELECT id, hours FROM teams ORDER BY id")
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(team, hours)| (team, hours.and_then(|h| serde_json::from_str(&h).ok())))
        .collect())
}

/// Sets a team's hours (none: always open); false when there is no such team.
pub async fn set(db: &Db, team: &str, hours: Option<&Availability>) -> sqlx::Result<bool> {
    let json = hours.map(|h| serde_json::to_string(h).unwrap_or_default());
    let done = sqlx::query("UPDATE teams SET hours = $1 WHERE id = $2")
        .bind(json)
        .bind(team)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}
