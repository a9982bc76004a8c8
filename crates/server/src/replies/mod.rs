//! Saved replies: texts an agent inserts in the reply box with `/shortcut` (the inbox
//! fills their placeholders and leaves them for editing). A team's are kept by admins
//! and offered to its members; every agent keeps their own. docs/inbox.md.

pub mod store;

use crate::access::auth::SignedIn;
use crate::db::{self, Role};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use chinwag_protocol::MAX_TEXT;
use serde::Deserialize;
use serde_json::{json, Value};
use store::{Owner, SavedReply};

/// `GET /api/saved-replies`: the agent's own and their teams' (an admin's: every
/// team's), by shortcut.
pub async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<Vec<SavedReply>>, AppError> {
    let teams = teams_of(&state, &signed_in).await?;
    Ok(Json(
        store::visible_to(&state.db, &signed_in.agent.id, &teams).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReply {
    shortcut: String,
    text: String,
    /// A team's (admins only); without it, the agent's own.
    #[serde(default)]
    team: Option<String>,
}

/// `POST /api/saved-replies`.
pub async fn create(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Json(reply): Json<NewReply>,
) -> Result<Json<Value>, AppError> {
    let shortcut = reply.shortcut.trim().trim_start_matches('/').to_lowercase();
    if shortcut.is_empty()
        || shortcut.chars().count() > 40
        || !shortcut
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::BadRequest(
            "a shortcut has 1 to 40 letters, digits, - and _".into(),
        ));
    }
    let text = reply.text.trim();
    if text.is_empty() || text.chars().count() > MAX_TEXT {
        return Err(AppError::BadRequest(format!(
            "a saved reply has 1 to {MAX_TEXT} characters"
        )));
    }
    let owner = match &reply.team {
        Some(team) => {
            signed_in.admin()?;
            if !db::teams(&state.db).await?.iter().any(|t| &t.id == team) {
                return Err(AppError::BadRequest(format!("there is no team {team}")));
            }
            Owner::Team(team)
        }
        None => Owner::Agent(&signed_in.agent.id),
    };
    let id = crate::ids::new_id();
    if !store::add(&state.db, &id, owner, &shortcut, text, db::now_ms() as i64).await? {
        return Err(AppError::Conflict(match owner {
            Owner::Team(team) => format!("the team {team} has a reply /{shortcut} already"),
            Owner::Agent(_) => format!("you have a reply /{shortcut} already"),
        }));
    }
    Ok(Json(json!({ "id": id, "shortcut": shortcut })))
}

/// `DELETE /api/saved-replies/{id}`: one's own, or (admins) a team's.
pub async fn delete(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let mine = |agent: &Option<String>| agent.as_deref() == Some(signed_in.agent.id.as_str());
    match store::owner(&state.db, &id).await? {
        Some((_, agent)) if mine(&agent) => {}
        Some((Some(_), _)) => signed_in.admin()?,
        // Another agent's own: as if it did not exist.
        _ => return Err(AppError::NotFound("no such saved reply".into())),
    }
    store::delete(&state.db, &id).await?;
    Ok(Json(json!({ "deleted": id })))
}

/// The teams whose replies the agent is offered: their own; an admin's, all.
async fn teams_of(state: &AppState, signed_in: &SignedIn) -> Result<Vec<String>, AppError> {
    if signed_in.agent.role == Role::Admin {
        return Ok(db::teams(&state.db).await?.into_iter().map(|t| t.id).collect());
    }
    Ok(db::routing_agents(&state.db)
        .await?
        .into_iter()
        .find(|a| a.id == signed_in.agent.id)
        .map(|a| a.teams)
        .unwrap_or_default())
}
