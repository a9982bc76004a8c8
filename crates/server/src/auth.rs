//! Agents' passwords (argon2), sessions in HttpOnly SameSite cookies, and CSRF tokens
//! for every state-changing request.

use crate::db::{self, Agent};
use crate::error::AppError;
use crate::state::AppState;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::Method;
use base64::Engine;
use rand::RngCore;

pub const SESSION_COOKIE: &str = "chinwag_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?
        .to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

pub fn session_cookie(id: &str) -> String {
    format!("{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000")
}

pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The logged-in agent. State-changing requests must also carry the session's CSRF
/// token in `X-CSRF-Token`.
pub struct SignedIn {
    pub agent: Agent,
    pub session: String,
    pub csrf: String,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let session = cookie(parts, SESSION_COOKIE)
            .ok_or(AppError::Unauthorized)?
            .to_owned();
        let (agent, csrf) = db::session(&state.db, &session)
            .await?
            .ok_or(AppError::Unauthorized)?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if !safe && !sent.is_some_and(|s| same(s.as_bytes(), csrf.as_bytes())) {
            tracing::warn!("request refused: missing or wrong CSRF token");
            return Err(AppError::Forbidden("missing or wrong CSRF token".into()));
        }
        Ok(SignedIn { agent, session, csrf })
    }
}

impl SignedIn {
    pub fn admin(&self) -> Result<(), AppError> {
        match self.agent.role == "admin" {
            true => Ok(()),
            false => Err(AppError::Forbidden("admins only".into())),
        }
    }
}
