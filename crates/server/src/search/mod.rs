//! Search across conversations (docs/inbox.md, "Search"): messages, private notes and
//! the visitors' names and emails, full text on both engines behind one API; each
//! result is the matching line with where it matches, for the inbox to mark as text.

pub mod store;
pub mod terms;

use crate::access::auth::SignedIn;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

#[derive(Deserialize)]
pub struct Search {
    q: String,
}

/// `GET /api/search?q=…`: the lines that match every word (as a prefix), best first,
/// in conversations the agent may see.
pub async fn search(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(search): Query<Search>,
) -> Result<Json<Value>, AppError> {
    let words = terms::words(&search.q);
    if words.is_empty() {
        return Err(AppError::BadRequest(
            "search for at least one word (letters or digits)".into(),
        ));
    }
    let hits = store::find(&state.db, &words, &signed_in.agent).await?;
    let results: Vec<Value> = hits
        .into_iter()
        .map(|h| {
            let attributes: BTreeMap<String, String> =
                serde_json::from_str(&h.attributes).unwrap_or_default();
            let visitor = [attributes.get("first_name"), attributes.get("last_name")]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            let visitor = match (visitor.is_empty(), attributes.get("email")) {
                (false, _) => visitor,
                (true, Some(email)) => email.clone(),
                (true, None) => "Visitor".into(),
            };
            json!({
                "conversation": h.conversation,
                "seq": h.seq,
                "kind": h.kind,
                "marks": terms::marks(&h.text, &words),
                "text": h.text,
                "visitor": visitor,
                "active_at": h.at,
            })
        })
        .collect();
    Ok(Json(json!({ "results": results })))
}
