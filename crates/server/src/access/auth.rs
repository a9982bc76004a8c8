//! Agents' passwords (argon2), sessions in HttpOnly SameSite cookies, and CSRF tokens
//! for every state-changing request.

use crate::config::Config;
use crate::db::{self, Agent};
use crate::error::AppError;
use crate::state::AppState;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::Method;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

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

pub use crate::ids::random_token;

/// Compares two secrets in time that does not depend on where they differ.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// Whether agents reach the server over https (its public URL says so): the session
/// cookie is then `Secure` and named `__Host-…` (which browsers keep only when it is
/// Secure, for the whole host, from that host: no subdomain can set or shadow it).
fn https(config: &Config) -> bool {
    config.public_url.starts_with("https://")
}

/// The session cookie's name.
pub fn session_name(config: &Config) -> &'static str {
    match https(config) {
        true => "__Host-chinwag_session",
        false => "chinwag_session",
    }
}

/// The session cookie (the one place it is made): for this host, never readable by
/// scripts, never sent from another site, 30 days.
pub fn session_cookie(config: &Config, id: String) -> Cookie<'static> {
    Cookie::build((session_name(config), id))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(https(config))
        .max_age(cookie::time::Duration::days(30))
        .build()
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
        let session = CookieJar::from_headers(&parts.headers)
            .get(session_name(&state.config))
            .ok_or(AppError::Unauthorized)?
            .value()
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
        match self.agent.role == crate::db::Role::Admin {
            true => Ok(()),
            false => Err(AppError::Forbidden("admins only".into())),
        }
    }
}

/// An admin signed in: the extractor of every console call, refused with 403 for an
/// agent before anything of the request is read.
pub struct Admin(pub SignedIn);

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let signed_in = SignedIn::from_request_parts(parts, state).await?;
        signed_in.admin()?;
        Ok(Admin(signed_in))
    }
}
