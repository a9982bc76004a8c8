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
    let stored = store(state, c, rating.score, &comment).await?;
    if stored == Stored::NotClosed {
        return Err(AppError::BadRequest(
            "a chat can be rated once it is closed".into(),
        ));
    }
    let kind = EventKind::Rated {
        score: rating.score,
        comment,
    };
    // The same rating sent again right after itself is no news (nothing in the thread,
    // no webhook): a visitor cannot flood the thread by repeating it. After a second
    // close it is told again, so the widget thanks for it.
    if stored == Stored::Same && last_is(state, &c.id, &kind).await? {
        return Ok(());
    }
    publish(state, &c.id, None, kind).await?;
    Ok(())
}

/// Whether the conversation's latest event is `kind`.
async fn last_is(state: &AppState, conversation: &str, kind: &EventKind) -> sqlx::Result<bool> {
    let body: Option<String> =
        sqlx::query_scalar("SELECT body FROM events WHERE conversation_id = $1 ORDER BY seq DESC LIMIT 1")
            .bind(conversation)
            .fetch_optional(&state.db)
            .await?;
    Ok(body
        .and_then(|b| serde_json::from_str::<EventKind>(&b).ok())
        .as_ref()
        == Some(kind))
}

#[derive(PartialEq, Eq)]
enum Stored {
    Changed,
    /// The conversation had this rating already: stored, and no webhook.
    Same,
    NotClosed,
}

/// Stores the rating on a closed conversation, with its webhook message in the same
/// transaction when it changed.
async fn store(state: &AppState, c: &Conversation, score: u8, comment: &str) -> sqlx::Result<Stored> {
    let mut tx = db::begin(&state.db).await?;
    let was: Option<(Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT rating, rating_comment FROM conversations WHERE id = $1 AND status = 'closed'",
    )
    .bind(&c.id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((was_score, was_comment)) = was else {
        return Ok(Stored::NotClosed);
    };
    if was_score == Some(i64::from(score)) && was_comment.as_deref() == Some(comment) {
        return Ok(Stored::Same);
    }
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
    Ok(match done {
        true => Stored::Changed,
        false => Stored::NotClosed,
    })
}
