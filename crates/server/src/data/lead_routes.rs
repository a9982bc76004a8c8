//! Leads for admins (docs/leads.md): the list with search, one lead's story, CSV out
//! and in.

use super::leads_store;
use crate::access::auth::Admin;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use serde_json::{json, Value};
use sqlx::Row;
use std::collections::BTreeMap;

#[derive(Debug, Default, serde::Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

/// `GET /api/sites/{site}/leads?q=`: the 200 latest leads (that match `q`).
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    Path(site): Path<String>,
    Query(search): Query<Search>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(
        leads_store::list(&state.db, &site, &search.q, 200).await?
    )))
}

/// `GET /api/sites/{site}/leads/{id}`: the lead, its attributes with where and when
/// each was captured, and everything it did, oldest first.
pub async fn story(
    State(state): State<AppState>,
    _admin: Admin,
    Path((site, id)): Path<(String, String)>,
) -> Result<Json<Value>, AppError> {
    let story = leads_store::story(&state.db, &site, &id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no lead {id}")))?;
    Ok(Json(json!(story)))
}

/// `GET /api/sites/{site}/leads.csv`: every lead with its name and company, by email.
pub async fn export(
    State(state): State<AppState>,
    _admin: Admin,
    Path(site): Path<String>,
) -> Result<Response, AppError> {
    let leads = sqlx::query(concat!(
        "SELECT ",
        leads_store::listed!(),
        " WHERE l.site_id = $1 ORDER BY l.email"
    ))
    .bind(&site)
    .fetch_all(&state.db)
    .await?;
    let rows = leads.into_iter().map(|r| {
        let text = |name: &str| r.get::<Option<String>, _>(name).unwrap_or_default();
        [
            text("email"),
            text("first_name"),
            text("last_name"),
            text("company"),
            r.get::<i64, _>("created_at").to_string(),
            r.get::<i64, _>("updated_at").to_string(),
        ]
    });
    Ok(crate::csv::download(
        "leads.csv",
        crate::csv::table(&EXPORTED, rows),
    ))
}

/// The export's columns. An import reads the same file back: the first four are
/// attributes; the times say when this server learned of the lead and are not imported.
const EXPORTED: [&str; 6] = [
    "email",
    "first_name",
    "last_name",
    "company",
    "created_at",
    "updated_at",
];

/// `POST /api/sites/{site}/leads/import`: known leads from CSV (a header row naming an
/// `email` column and any attributes; one row per lead, cells quoted as RFC 4180 says,
/// line breaks in quoted cells included), so "skip if known" and targeting work for
/// people the site already knows. Rows without a valid email are reported, not saved.
pub async fn import(
    State(state): State<AppState>,
    _admin: Admin,
    Path(site): Path<String>,
    body: String,
) -> Result<Json<Value>, AppError> {
    let (names, rows) = crate::csv::read(&body).map_err(|e| AppError::BadRequest(format!("not CSV: {e}")))?;
    if !names.iter().any(|n| n == "email") {
        return Err(AppError::BadRequest(
            "the first line must name the columns, one of them `email`".into(),
        ));
    }
    let (mut saved, mut refused) = (0, Vec::new());
    let at = crate::db::now_ms() as i64;
    for (line, cells) in rows {
        let attributes: BTreeMap<String, String> = names
            .iter()
            .cloned()
            .zip(cells)
            .filter(|(name, _)| name != "created_at" && name != "updated_at")
            .collect();
        match super::leads::capture(&attributes) {
            Some(capture) => {
                leads_store::save(&state.db, &site, &capture, &[], "import", at, None).await?;
                saved += 1;
            }
            None => refused.push(format!("line {line}: no valid email")),
        }
    }
    Ok(Json(json!({ "saved": saved, "refused": refused })))
}
