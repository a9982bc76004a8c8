//! Leads for admins (docs/leads.md): the list with search, one lead's story, CSV out
//! and in.

use super::leads_store;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use serde_json::{json, Value};
use std::collections::BTreeMap;

#[derive(Debug, Default, serde::Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

/// `GET /api/sites/{site}/leads?q=`: the 200 latest leads (that match `q`).
pub async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(site): Path<String>,
    Query(search): Query<Search>,
) -> Result<Json<Value>, AppError> {
    signed_in.admin()?;
    Ok(Json(json!(
        leads_store::list(&state.db, &site, &search.q, 200).await?
    )))
}

/// `GET /api/sites/{site}/leads/{id}`: the lead, its attributes with where and when
/// each was captured, and everything it did, oldest first.
pub async fn story(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((site, id)): Path<(String, String)>,
) -> Result<Json<Value>, AppError> {
    signed_in.admin()?;
    let story = leads_store::story(&state.db, &site, &id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no lead {id}")))?;
    Ok(Json(json!(story)))
}

/// `GET /api/sites/{site}/leads.csv`: every lead with its name and company.
pub async fn export(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(site): Path<String>,
) -> Result<Response, AppError> {
    signed_in.admin()?;
    let mut csv = String::from("email,name,company,created_at,updated_at\n");
    for l in leads_store::list(&state.db, &site, "", i64::MAX).await? {
        let company = l.company.unwrap_or_default();
        csv.push_str(&crate::csv::line(&[
            l.email,
            l.name,
            company,
            l.created_at.to_string(),
            l.updated_at.to_string(),
        ]));
    }
    Ok(crate::csv::download("leads.csv", csv))
}

/// `POST /api/sites/{site}/leads/import`: known leads from CSV (a header row naming an
/// `email` column and any attributes; one line per lead, no line breaks in cells), so
/// "skip if known" and targeting work for people the site already knows. Lines without
/// a valid email are reported, not saved.
pub async fn import(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(site): Path<String>,
    body: String,
) -> Result<Json<Value>, AppError> {
    signed_in.admin()?;
    let mut lines = body.lines().filter(|l| !l.trim().is_empty());
    let names = crate::csv::cells(lines.next().unwrap_or_default());
    if !names.iter().any(|n| n == "email") {
        return Err(AppError::BadRequest(
            "the first line must name the columns, one of them `email`".into(),
        ));
    }
    let (mut saved, mut refused) = (0, Vec::new());
    let at = crate::db::now_ms() as i64;
    for (i, line) in lines.enumerate() {
        let attributes: BTreeMap<String, String> =
            names.iter().cloned().zip(crate::csv::cells(line)).collect();
        match super::leads::capture(&attributes) {
            Some(capture) => {
                leads_store::save(&state.db, &site, &capture, &[], "import", at).await?;
                saved += 1;
            }
            None => refused.push(format!("line {}: no valid email", i + 2)),
        }
    }
    Ok(Json(json!({ "saved": saved, "refused": refused })))
}
