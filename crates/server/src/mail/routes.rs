//! `POST /api/mail/inbound`: visitors' answers by email from a provider's inbound
//! webhook (docs/inbox.md, "Answers by email"). The body is the raw mail
//! (`message/rfc822`, as Cloudflare or a script piping from Postfix sends it) or a form
//! with the raw mail in a field `email` (SendGrid's Inbound Parse, "raw") or
//! `body-mime` (Mailgun's routes to a URL ending in `mime`). The provider signs in with
//! `mail_in_secret`: `Authorization: Bearer SECRET`, or as the password of the URL's
//! basic credentials (`https://inbound:SECRET@chat.example.com/api/mail/inbound`).

use super::inbound::{self, Refused};
use super::listener::MAX_MAIL;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use sha2::{Digest, Sha256};

pub async fn inbound(State(state): State<AppState>, request: Request) -> Response {
    let secret = &state.config.mail_in_secret;
    if secret.is_empty() || state.config.mail_in_domain.is_empty() {
        return (StatusCode::NOT_FOUND, "answers by email are off (mail_in_secret)").into_response();
    }
    if !signed_in(request.headers(), secret) {
        return (StatusCode::UNAUTHORIZED, "sign in with mail_in_secret").into_response();
    }
    let raw = match raw_mail(request, &state).await {
        Ok(raw) => raw,
        Err(problem) => return problem.into_response(),
    };
    match inbound::receive(&state, &raw, &[]).await {
        Ok(taken) => Json(serde_json::json!({
            "conversation": taken.conversation,
            "messages": taken.messages,
        }))
        .into_response(),
        // 406: the sender's to fix, and providers such as Mailgun do not retry it;
        // 503 and 429: ours, try again.
        Err(refused @ Refused::Failed(_)) => {
            (StatusCode::SERVICE_UNAVAILABLE, refused.to_string()).into_response()
        }
        Err(refused @ Refused::TooMany(_)) => {
            (StatusCode::TOO_MANY_REQUESTS, refused.to_string()).into_response()
        }
        Err(refused) => (StatusCode::NOT_ACCEPTABLE, refused.to_string()).into_response(),
    }
}

/// Bearer or basic credentials naming `secret` (compared as digests: no timing to read).
fn signed_in(headers: &HeaderMap, secret: &str) -> bool {
    let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let given = if let Some(token) = value.strip_prefix("Bearer ") {
        token.trim().to_owned()
    } else if let Some(basic) = value.strip_prefix("Basic ") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic.trim())
            .unwrap_or_default();
        let decoded = String::from_utf8_lossy(&decoded).into_owned();
        decoded
            .split_once(':')
            .map(|(_, p)| p.to_owned())
            .unwrap_or_default()
    } else {
        return false;
    };
    Sha256::digest(given.as_bytes()) == Sha256::digest(secret.as_bytes())
}

/// The raw mail; else the status (413 for a body over the limit) and why.
async fn raw_mail(request: Request, state: &AppState) -> Result<Vec<u8>, (StatusCode, String)> {
    let form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    if !form {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| (e.status(), e.body_text()))?;
        return Ok(bytes.to_vec());
    }
    let mut form = Multipart::from_request(request, state)
        .await
        .map_err(|e| (e.status(), e.body_text()))?;
    while let Some(field) = form.next_field().await.map_err(|e| (e.status(), e.body_text()))? {
        if matches!(field.name(), Some("email" | "body-mime")) {
            return field
                .bytes()
                .await
                .map(|b| b.to_vec())
                .map_err(|e| (e.status(), e.body_text()));
        }
    }
    Err((
        StatusCode::BAD_REQUEST,
        "the form has no field `email` or `body-mime` with the raw mail".into(),
    ))
}

/// The body limit of the route: a mail of `MAX_MAIL` and its form around it.
pub fn body_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(MAX_MAIL + 64 * 1024)
}
