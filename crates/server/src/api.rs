//! HTTP handlers: parse, call the data layer or a domain function, map errors.

use crate::access::auth::{self, Admin, SignedIn};
use crate::db;
use crate::error::AppError;
use crate::live::agent::may_see;
use crate::peer::Peer;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub struct Login {
    email: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    Peer(ip): Peer,
    Json(login): Json<Login>,
) -> Result<Response, AppError> {
    let account = crate::access::sign_in::account(&login.email);
    let attempt = match crate::access::sign_in::attempt(&state, &account, ip, "sign-in attempts").await {
        Ok(attempt) => attempt,
        Err(refused) => {
            crate::telemetry::login_failed("rate_limited");
            return Err(refused);
        }
    };
    let found = db::agent_login(&state.db, &login.email).await?;
    let Some((agent, hash)) = found.filter(|(_, hash)| auth::verify_password(&login.password, hash)) else {
        tracing::warn!("login refused: wrong email or password");
        crate::telemetry::login_failed("password");
        return Err(AppError::Forbidden("wrong email or password".into()));
    };
    drop(hash);
    attempt.succeeded(&state.db).await;
    if !agent.active {
        tracing::warn!(agent = %agent.id, "login refused: deactivated");
        return Err(AppError::Forbidden(
            "this account is deactivated: ask an admin".into(),
        ));
    }
    let (session, csrf) = db::create_session(&state.db, &agent.id).await?;
    let jar = CookieJar::new().add(auth::session_cookie(&state.config, session));
    Ok((jar, Json(json!({ "agent": agent, "csrf": csrf }))).into_response())
}

pub async fn logout(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, AppError> {
    db::delete_session(&state.db, &signed_in.session).await?;
    // The same cookie, expired: a browser drops it only when name, path and flags match.
    let mut gone = auth::session_cookie(&state.config, String::new());
    gone.make_removal();
    Ok((CookieJar::new().add(gone), Json(json!({}))).into_response())
}

pub async fn me(signed_in: SignedIn) -> Json<Value> {
    Json(json!({ "agent": signed_in.agent, "csrf": signed_in.csrf }))
}

pub async fn conversations(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(
        db::conversations_for(&state.db, &signed_in.agent).await?
    )))
}

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
        crate::admin::add_agent(&state.db, &new.name, &new.email, &password, &new.role, &new.teams).await?;
    crate::console::store::audit(&state.db, &signed_in.agent.id, "agent.create", &id, &new.role).await?;
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
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Json<Value>, AppError> {
    db::agent(&state.db, &id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no agent {id}")))?;
    let token = crate::access::invitation::create(&state.db, &id).await?;
    crate::console::store::audit(&state.db, &signed_in.agent.id, "agent.invite", &id, "").await?;
    Ok(Json(json!({ "invitation": invitation_link(&state, &token) })))
}

#[derive(Deserialize)]
pub struct Acceptance {
    token: String,
    password: String,
}

/// `POST /api/invitations/accept`: the invited agent's password (limited like sign-ins).
pub async fn accept_invitation(
    State(state): State<AppState>,
    Peer(ip): Peer,
    Json(a): Json<Acceptance>,
) -> Result<Json<Value>, AppError> {
    // Per address: tokens cannot be guessed, but each try costs an argon2 hash.
    let key = format!("invitation:{ip:?}");
    let attempt = crate::access::sign_in::attempt(&state, &key, ip, "attempts").await?;
    let email = crate::access::invitation::accept(&state.db, &a.token, &a.password).await?;
    attempt.succeeded(&state.db).await;
    Ok(Json(json!({ "email": email })))
}

#[derive(Deserialize)]
pub struct Access {
    active: Option<bool>,
    live_chat: Option<bool>,
    teams: Option<Vec<String>>,
}

/// `PUT /api/agents/{id}`: deactivate or reactivate, the live-chat permission, the
/// agent's teams. A deactivated agent's open chats go back to routing at once.
pub async fn update_agent(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    axum::extract::Path(id): axum::extract::Path<String>,
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
    db::set_access(&state.db, &id, active, live_chat).await?;
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
            crate::live::conversation::reroute(&state, &conversation).await?;
            rerouted += 1;
        }
    }
    let detail = format!("active {active}, live chat {live_chat}, teams {:?}", access.teams);
    crate::console::store::audit(&state.db, &signed_in.agent.id, "agent.update", &id, &detail).await?;
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
    crate::console::store::audit(
        &state.db,
        &signed_in.agent.id,
        "team.create",
        &team.id,
        &team.name,
    )
    .await?;
    Ok(Json(json!({ "id": team.id })))
}

/// The page's `data-locale` and the browser's language, sent by the loader.
#[derive(Deserialize)]
pub struct LocaleQuery {
    locale: Option<String>,
    lang: Option<String>,
}

/// A site's dialogues, appearance and texts for the widget, to allowed origins only
/// (with CORS for them).
pub async fn site_config(
    State(state): State<AppState>,
    Path(site): Path<String>,
    Query(query): Query<LocaleQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let site = crate::page_call::site(&state, &site, &headers, "site config").await?;
    // The site's switch: off, no dialogue at all.
    let dialogues = match site.chat_enabled {
        true => db::dialogues(&state.db, &site.id).await?,
        false => Vec::new(),
    };
    let config = crate::widget_config::widget_config(
        &site,
        &dialogues,
        query.locale.as_deref().filter(|l| !l.is_empty()),
        query.lang.as_deref().filter(|l| !l.is_empty()),
    );
    Ok(crate::page_call::cors(Json(config).into_response(), &headers))
}

/// Replaces a site's appearance (admins only).
pub async fn put_appearance(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path(site): Path<String>,
    body: String,
) -> Result<Json<Value>, AppError> {
    crate::admin::put_appearance(&state.db, &site, &body).await?;
    crate::console::store::audit(&state.db, &signed_in.agent.id, "site.appearance", &site, &body).await?;
    Ok(Json(json!({ "site": site })))
}

/// Agents and teams, for transfers.
pub async fn directory(State(state): State<AppState>, _signed_in: SignedIn) -> Result<Json<Value>, AppError> {
    Ok(Json(json!({
        "agents": db::agents(&state.db).await?,
        "teams": db::teams(&state.db).await?,
        // Each agent's teams, in the console's agents list.
        "memberships": db::routing_agents(&state.db).await?.into_iter().map(|a| (a.id, a.teams)).collect::<std::collections::BTreeMap<_, _>>(),
    })))
}
