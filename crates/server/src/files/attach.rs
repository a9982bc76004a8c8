//! A file becomes a message: checked (its type from its bytes, its size), stored in
//! `files`, and posted as a message whose text is its name. Uploads by visitors and
//! agents (`routes.rs`) and files in a visitor's answer by email (`mail::inbound`).

use super::{kind, store};
use crate::db::{self, Conversation};
use crate::error::AppError;
use crate::live::conversation;
use crate::state::AppState;
use chinwag_protocol::{File, Role, MAX_FILE};

/// Checks, stores and posts a file; a retried upload (the same client id) keeps the
/// first one.
pub async fn attach(
    state: &AppState,
    c: &Conversation,
    role: Role,
    author: &str,
    client_id: &str,
    name: &str,
    bytes: &[u8],
) -> Result<chinwag_protocol::Event, AppError> {
    if client_id.is_empty() || client_id.len() > 100 {
        return Err(AppError::BadRequest(
            "an attachment needs an id of 1 to 100 characters".into(),
        ));
    }
    if bytes.len() as u64 > MAX_FILE {
        return Err(AppError::TooLarge(format!(
            "a file has at most {} MB",
            MAX_FILE >> 20
        )));
    }
    let mime = kind::of(bytes).map_err(|why| match bytes.is_empty() {
        true => AppError::BadRequest(why.into()),
        false => AppError::Unsupported(why.into()),
    })?;
    let file = File {
        id: crate::ids::random_token(),
        name: kind::clean_name(name),
        mime: mime.into(),
        size: bytes.len() as u64,
    };
    store::insert(&state.db, &c.id, &file, bytes, db::now_ms()).await?;
    let posted = conversation::post_file(state, c, role, author, client_id, file.clone()).await;
    let kept = matches!(&posted, Ok(e) if matches!(&e.kind, chinwag_protocol::EventKind::Message { file: Some(f), .. } if f.id == file.id));
    if !kept {
        store::delete(&state.db, &file.id).await?;
    }
    posted
}
