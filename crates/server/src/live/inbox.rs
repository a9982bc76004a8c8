//! What the inbox reads besides its socket: the conversations an agent may see, one
//! conversation's events, and the directory of agents and teams for transfers.

use crate::access::auth::SignedIn;
use crate::db;
use crate::error::AppError;
use crate::live::agent::may_see;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

/// `GET /api/conversations`: the latest 200 an agent may see (admins: all).
pub async fn conversations(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(
        db::conversations_for(&state.db, &signed_in.agent).await?
    )))
}

/// `GET /api/conversations/{id}/events`: one conversation and its stored events.
pub async fn events(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let c = db::conversation(&state.db, &id)
        .await?
        .filter(|c| may_see(&signed_in.agent, c));
    let c = c.ok_or_else(|| AppError::NotFound("no such conversation".into()))?;
    Ok(Json(
        json!({ "conversation": c, "events": db::events_after(&state.db, &id, 0).await? }),
    ))
}

/// `GET /api/directory`: agents and teams, for transfers.
pub async fn directory(State(state): State<AppState>, _signed_in: SignedIn) -> Result<Json<Value>, AppError> {
    Ok(Json(json!({
        "agents": db::agents(&state.db).await?,
        "teams": db::teams(&state.db).await?,
        // Each agent's teams, in the console's agents list.
        "memberships": db::routing_agents(&state.db).await?.into_iter().map(|a| (a.id, a.teams)).collect::<std::collections::BTreeMap<_, _>>(),
    })))
}
