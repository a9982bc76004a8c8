//! An agent's reply by email when the visitor has left (docs/inbox.md, "When the
//! visitor has left"): the visitor's socket renews `visitor_seen_at` while it is there
//! (at attach and with its pings); an agent's message to a conversation whose visitor
//! has not been seen for a minute, with an email, queues a mail with the last lines and
//! the page to come back to. One mail per five minutes of replies: the next ones wait
//! for the visitor in the chat.

use super::store::{Kind, Outgoing};
use crate::db::{self, Conversation};
use crate::state::AppState;
use chinwag_protocol::{EventKind, Role};
use sqlx::Row;

/// How long a visitor's socket may be silent before the visitor counts as gone (the
/// widget pings every 25 s).
pub const AWAY_AFTER_MS: u64 = 60_000;

/// The shortest time between two reply mails of one conversation.
const AGAIN_AFTER_MS: u64 = 5 * 60_000;

/// The lines a reply mail repeats.
const LAST_LINES: usize = 6;

/// The visitor's socket is there now: the value written, for [`left`].
pub async fn seen(state: &AppState, conversation: &str, now: u64) -> sqlx::Result<u64> {
    sqlx::query("UPDATE conversations SET visitor_seen_at = $1 WHERE id = $2")
        .bind(now as i64)
        .bind(conversation)
        .execute(&state.db)
        .await
        .map(|_| now)
}

/// The visitor's socket closed: gone from now on, unless another socket of theirs (a
/// tab that took over, a reconnect to another node during a restart) said it is there
/// since this one last did (`wrote`): then that one's word stands.
pub async fn left(state: &AppState, conversation: &str, wrote: u64, now: u64) -> sqlx::Result<()> {
    sqlx::query("UPDATE conversations SET visitor_seen_at = $1 WHERE id = $2 AND visitor_seen_at = $3")
        .bind(now.saturating_sub(AWAY_AFTER_MS) as i64)
        .bind(conversation)
        .bind(wrote as i64)
        .execute(&state.db)
        .await
        .map(|_| ())
}

/// After an agent's message: mails it when the visitor has gone, has an email, and had
/// no reply mail in the last five minutes.
pub async fn after_reply(state: &AppState, c: &Conversation) -> anyhow::Result<()> {
    let now = db::now_ms();
    let seen: Option<i64> = sqlx::query("SELECT visitor_seen_at FROM conversations WHERE id = $1")
        .bind(&c.id)
        .fetch_optional(&state.db)
        .await?
        .and_then(|r| r.get(0));
    if seen.is_some_and(|at| at as u64 + AWAY_AFTER_MS > now) {
        return Ok(());
    }
    let Some(email) = c
        .attributes
        .get("email")
        .map(|e| e.trim())
        .filter(|e| chinwag_dialogue::fields::is_email(e))
    else {
        return Ok(());
    };
    let events = db::events_after(&state.db, &c.id, 0).await?;
    // One mail per five minutes of replies, unless the visitor answered (by email, say)
    // since the last: then the next reply is news again.
    let last = super::store::last_for(&state.db, &c.id, Kind::Reply).await?;
    let answered_since = |last: u64| {
        events.iter().any(|e| {
            e.at > last
                && matches!(
                    &e.kind,
                    EventKind::Message {
                        role: Role::Visitor,
                        ..
                    }
                )
        })
    };
    if last.is_some_and(|last| now < last + AGAIN_AFTER_MS && !answered_since(last)) {
        return Ok(());
    }
    let site = db::site(&state.db, &c.site_id)
        .await?
        .map_or_else(|| c.site_id.clone(), |s| s.name);
    let kinds: Vec<&EventKind> = events.iter().map(|e| &e.kind).collect();
    let by_email = !state.config.mail_in_domain.is_empty();
    let (agent, body) = text(&site, &c.page_url, &kinds, by_email);
    let name = c.attributes.get("first_name").cloned().unwrap_or_default();
    let subject = format!("{agent} replied to you ({site})");
    let mail = Outgoing {
        kind: Kind::Reply,
        conversation: Some(&c.id),
        to: (email, &name),
        subject: &subject,
        body: &body,
    };
    super::store::enqueue(&state.db, mail, now).await?;
    Ok(())
}

/// The mail's text: the last lines of the conversation (never a note), and where to go
/// on; with the name of the agent who wrote last. `by_email`: answers by email are taken.
fn text(site: &str, page: &str, events: &[&EventKind], by_email: bool) -> (String, String) {
    let lines: Vec<(&Role, &str, &str)> = events
        .iter()
        .filter_map(|k| match k {
            EventKind::Message {
                role, author, text, ..
            } => Some((role, author.as_str(), text.as_str())),
            _ => None,
        })
        .collect();
    let agent = lines
        .iter()
        .rev()
        .find(|(role, ..)| **role == Role::Agent)
        .map_or("We", |(_, author, _)| *author)
        .to_owned();
    let mut body = format!("{agent} answered you in the chat on {site} after you left.\n\n");
    for (role, author, text) in lines.iter().skip(lines.len().saturating_sub(LAST_LINES)) {
        let who = if **role == Role::Visitor { "You" } else { author };
        body.push_str(&format!("{who}: {text}\n"));
    }
    body.push_str(&if by_email {
        format!("\nTo answer, reply to this email, or go back to the chat: {page}\nThe conversation is kept there for you.\n")
    } else {
        format!("\nTo answer, go back to the chat: {page}\nThe conversation is kept there for you.\n")
    });
    (agent, body)
}

#[cfg(test)]
mod tests {
    use super::super::sample::line;
    use super::*;

    #[test]
    fn the_mail_repeats_the_last_lines_and_never_a_note() {
        let note = super::super::sample::note("secret");
        let mut events = vec![line(Role::Bot, "Bot", "Hi!")];
        for i in 0..8 {
            events.push(line(Role::Visitor, "Vera", &format!("question {i}")));
        }
        events.push(note);
        events.push(line(Role::Agent, "Ben Agent", "Here is the answer"));
        let refs: Vec<&EventKind> = events.iter().collect();
        let (agent, body) = text("Demo shop", "https://shop.test/pricing", &refs, false);
        assert_eq!(agent, "Ben Agent");
        assert!(body.starts_with("Ben Agent answered you in the chat on Demo shop"));
        assert!(body.contains("You: question 7\nBen Agent: Here is the answer\n"));
        assert!(!body.contains("question 2"), "only the last lines");
        assert!(!body.contains("secret"));
        assert!(body.contains("go back to the chat: https://shop.test/pricing"));
        let (_, by_email) = text("Demo shop", "https://shop.test/pricing", &refs, true);
        assert!(by_email.contains("reply to this email, or go back to the chat"));
    }
}
