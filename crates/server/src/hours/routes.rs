//! `PUT /api/teams/{id}/hours`: an admin sets a team's business hours, or clears them
//! (`null`: always open).

use crate::access::auth::Admin;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use chinwag_scheduling::Availability;
use serde_json::{json, Value};

pub async fn set(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path(team): Path<String>,
    Json(hours): Json<Option<Availability>>,
) -> Result<Json<Value>, AppError> {
    if let Some(h) = &hours {
        let problems: Vec<String> = h
            .problems()
            .into_iter()
            .map(|(p, m)| format!("{p}: {m}"))
            .collect();
        if !problems.is_empty() {
            return Err(AppError::BadRequest(problems.join("\n")));
        }
    }
    if !super::store::set(&state.db, &team, hours.as_ref()).await? {
        return Err(AppError::NotFound(format!("there is no team {team}")));
    }
    let said = hours.as_ref().map_or("always open".to_owned(), |h| {
        serde_json::to_string(h).unwrap_or_default()
    });
    crate::console::store::audit(&state.db, &signed_in.agent.id, "team.hours", &team, &said).await?;
    Ok(Json(json!({ "team": team, "hours": hours })))
}
