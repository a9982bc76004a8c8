//! Retention and a person's rights, for admins (docs/privacy.md): each kind's window,
//! what a shorter one would delete (asked before it is saved), a purge now; erasing a
//! person, and everything about them as JSON.

use super::erase_store::{self, Person};
use super::retention::Windows;
use super::{purge, retention_store};
use crate::access::auth::Admin;
use crate::db::now_ms;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde_json::{json, Value};

/// `GET /api/sites/{site}/retention`
pub async fn windows(
    State(state): State<AppState>,
    _admin: Admin,
    Path(site): Path<String>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(retention_store::windows(&state.db, &site).await?)))
}

/// What these windows would delete now, by kind.
async fn preview(state: &AppState, site: &str, w: &Windows) -> Result<Value, AppError> {
    let mut out = serde_json::Map::new();
    for (kind, cutoff) in w.cutoffs(now_ms() as i64) {
        out.insert(
            kind.into(),
            json!(retention_store::count(&state.db, site, kind, cutoff).await?),
        );
    }
    Ok(Value::Object(out))
}

/// `GET /api/sites/{site}/retention/preview?transcripts_days=&leads_days=&events_days=&meetings_days=`
pub async fn preview_route(
    State(state): State<AppState>,
    _admin: Admin,
    Path(site): Path<String>,
    Query(w): Query<Windows>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(preview(&state, &site, &w).await?))
}

#[derive(serde::Deserialize)]
pub struct Change {
    #[serde(flatten)]
    windows: Windows,
    /// Saves even though it deletes something at the next purge (the preview was seen).
    #[serde(default)]
    confirm: bool,
}

/// `PUT /api/sites/{site}/retention`: new windows. One that would delete anything is
/// refused with the preview until it comes back with `confirm`.
pub async fn set_windows(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path(site): Path<String>,
    Json(change): Json<Change>,
) -> Result<Json<Value>, AppError> {
    let problems = change.windows.problems();
    if !problems.is_empty() {
        return Err(AppError::BadRequest(problems.join("\n")));
    }
    let would = preview(&state, &site, &change.windows).await?;
    let deletes = would
        .as_object()
        .is_some_and(|m| m.values().any(|n| n.as_i64() > Some(0)));
    if deletes && !change.confirm {
        return Err(AppError::Conflict(format!(
            "these windows delete {would} at the next purge: send again with \"confirm\": true"
        )));
    }
    retention_store::set_windows(&state.db, &site, &change.windows, now_ms() as i64).await?;
    let detail = serde_json::to_string(&change.windows).unwrap_or_default();
    crate::console::store::audit(&state.db, &signed_in.agent.id, "retention.set", &site, &detail).await?;
    Ok(Json(json!({ "windows": change.windows, "deletes": would })))
}

/// `POST /api/sites/{site}/retention/purge`: the hourly purge, now.
pub async fn purge_now(
    State(state): State<AppState>,
    _admin: Admin,
    Path(site): Path<String>,
) -> Result<Json<Value>, AppError> {
    // Its own task: a purge of millions outlasts a request, and goes on to the end
    // (audited) whatever happens to this one.
    let db = state.db.clone();
    let round = tokio::spawn(async move { purge::site_round(&db, &site, now_ms() as i64).await });
    let gone = match tokio::time::timeout(purge::ANSWER_WITHIN, round).await {
        Ok(done) => done.map_err(|e| AppError::Internal(anyhow::anyhow!("purge: {e}")))??,
        Err(_) => return Ok(Json(json!({ "running": true }))),
    };
    let gone: serde_json::Map<String, Value> =
        gone.into_iter().map(|(k, n)| (k.to_owned(), json!(n))).collect();
    Ok(Json(Value::Object(gone)))
}

/// Whom to erase or export: by email, or by the browser's id (one of them, at least).
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("anyOf" = [{ "required": ["email"] }, { "required": ["visitor"] }]))]
pub struct Who {
    pub email: Option<String>,
    pub visitor: Option<String>,
}

impl Who {
    pub fn person(self) -> Result<Person, AppError> {
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        if blank(&self.email) && blank(&self.visitor) {
            return Err(AppError::BadRequest(
                "name the person by `email` or `visitor` (the browser's id)".into(),
            ));
        }
        Ok(Person {
            conversation: None,
            // Spelled as leads are keyed (NFC, lower case), so any spelling finds them.
            email: self
                .email
                .filter(|s| !s.trim().is_empty())
                .map(|e| super::leads::email(&e).unwrap_or(e)),
            visitor: self.visitor.filter(|s| !s.trim().is_empty()),
        })
    }
}

/// `POST /api/sites/{site}/erase`: `{"email"}` or `{"visitor"}`; what went, by table.
pub async fn erase(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path(site): Path<String>,
    Json(who): Json<Who>,
) -> Result<Json<Value>, AppError> {
    let counts = erase_person(&state, &site, &who.person()?).await?;
    // The log says that someone was erased, and how much: not who.
    crate::console::store::audit(
        &state.db,
        &signed_in.agent.id,
        "privacy.erase",
        &site,
        &counts.to_string(),
    )
    .await?;
    Ok(Json(json!({ "erased": counts })))
}

/// Erases a person and tells every inbox that shows one of their conversations to
/// drop it; how many rows went, by table.
pub async fn erase_person(state: &AppState, site: &str, person: &Person) -> Result<Value, AppError> {
    let erased = erase_store::erase(&state.db, site, person).await?;
    for conversation in erased.conversations {
        let frame = chinwag_protocol::ServerFrame::Erased { conversation };
        state.fanout.to_inbox(frame);
    }
    Ok(erased.counts)
}

/// `GET /api/sites/{site}/people?email=` (or `visitor=`): everything about a person.
pub async fn export(
    State(state): State<AppState>,
    _admin: Admin,
    Path(site): Path<String>,
    Query(who): Query<Who>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(erase_store::export(&state.db, &site, &who.person()?).await?))
}
