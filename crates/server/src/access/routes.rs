//! Agents' sign-in: sign in, sign out, who am I, and accepting an invitation (limited
//! like sign-ins).

use crate::access::auth::{self, SignedIn};
use crate::db;
use crate::error::AppError;
use crate::peer::Peer;
use crate::state::AppState;
use axum::extract::State;
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

/// `POST /api/login`: email and password; a session cookie and the CSRF token back.
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

/// `POST /api/logout`: the session ends and its cookie goes.
pub async fn logout(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, AppError> {
    db::delete_session(&state.db, &signed_in.session).await?;
    // The same cookie, expired: a browser drops it only when name, path and flags match.
    let mut gone = auth::session_cookie(&state.config, String::new());
    gone.make_removal();
    Ok((CookieJar::new().add(gone), Json(json!({}))).into_response())
}

/// `GET /api/me`: the signed-in agent and the CSRF token (the inbox starts with it).
pub async fn me(signed_in: SignedIn) -> Json<Value> {
    Json(json!({ "agent": signed_in.agent, "csrf": signed_in.csrf }))
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
