//! A visitor's rating of a closed chat (docs/inbox.md, "Ratings"): 1 to 5 and a
//! comment, stored on the conversation (rating again replaces it), told to the agents'
//! inboxes and the visitor's tabs as the `rated` event, to a site's systems as the
//! `conversation.rated` webhook, and counted in reports.

use super::conversation::publish;
use crate::data::webhooks::events::{self, Event as Webhook};
use crate::db::{self, Conversation};
use crate::error::AppError;
use crate::state::AppState;
use chinwag_protocol::{EventKind, Rating, MAX_COMMENT};

pub async fn rate(state: &AppState, c: &Conversation, rating: Rating) -> Result<(), AppError> {
    if !(1..=5).contains(&rating.score) {
        return Err(AppError::BadRequest("a rating's score is 1 to 5".into()));
    }
    let comment = rating.comment.trim().to_owned();
    if comment.chars().count() > MAX_COMMENT {
        return Err(AppError::BadRequest(format!(
            "a rating's comment is at most {MAX_COMMENT} characters"
        )));
    }
    if !store(state, c, rating.score, &comment).await? {
        return Err(AppError::BadRequest(
            "a chat can be rated once it is closed".into(),
        ));
    }
    let kind = EventKind::Rated {
        score: rating.score,
        comment,
    };
    publish(state, &c.id, None, kind).await?;
    Ok(())
}

/// Stores the rating on a closed conversation, with its webhook message in the same
/// transaction; false when it is not closed (or gone).
async fn store(state: &AppState, c: &Conversation, score: u8, comment: &str) -> sqlx::Result<bool> {
    let mut tx = db::begin(&state.db).await?;
    let done = sqlx::query(
        "UPDATE conversations SET rating = $1, rating_comment = $2, rated_at = $3 WHERE id = $4 AND status = 'closed'",
    )
    .bind(i64::from(score))
    .bind(comment)
    .bind(db::now_ms() as i64)
    .bind(&c.id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if done {
        let event = Webhook::ConversationRated(events::Rated {
            id: c.id.clone(),
            score: i64::from(score),
            comment: comment.to_owned(),
        });
        db::tell(&mut tx, &c.site_id, &event).await?;
    }
    tx.commit().await?;
    Ok(done)
}
