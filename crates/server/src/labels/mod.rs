//! Labels: an admin-kept list of names and colours that agents put on conversations
//! (`live::inbox` puts them on, and lists them with each conversation), and filter by.
//! docs/inbox.md.

pub mod colour;
pub mod store;

use crate::access::auth::{Admin, SignedIn};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use store::Label;

/// `GET /api/labels`: every label, with the text colour that reads on it.
pub async fn list(State(state): State<AppState>, _signed_in: SignedIn) -> Result<Json<Value>, AppError> {
    let labels: Vec<Value> = store::all(&state.db)
        .await?
        .into_iter()
        .map(|l| {
            let text = colour::parse(&l.colour).map_or("#000000", |c| colour::text_on(c).0);
            json!({ "id": l.id, "name": l.name, "colour": l.colour, "text": text })
        })
        .collect();
    Ok(Json(json!(labels)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLabel {
    name: String,
    colour: String,
}

/// `POST /api/labels` (admins).
pub async fn create(
    State(state): State<AppState>,
    _admin: Admin,
    Json(new): Json<NewLabel>,
) -> Result<Json<Value>, AppError> {
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 40 {
        return Err(AppError::BadRequest(
            "a label's name has 1 to 40 characters".into(),
        ));
    }
    if colour::parse(&new.colour).is_none() {
        return Err(AppError::BadRequest(
            "a label's colour is #rrggbb, like #0b4fa8".into(),
        ));
    }
    let label = Label {
        id: crate::ids::new_id(),
        name: name.to_owned(),
        colour: new.colour.to_lowercase(),
    };
    if !store::add(&state.db, &label, crate::db::now_ms() as i64).await? {
        return Err(AppError::Conflict(format!("there is a label {name} already")));
    }
    Ok(Json(json!(label)))
}

/// `DELETE /api/labels/{id}` (admins): off every conversation too.
pub async fn delete(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    match store::delete(&state.db, &id).await? {
        true => Ok(Json(json!({ "deleted": id }))),
        false => Err(AppError::NotFound("no such label".into())),
    }
}
