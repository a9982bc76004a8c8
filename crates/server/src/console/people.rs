//! The console's agents and teams: create, invite, change access and teams, and the
//! round-robin order routing will follow.

use crate::access::auth::Admin;
use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub struct NewAgent {
    name: String,
    email: String,
    /// Empty: the agent sets their own with an invitation link.
    #[serde(default)]
    password: String,
    #[serde(default = "agent_role")]
    role: String,
    #[serde(default)]
    teams: Vec<String>,
}

fn agent_role() -> String {
    "agent".into()
}

/// `POST /api/agents`: a new agent, with a password or an invitation link.
pub async fn create_agent(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Json(new): Json<NewAgent>,
) -> Result<Json<Value>, AppError> {
    let invite = new.password.is_empty();
    // Invited: a password nobody knows until the agent sets theirs with the link.
    let password = if invite {
        db::new_id() + &db::new_id()
    } else {
        new.password.clone()
    };
    let id =
        super::setup::add_agent(&state.db, &new.name, &new.email, &password, &new.role, &new.teams).await?;
    super::store::audit(&state.db, &signed_in.agent.id, "agent.create", &id, &new.role).await?;
    let invitation = match invite {
        true => Some(invitation_link(
            &state,
            &crate::access::invitation::create(&state.db, &id).await?,
        )),
        false => None,
    };
    Ok(Json(json!({ "id": id, "invitation": invitation })))
}

fn invitation_link(state: &AppState, token: &str) -> String {
    format!(
        "{}/inbox/#invite={token}",
        state.meetings.public_url.trim_end_matches('/')
    )
}

/// `POST /api/agents/{id}/invitation`: a new one-time link for the agent to set their
/// password (an earlier unused one stops working).
pub async fn invite_agent(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    db::agent(&state.db, &id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no agent {id}")))?;
    let token = crate::access::invitation::create(&state.db, &id).await?;
    super::store::audit(&state.db, &signed_in.agent.id, "agent.invite", &id, "").await?;
    Ok(Json(json!({ "invitation": invitation_link(&state, &token) })))
}

#[derive(Deserialize)]
pub struct Access {
    active: Option<bool>,
    live_chat: Option<bool>,
    teams: Option<Vec<String>>,
    /// Capacity: the most open chats routing gives them at once, 1 to 100.
    max_chats: Option<u32>,
}

/// The largest capacity an admin may give.
const MOST_CHATS: u32 = 100;

/// `PUT /api/agents/{id}`: deactivate or reactivate, the live-chat permission, the
/// agent's teams, their capacity. A deactivated agent's open chats go back to routing
/// at once; more room serves the queue at once.
pub async fn update_agent(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path(id): Path<String>,
    Json(access): Json<Access>,
) -> Result<Json<Value>, AppError> {
    let agent = db::agent(&state.db, &id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no agent {id}")))?;
    if access.active == Some(false) && id == signed_in.agent.id {
        return Err(AppError::BadRequest(
            "you cannot deactivate yourself: ask another admin".into(),
        ));
    }
    let (active, live_chat) = (
        access.active.unwrap_or(agent.active),
        access.live_chat.unwrap_or(agent.live_chat),
    );
    if let Some(max) = access.max_chats {
        if !(1..=MOST_CHATS).contains(&max) {
            return Err(AppError::BadRequest(format!("max_chats is 1 to {MOST_CHATS}")));
        }
    }
    db::set_access(&state.db, &id, active, live_chat).await?;
    if let Some(max) = access.max_chats {
        db::set_max_chats(&state.db, &id, max).await?;
        crate::live::conversation::serve_queue_soon(&state);
    }
    if let Some(teams) = &access.teams {
        let known: Vec<String> = db::teams(&state.db).await?.into_iter().map(|t| t.id).collect();
        if let Some(unknown) = teams.iter().find(|t| !known.contains(t)) {
            return Err(AppError::BadRequest(format!("there is no team {unknown}")));
        }
        db::set_teams(&state.db, &id, teams).await?;
    }
    let mut rerouted = 0;
    if !active {
        for conversation in db::open_conversations_of(&state.db, &id).await? {
            let fallback = "Your agent has left; someone else will answer here.";
            crate::live::conversation::reroute(&state, &conversation, fallback).await?;
            rerouted += 1;
        }
    }
    let detail = format!(
        "active {active}, live chat {live_chat}, teams {:?}, max chats {:?}",
        access.teams, access.max_chats
    );
    super::store::audit(&state.db, &signed_in.agent.id, "agent.update", &id, &detail).await?;
    Ok(Json(
        json!({ "id": id, "active": active, "live_chat": live_chat, "rerouted": rerouted }),
    ))
}

/// `GET /api/routing`: each round-robin pool (everyone, then each team) with its
/// members in the order the next conversation tries them, and who got the last one.
pub async fn routing_order(State(state): State<AppState>, _admin: Admin) -> Result<Json<Value>, AppError> {
    use crate::live::routing::{order, Pool};
    let agents = db::routing_agents(&state.db).await?;
    let positions = db::positions(&state.db).await?;
    let pools = std::iter::once((Pool::Everyone, "Everyone".to_owned())).chain(
        db::teams(&state.db)
            .await?
            .into_iter()
            .map(|t| (Pool::Team(t.id), t.name)),
    );
    let list: Vec<Value> = pools
        .map(|(pool, name)| {
            let members: Vec<Value> = order(&pool, &agents, &positions)
                .iter()
                .map(|a| json!({ "id": a.id, "available": a.status == chinwag_protocol::AgentStatus::Available }))
                .collect();
            json!({ "pool": pool.key(), "name": name, "previous": positions.get(&pool.key()), "order": members })
        })
        .collect();
    Ok(Json(json!(list)))
}

#[derive(Deserialize)]
pub struct NewTeam {
    id: String,
    name: String,
}

/// `POST /api/teams`
pub async fn create_team(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Json(team): Json<NewTeam>,
) -> Result<Json<Value>, AppError> {
    if team.id.is_empty()
        || !team
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::BadRequest(
            "a team id has letters, digits, - and _ only".into(),
        ));
    }
    db::create_team(&state.db, &team.id, &team.name).await?;
    super::store::audit(
        &state.db,
        &signed_in.agent.id,
        "team.create",
        &team.id,
        &team.name,
    )
    .await?;
    Ok(Json(json!({ "id": team.id })))
}
