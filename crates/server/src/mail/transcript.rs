//! A visitor asks for their conversation by email (the widget's menu): to the email
//! the conversation knows, at most once a minute, as plain text with every line the
//! visitor saw (the bot's, theirs, the agents'; never a private note).

use super::store::{Kind, Outgoing};
use crate::db::{self, Conversation};
use crate::error::AppError;
use crate::state::AppState;
use chinwag_protocol::{EventKind, Role};

/// The shortest time between two transcripts of one conversation, in milliseconds.
const AGAIN_AFTER_MS: u64 = 60_000;

/// The most transcripts one address gets in a day, whatever the conversations: the
/// address is what the visitor typed, so a script could start chats in someone
/// else's name and have us mail them.
const PER_ADDRESS_A_DAY: i64 = 3;

/// Queues the transcript; answers the address as the widget may show it (masked).
pub async fn request(state: &AppState, c: &Conversation) -> Result<String, AppError> {
    let email = c
        .attributes
        .get("email")
        .map(|e| e.trim().to_owned())
        .filter(|e| chinwag_dialogue::fields::is_email(e))
        .ok_or_else(|| AppError::BadRequest("this conversation has no email to send it to".into()))?;
    let now = db::now_ms();
    if let Some(last) = super::store::last_for(&state.db, &c.id, Kind::Transcript).await? {
        if now < last + AGAIN_AFTER_MS {
            return Err(AppError::BadRequest(
                "the conversation was sent a moment ago; try again in a minute".into(),
            ));
        }
    }
    let day_ago = now.saturating_sub(24 * 3600 * 1000);
    if super::store::count_to(&state.db, &email, Kind::Transcript, day_ago).await? >= PER_ADDRESS_A_DAY {
        return Err(AppError::BadRequest(format!(
            "this address had {PER_ADDRESS_A_DAY} conversations by email today; try again tomorrow"
        )));
    }
    let site = db::site(&state.db, &c.site_id)
        .await?
        .map_or_else(|| c.site_id.clone(), |s| s.name);
    let events = db::events_after(&state.db, &c.id, 0).await?;
    let name = c.attributes.get("first_name").cloned().unwrap_or_default();
    let by_email = !state.config.mail_in_domain.is_empty();
    let body = text(
        &site,
        &events.iter().map(|e| (e.at, &e.kind)).collect::<Vec<_>>(),
        by_email,
    );
    let subject = format!("Your conversation with {site}");
    let mail = Outgoing {
        kind: Kind::Transcript,
        conversation: Some(&c.id),
        to: (&email, &name),
        subject: &subject,
        body: &body,
    };
    super::store::enqueue(&state.db, mail, now).await?;
    Ok(masked(&email))
}

/// The transcript's text: a line per message, "Who (time UTC): text".
/// `by_email`: answers by email are taken (the mail has a reply address).
fn text(site: &str, events: &[(u64, &EventKind)], by_email: bool) -> String {
    let mut out = format!("Your conversation with {site}, as you asked.\n\n");
    for (at, kind) in events {
        let EventKind::Message {
            role, author, text, ..
        } = kind
        else {
            continue;
        };
        let who = match role {
            Role::Visitor => "You",
            _ => author.as_str(),
        };
        let when = jiff::Timestamp::from_millisecond(*at as i64)
            .map(|t| t.strftime("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        out.push_str(&format!("{who} ({when} UTC): {text}\n"));
    }
    out.push_str(if by_email {
        "\nYou get this email because you asked for it in the chat. Reply there, or to this email, to go on.\n"
    } else {
        "\nYou get this email because you asked for it in the chat. Reply there to go on.\n"
    });
    out
}

/// `vera@shop.test` → `v…@shop.test`: enough for the visitor to recognise, little for
/// someone reading over their shoulder.
fn masked(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!("{}…@{domain}", local.chars().next().unwrap_or('?')),
        None => "…".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample::line;
    use super::*;

    #[test]
    fn the_transcript_has_what_the_visitor_saw_and_no_note() {
        let note = super::super::sample::note("secret");
        let (bot, vera, ben) = (
            line(Role::Bot, "Bot", "Hi!"),
            line(Role::Visitor, "Vera", "Prices?"),
            line(Role::Agent, "Ben Agent", "12 € a seat"),
        );
        let events = [(0, &bot), (60_000, &vera), (61_000, &note), (120_000, &ben)];
        let t = text("Demo shop", &events, false);
        assert!(t.starts_with("Your conversation with Demo shop"));
        assert!(t.contains("Bot (1970-01-01 00:00 UTC): Hi!\nYou (1970-01-01 00:01 UTC): Prices?\nBen Agent (1970-01-01 00:02 UTC): 12 € a seat\n"));
        assert!(!t.contains("secret"));
        assert_eq!(masked("vera@shop.test"), "v…@shop.test");
    }
}
