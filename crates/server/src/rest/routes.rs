//! The REST API, `/api/v1/…` (docs/api.md): a site's leads, conversations with their
//! transcripts, meetings and metrics for its own systems, with a key of the site;
//! paginated by cursor. Keys are made and revoked by admins in the console.

use super::extract::{Body, Id, Params};
use super::keys::{self, Key, Scope};
use super::store::{self, Cursor};
use super::types::{Conversation, Erased, Metrics, NewState, Page, Saved, LIMIT_DEFAULT, LIMIT_MAX};
use crate::access::auth::Admin;
use crate::data::privacy_routes::Who;
use crate::data::report::MetricsQuery;
use crate::data::{leads, leads_store};
use crate::error::AppError;
use crate::live::conversation;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use chinwag_protocol::{ConversationState, Role};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A page's query: `limit` (1 to 100, default 50) and the `cursor` a page gave; any
/// other parameter is refused.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    limit: Option<i64>,
    cursor: Option<String>,
}

impl Paging {
    fn parse(&self) -> Result<(Cursor, i64), AppError> {
        let limit = self.limit.unwrap_or(LIMIT_DEFAULT);
        if !(1..=LIMIT_MAX).contains(&limit) {
            return Err(AppError::BadRequest(format!(
                "limit: 1 to {LIMIT_MAX} (not {limit})"
            )));
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
    Params(paging): Params<Paging>,
) -> Result<Json<Page<leads_store::Listed>>, AppError> {
    let (cursor, limit) = paging.parse()?;
    let data = store::leads(&state.db, &key.site, &cursor, limit).await?;
    Ok(Json(page(data, limit, |l| (l.created_at, &l.id))))
}

/// `GET /api/v1/leads/{id}`: the lead, its attributes and activity.
pub async fn lead(
    State(state): State<AppState>,
    key: Key,
    Id(id): Id,
) -> Result<Json<leads_store::Story>, AppError> {
    let story = leads_store::story(&state.db, &key.site, &id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no lead {id}")))?;
    Ok(Json(story))
}

/// The longest attribute name, in bytes of UTF-8.
pub const NAME_MAX: usize = 64;

/// A lead to save: its email and any attributes.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLead {
    /// Trimmed, lower-cased and stored in Unicode NFC (composed and decomposed spellings
    /// are one lead); refused when it holds an invisible character (a zero-width space,
    /// a joiner, a direction mark, a soft hyphen, a byte-order mark).
    #[schemars(length(min = 3, max = 254))]
    pub email: String,
    /// Names of 1 to 64 bytes; values of at most 500 characters once trimmed (a longer
    /// one is refused, never cut); an empty value is ignored; `email` is the field above.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "minLength": 1, "maxLength": 64 }))]
    #[schemars(inner(length(max = 500)))]
    pub attributes: BTreeMap<String, String>,
}

impl NewLead {
    /// The capture to save, or why it is refused: the field and the limit.
    fn capture(self) -> Result<leads::Capture, AppError> {
        for (name, value) in &self.attributes {
            if name.is_empty() || name.len() > NAME_MAX {
                return Err(AppError::BadRequest(format!(
                    "attributes: a name is 1 to {NAME_MAX} bytes (`{}…` has {})",
                    name.chars().take(20).collect::<String>(),
                    name.len()
                )));
            }
            let length = value.trim().chars().count();
            if length > chinwag_dialogue::fields::MAX_LEN {
                return Err(AppError::BadRequest(format!(
                    "attributes.{name}: at most {} characters (this one has {length})",
                    chinwag_dialogue::fields::MAX_LEN
                )));
            }
        }
        if let Some(c) = self
            .email
            .chars()
            .find(|c| chinwag_dialogue::fields::is_invisible(*c))
        {
            return Err(AppError::BadRequest(format!(
                "email: holds an invisible character (U+{:04X}); send the address without it",
                c as u32
            )));
        }
        let mut attributes = self.attributes;
        attributes.insert("email".into(), self.email);
        leads::capture(&attributes).ok_or_else(|| AppError::BadRequest("email: not a valid email".into()))
    }
}

/// `POST /api/v1/leads` (write): saves a known lead (source `api`).
pub async fn save_lead(
    State(state): State<AppState>,
    key: Key,
    Body(body): Body<NewLead>,
) -> Result<Json<Saved>, AppError> {
    key.write()?;
    let capture = body.capture()?;
    let (id, created) = leads_store::save(
        &state.db,
        &key.site,
        &capture,
        &[],
        "api",
        crate::db::now_ms() as i64,
        None,
    )
    .await?;
    Ok(Json(Saved { id, created }))
}

/// `GET /api/v1/conversations`
pub async fn conversations(
    State(state): State<AppState>,
    key: Key,
    Params(paging): Params<Paging>,
) -> Result<Json<Page<super::types::ConversationItem>>, AppError> {
    let (cursor, limit) = paging.parse()?;
    let data = store::conversations(&state.db, &key.site, &cursor, limit).await?;
    Ok(Json(page(data, limit, |c| (c.created_at, &c.id))))
}

/// `GET /api/v1/conversations/{id}`: with its transcript.
pub async fn conversation(
    State(state): State<AppState>,
    key: Key,
    Id(id): Id,
) -> Result<Json<Conversation>, AppError> {
    let conversation = store::conversation_of(&state.db, &key.site, &id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no conversation {id}")))?;
    Ok(Json(Conversation {
        transcript: store::messages(&state.db, &id).await?,
        conversation,
    }))
}

/// `POST /api/v1/conversations/{id}/state` (write): reopens, snoozes or closes a
/// conversation as an agent would; the answer is the conversation as it is then.
pub async fn set_state(
    State(state): State<AppState>,
    key: Key,
    Id(id): Id,
    Body(new): Body<NewState>,
) -> Result<Json<super::types::ConversationItem>, AppError> {
    key.write()?;
    let c = crate::db::conversation(&state.db, &id)
        .await?
        .filter(|c| c.site_id == key.site)
        .ok_or_else(|| AppError::NotFound(format!("no conversation {id}")))?;
    let to = ConversationState::parse(&new.state)
        .ok_or_else(|| AppError::BadRequest("state is open, snoozed or closed".into()))?;
    if new.until.is_some() && to != ConversationState::Snoozed {
        return Err(AppError::BadRequest("until goes with snoozed only".into()));
    }
    match to {
        ConversationState::Open => conversation::reopen(&state, &c, Role::System).await?,
        ConversationState::Snoozed => conversation::snooze(&state, &id, new.until).await?,
        ConversationState::Closed => conversation::close(&state, &id, Role::System).await?,
    }
    store::conversation_of(&state.db, &key.site, &id)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("no conversation {id}")))
}

/// `GET /api/v1/meetings`
pub async fn meetings(
    State(state): State<AppState>,
    key: Key,
    Params(paging): Params<Paging>,
) -> Result<Json<Page<super::types::MeetingItem>>, AppError> {
    let (cursor, limit) = paging.parse()?;
    let data = store::meetings(&state.db, &key.site, &cursor, limit).await?;
    Ok(Json(page(data, limit, |m| (m.created_at, &m.id))))
}

/// `GET /api/v1/dialogues/{id}/metrics`: as docs/metrics.md defines them.
pub async fn metrics(
    State(state): State<AppState>,
    key: Key,
    Id(id): Id,
    Params(query): Params<MetricsQuery>,
) -> Result<Json<Metrics>, AppError> {
    Ok(Json(
        crate::data::report::metrics_of(&state, &key.site, &id, query).await?,
    ))
}

/// `POST /api/v1/erase` (write): erases a person everywhere (docs/privacy.md).
pub async fn erase(
    State(state): State<AppState>,
    key: Key,
    Body(who): Body<Who>,
) -> Result<Json<Erased>, AppError> {
    key.write()?;
    let counts = crate::data::privacy_routes::erase_person(&state, &key.site, &who.person()?).await?;
    let actor = format!("api key {}", key.id);
    crate::console::store::audit(&state.db, &actor, "privacy.erase", &key.site, &counts.to_string()).await?;
    let erased = serde_json::from_value(counts).map_err(|e| AppError::Internal(e.into()))?;
    Ok(Json(Erased { erased }))
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
    _admin: Admin,
    Path(site): Path<String>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(keys::list(&state.db, &site).await?)))
}

/// `POST /api/sites/{site}/api-keys` (admins): the key, shown this once.
pub async fn create_key(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path(site): Path<String>,
    Json(body): Json<NewKey>,
) -> Result<Json<Value>, AppError> {
    let scope: Scope = body
        .scope
        .parse()
        .map_err(|_| AppError::BadRequest("scope is `read` or `write`".into()))?;
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
    Admin(signed_in): Admin,
    Path((site, id)): Path<(String, String)>,
) -> Result<Json<Value>, AppError> {
    if !keys::revoke(&state.db, &site, &id).await? {
        return Err(AppError::NotFound(format!("no key {id} in use")));
    }
    crate::console::store::audit(&state.db, &signed_in.agent.id, "api_key.revoke", &id, "").await?;
    Ok(Json(json!({ "revoked": id })))
}
