//! Uploading and serving attachments. A visitor uploads from the site's page (origin
//! checked, their conversation's token in `Authorization`); an agent from the inbox
//! (session and CSRF token). Either way the body is the file's bytes, its type read from
//! them (`kind.rs`), at most `MAX_FILE`; it becomes a message of the conversation whose
//! text is its name. The token, the file's name (which can be personal) and the
//! message's id travel in headers, never in the URL, where proxies' access logs would
//! keep them; so a visitor's browser asks first ([`preflight`]), once per two hours, as
//! the URL is the same for every upload of a site.
//!
//! `GET /files/{id}` serves it so it never runs in our origins: the stored type with
//! `X-Content-Type-Options: nosniff`, a sandboxing CSP, and `Content-Disposition:
//! attachment` unless it is an image of a type on the allow-list.

use super::store;
use crate::access::auth::SignedIn;
use crate::db;
use crate::error::AppError;
use crate::live::agent::may_see;
use crate::page_call::{cors, PageSite};
use crate::peer::Peer;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chinwag_protocol::{Role, MAX_FILE};
use percent_encoding::percent_decode_str;

/// The header with the client's id for the message (a retry is stored once).
const MESSAGE_ID: &str = "chinwag-message-id";
/// The header with the file's name, percent-encoded UTF-8 (headers are ASCII).
const FILE_NAME: &str = "chinwag-file-name";

/// What an upload says about itself: in its headers; in the query (`?id=…&name=…`) from
/// a widget or inbox older than that, still cached in a browser.
#[derive(serde::Deserialize)]
pub struct Described {
    id: Option<String>,
    name: Option<String>,
}

impl Described {
    /// The message's id and the file's name.
    fn read(self, headers: &HeaderMap) -> Result<(String, String), AppError> {
        let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
        let id = header(MESSAGE_ID).map(str::to_owned).or(self.id);
        let name = match header(FILE_NAME) {
            Some(encoded) => Some(
                percent_decode_str(encoded)
                    .decode_utf8()
                    .map_err(|_| AppError::BadRequest(format!("{FILE_NAME} is not percent-encoded UTF-8")))?
                    .into_owned(),
            ),
            None => self.name,
        };
        match (id, name) {
            (Some(id), Some(name)) if !id.is_empty() && !name.is_empty() => Ok((id, name)),
            _ => Err(AppError::BadRequest(format!(
                "the upload names no message id ({MESSAGE_ID}) or no file ({FILE_NAME})"
            ))),
        }
    }
}

/// `POST /api/sites/{site}/files` with `Authorization: Bearer <the conversation's
/// token>`, `Chinwag-Message-Id` and `Chinwag-File-Name`: a visitor's attachment.
pub async fn from_visitor(
    State(state): State<AppState>,
    PageSite(site): PageSite,
    peer: Peer,
    headers: HeaderMap,
    Query(described): Query<Described>,
    body: Bytes,
) -> Response {
    let answer = async {
        state
            .limits
            .upload(peer.0)
            .map_err(|wait| AppError::too_many("attachments", wait))?;
        let refused = || AppError::Forbidden("this chat has ended here: start a new one".into());
        let token = bearer(&headers).ok_or_else(|| {
            AppError::Forbidden("the upload carries no conversation token (Authorization: Bearer …)".into())
        })?;
        let id = state.signer.verify(token).ok_or_else(refused)?;
        let c = db::conversation(&state.db, &id)
            .await?
            .filter(|c| c.site_id == site.id)
            .ok_or_else(refused)?;
        let author = c
            .attributes
            .get("first_name")
            .cloned()
            .unwrap_or_else(|| "Visitor".into());
        let (id, name) = described.read(&headers)?;
        super::attach::attach(&state, &c, Role::Visitor, &author, &id, &name, &body).await
    };
    let response = match answer.await {
        Ok(event) => Json(event).into_response(),
        Err(e) => e.into_response(),
    };
    cors(response, &headers)
}

/// The token of `Authorization: Bearer <token>`.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

/// `OPTIONS /api/sites/{site}/files`: the browser's question before an upload that
/// carries `Authorization` and our headers. Allowed for the site's own origins only (403
/// otherwise, and the browser sends nothing). Browsers keep the answer per URL, which is
/// the same for every upload of a site: they ask again after two hours (Chromium's
/// longest).
pub async fn preflight(PageSite(_): PageSite, headers: HeaderMap) -> Response {
    let mut response = axum::http::StatusCode::NO_CONTENT.into_response();
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("authorization, chinwag-message-id, chinwag-file-name"),
    );
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("7200"));
    cors(response, &headers)
}

/// `POST /api/conversations/{id}/files` with `Chinwag-Message-Id` and
/// `Chinwag-File-Name`: an agent's attachment.
pub async fn from_agent(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(conversation): Path<String>,
    headers: HeaderMap,
    Query(described): Query<Described>,
    body: Bytes,
) -> Result<Json<chinwag_protocol::Event>, AppError> {
    let agent = &signed_in.agent;
    let c = db::conversation(&state.db, &conversation)
        .await?
        .filter(|c| may_see(agent, c))
        .ok_or_else(|| AppError::NotFound("no such conversation".into()))?;
    let (id, name) = described.read(&headers)?;
    super::attach::attach(&state, &c, Role::Agent, &agent.name, &id, &name, &body)
        .await
        .map(Json)
}

/// `GET /files/{id}`.
pub async fn serve(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, AppError> {
    let file = store::get(&state.db, &id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such file".into()))?;
    let inline = chinwag_protocol::IMAGES.contains(&file.mime.as_str());
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        percent(&file.name)
    );
    let mut response = file.bytes.into_response();
    let h = response.headers_mut();
    let value =
        |v: &str| HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, value(&file.mime));
    h.insert(header::CONTENT_DISPOSITION, value(&disposition));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Opened on its own, nothing in it runs and it reaches nothing: no script, no
    // origin (sandbox), only itself shown.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; img-src 'self'; media-src 'self'; sandbox"),
    );
    // The widget shows images on the site's own pages.
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
    // An erased file must not live on in caches.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(response)
}

/// RFC 5987 encoding of a file name for `filename*`.
fn percent(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The body limit of the upload routes: `MAX_FILE` and a little more, so a file just
/// over it gets the clear message rather than a bare 413.
pub fn body_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(MAX_FILE as usize + 1)
}
