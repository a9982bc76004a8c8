//! What the inbox reads besides its socket: the conversations an agent may see, one
//! conversation's events, and the directory of agents and teams for transfers.

use crate::access::auth::SignedIn;
use crate::db;
use crate::error::AppError;
use crate::labels;
use crate::live::agent::may_see;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use chinwag_protocol::ConversationState;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub struct InState {
    state: Option<String>,
}

/// `GET /api/conversations[?state=open|snoozed|closed]`: of each state asked for (all
/// three without `state`), the 200 an agent may see (admins: all) with the newest
/// activity, each with the ids of its labels.
pub async fn conversations(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(query): Query<InState>,
) -> Result<Json<Value>, AppError> {
    let states = match query.state.as_deref() {
        None => vec![
            ConversationState::Open,
            ConversationState::Snoozed,
            ConversationState::Closed,
        ],
        Some(name) => vec![ConversationState::parse(name)
            .ok_or_else(|| AppError::BadRequest(format!("no state {name}: open, snoozed or closed")))?],
    };
    let mut list = Vec::new();
    for s in states {
        list.extend(db::conversations_for(&state.db, &signed_in.agent, s).await?);
    }
    let ids: Vec<String> = list.iter().map(|c| c.id.clone()).collect();
    let mut labels = labels::store::on(&state.db, &ids).await?;
    let list: Vec<Value> = list
        .into_iter()
        .map(|c| {
            let on = labels.remove(&c.id).unwrap_or_default();
            let mut c = json!(c);
            c["labels"] = json!(on);
            c
        })
        .collect();
    Ok(Json(json!(list)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelsOn {
    labels: Vec<String>,
}

/// `PUT /api/conversations/{id}/labels`: exactly these labels on it, by an agent who
/// may see it.
pub async fn put_labels(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Json(body): Json<LabelsOn>,
) -> Result<Json<Value>, AppError> {
    db::conversation(&state.db, &id)
        .await?
        .filter(|c| may_see(&signed_in.agent, c))
        .ok_or_else(|| AppError::NotFound("no such conversation".into()))?;
    let known = labels::store::all(&state.db).await?;
    if let Some(unknown) = body.labels.iter().find(|l| !known.iter().any(|k| &k.id == *l)) {
        return Err(AppError::BadRequest(format!("there is no label {unknown}")));
    }
    labels::store::set_on(&state.db, &id, &body.labels).await?;
    Ok(Json(json!({ "labels": body.labels })))
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

/// The teams, each with its business hours (none: always open).
async fn teams_with_hours(state: &AppState) -> Result<Vec<Value>, AppError> {
    let hours = crate::hours::store::all(&state.db).await?;
    let teams = db::teams(&state.db).await?;
    Ok(teams
        .into_iter()
        .map(|t| {
            let h = hours
                .iter()
                .find(|(id, _)| *id == t.id)
                .and_then(|(_, h)| h.as_ref());
            json!({ "id": t.id, "name": t.name, "hours": h })
        })
        .collect())
}

/// `GET /api/directory`: agents and teams (with their hours), for transfers and the
/// console.
pub async fn directory(State(state): State<AppState>, _signed_in: SignedIn) -> Result<Json<Value>, AppError> {
    Ok(Json(json!({
        "agents": db::agents(&state.db).await?,
        "teams": teams_with_hours(&state).await?,
        // Each agent's teams, in the console's agents list.
        "memberships": db::routing_agents(&state.db).await?.into_iter().map(|a| (a.id, a.teams)).collect::<std::collections::BTreeMap<_, _>>(),
    })))
}
