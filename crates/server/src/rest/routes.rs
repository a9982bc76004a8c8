//! The REST API, `/api/v1/…` (docs/api.md): a site's leads, conversations with their
//! transcripts, meetings and metrics for its own systems, with a key of the site;
//! paginated by cursor. Keys are made and revoked by admins in the console.

use super::keys::{self, Key, Scope};
use super::store::{self, Cursor};
use super::types::{Conversation, Page, Saved};
use crate::auth::SignedIn;
use crate::data::privacy_routes::Who;
use crate::data::routes::MetricsQuery;
use crate::data::{erase_store, leads, leads_store};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A page's query: `limit` (1 to 100, default 50) and the `cursor` a page gave.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    limit: Option<i64>,
    cursor: Option<String>,
}

impl Paging {
    fn parse(&self) -> Result<(Cursor, i64), AppError> {
        let limit = self.limit.unwrap_or(50);
        if !(1..=100).contains(&limit) {
            return Err(AppError::BadRequest("limit is 1 to 100".into()));
        }
        let cursor = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => {
                let (at, id) = c
                    .split_once(':')
                    .ok_or_else(|| AppError::BadRequest("not a cursor of this API".into()))?;
                let at = at
                    .parse()
                    .map_err(|_| AppError::BadRequest("not a cursor of this API".into()))?;
                Some((at, id.to_owned()))
            }
        };
        Ok((cursor, limit))
    }
}

/// A page from `limit` items; the cursor after the last when the page is full.
fn page<T>(data: Vec<T>, limit: i64, key: impl Fn(&T) -> (i64, &str)) -> Page<T> {
    let next_cursor = (data.len() as i64 == limit)
        .then(|| data.last().map(&key))
        .flatten()
        .map(|(at, id)| format!("{at}:{id}"));
    Page { data, next_cursor }
}

/// `GET /api/v1/leads`
pub async fn leads_page(
    State(state): State<AppState>,
    key: Key,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<leads_store::Listed>>, AppError> {
    let (cursor, limit) = paging.parse()?;
    let data = store::leads(&state.db, &key.site, &cursor, limit).await?;
    Ok(Json(page(data, limit, |l| (l.created_at, &l.id))))
}

/// `GET /api/v1/leads/{id}`: the lead, its attributes and activity.
pub async fn lead(
    State(state): State<AppState>,
    key: Key,
    Path(id): Path<String>,
) -> Result<Json<leads_store::Story>, AppError> {
    let story = leads_store::story(&state.db, &key.site, &id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no lead {id}")))?;
    Ok(Json(story))
}

/// A lead to save: its email and any attributes.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLead {
    pub email: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

/// `POST /api/v1/leads` (write): saves a known lead (source `api`).
pub async fn save_lead(
    State(state): State<AppState>,
    key: Key,
    Json(body): Json<NewLead>,
) -> Result<Json<Saved>, AppError> {
    key.write()?;
    let mut attributes = body.attributes;
    attributes.insert("email".into(), body.email);
    let capture =
        leads::capture(&attributes).ok_or_else(|| AppError::BadRequest("email: not a valid email".into()))?;
    let (id, created) = leads_store::save(
        &state.db,
        &key.site,
        &capture,
        &[],
        "api",
        crate::db::now_ms() as i64,
    )
    .await?;
    Ok(Json(Saved { id, created }))
}

/// `GET /api/v1/conversations`
pub async fn conversations(
    State(state): State<AppState>,
    key: Key,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<super::types::ConversationItem>>, AppError> {
    let (cursor, limit) = paging.parse()?;
    let data = store::conversations(&state.db, &key.site, &cursor, limit).await?;
    Ok(Json(page(data, limit, |c| (c.created_at, &c.id))))
}

/// `GET /api/v1/conversations/{id}`: with its transcript.
pub async fn conversation(
    State(state): State<AppState>,
    key: Key,
    Path(id): Path<String>,
) -> Result<Json<Conversation>, AppError> {
    let conversation = store::conversation_of(&state.db, &key.site, &id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no conversation {id}")))?;
    Ok(Json(Conversation {
        transcript: store::messages(&state.db, &id).await?,
        conversation,
    }))
}

/// `GET /api/v1/meetings`
pub async fn meetings(
    State(state): State<AppState>,
    key: Key,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<super::types::MeetingItem>>, AppError> {
    let (cursor, limit) = paging.parse()?;
    let data = store::meetings(&state.db, &key.site, &cursor, limit).await?;
    Ok(Json(page(data, limit, |m| (m.created_at, &m.id))))
}

/// `GET /api/v1/dialogues/{id}/metrics`: as docs/metrics.md defines them.
pub async fn metrics(
    State(state): State<AppState>,
    key: Key,
    Path(id): Path<String>,
    Query(query): Query<MetricsQuery>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(
        crate::data::routes::metrics_of(&state, &key.site, &id, query).await?,
    ))
}

/// `POST /api/v1/erase` (write): erases a person everywhere (docs/privacy.md).
pub async fn erase(
    State(state): State<AppState>,
    key: Key,
    Json(who): Json<Who>,
) -> Result<Json<Value>, AppError> {
    key.write()?;
    let counts = erase_store::erase(&state.db, &key.site, &who.person()?).await?;
    let actor = format!("api key {}", key.id);
    crate::console::store::audit(&state.db, &actor, "privacy.erase", &key.site, &counts.to_string()).await?;
    Ok(Json(json!({ "erased": counts })))
}

/// `GET /api/v1/openapi.json`: this API described (OpenAPI 3.1).
pub async fn openapi() -> Json<Value> {
    Json(super::openapi::document())
}

/// A key to make, in the console.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewKey {
    name: String,
    scope: String,
}

/// `GET /api/sites/{site}/api-keys` (admins)
pub async fn list_keys(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(site): Path<String>,
) -> Result<Json<Value>, AppError> {
    signed_in.admin()?;
    Ok(Json(json!(keys::list(&state.db, &site).await?)))
}

/// `POST /api/sites/{site}/api-keys` (admins): the key, shown this once.
pub async fn create_key(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(site): Path<String>,
    Json(body): Json<NewKey>,
) -> Result<Json<Value>, AppError> {
    signed_in.admin()?;
    let scope = match body.scope.as_str() {
        "read" => Scope::Read,
        "write" => Scope::Write,
        _ => return Err(AppError::BadRequest("scope is `read` or `write`".into())),
    };
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::BadRequest("name the key (1 to 80 characters)".into()));
    }
    let (listed, key) = keys::create(&state.db, &site, name, scope).await?;
    crate::console::store::audit(&state.db, &signed_in.agent.id, "api_key.create", &listed.id, name).await?;
    Ok(Json(json!({ "key": listed, "secret": key })))
}

/// `DELETE /api/sites/{site}/api-keys/{id}` (admins): revoked at once.
pub async fn revoke_key(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((site, id)): Path<(String, String)>,
) -> Result<Json<Value>, AppError> {
    signed_in.admin()?;
    if !keys::revoke(&state.db, &site, &id).await? {
        return Err(AppError::NotFound(format!("no key {id} in use")));
    }
    crate::console::store::audit(&state.db, &signed_in.agent.id, "api_key.revoke", &id, "").await?;
    Ok(Json(json!({ "revoked": id })))
}
