//! Private notes: lines in a conversation's thread for agents only. A note is an event
//! like a message (stored once per id, in order, across nodes), and it is the one kind
//! the visitor's socket never passes on (`socket::Outbox`), no webhook is made for, and
//! the REST API's messages leave out. `@name` in its text notifies that agent.

use super::conversation::{checked, publish};
use crate::db::{self, Agent, Conversation};
use crate::error::AppError;
use crate::state::AppState;
use chinwag_protocol::{Event, EventKind, Outgoing};

/// Adds `note` by `author` to the conversation (open or closed); returns the stored event.
pub async fn add(
    state: &AppState,
    conversation: &Conversation,
    author: &Agent,
    note: Outgoing,
) -> Result<Event, AppError> {
    let text = checked(&note, "note")?;
    let agents = db::agents(&state.db).await?;
    let kind = EventKind::Note {
        author_id: author.id.clone(),
        author: author.name.clone(),
        text: text.to_owned(),
        id: note.id.clone(),
        mentions: mentioned(text, &agents, &author.id),
    };
    publish(state, &conversation.id, Some(&note.id), kind).await
}

/// The active agents `text` mentions, by id, in the order first mentioned, never the
/// author: `@` then an agent's id, the part of their email before `@`, or their first
/// name (when no other active agent has it), in any case. An `@` inside a word (an
/// email address in the text) mentions nobody.
pub fn mentioned(text: &str, agents: &[Agent], author: &str) -> Vec<String> {
    let active: Vec<&Agent> = agents.iter().filter(|a| a.active).collect();
    let first_name = |a: &Agent| {
        a.name
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_lowercase()
    };
    let mut found = Vec::new();
    let mut previous = ' ';
    for (i, c) in text.char_indices() {
        let starts = c == '@' && !previous.is_alphanumeric() && previous != '.';
        previous = c;
        if !starts {
            continue;
        }
        let word: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
            .collect::<String>()
            .trim_end_matches(['.', '-'])
            .to_lowercase();
        if word.is_empty() {
            continue;
        }
        let local = |a: &&Agent| {
            a.email
                .split('@')
                .next()
                .is_some_and(|l| l.to_lowercase() == word)
        };
        let exact = active.iter().find(|a| a.id.to_lowercase() == word || local(a));
        let by_name: Vec<&&Agent> = active.iter().filter(|a| first_name(a) == word).collect();
        let agent = exact.or(match by_name.as_slice() {
            [only] => Some(*only),
            _ => None,
        });
        if let Some(agent) = agent.filter(|a| a.id != author && !found.contains(&a.id)) {
            found.push(agent.id.clone());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Role;
    use chinwag_protocol::AgentStatus;

    fn agent(id: &str, name: &str, email: &str) -> Agent {
        Agent {
            id: id.into(),
            name: name.into(),
            email: email.into(),
            role: Role::Agent,
            status: AgentStatus::Available,
            active: true,
            live_chat: true,
            max_chats: 5,
        }
    }

    fn team() -> Vec<Agent> {
        vec![
            agent("ben", "Ben Agent", "ben@demo.chinwag"),
            agent("alice", "Alice Smith", "alice.smith@demo.chinwag"),
            agent("a2", "Alice Jones", "aj@demo.chinwag"),
            agent("ana", "Ana Admin", "ana@demo.chinwag"),
        ]
    }

    #[test]
    fn by_id_email_or_a_first_name_nobody_else_has() {
        let t = team();
        assert_eq!(mentioned("@ben can you look?", &t, "ana"), ["ben"]);
        assert_eq!(mentioned("cc @Alice.Smith, and @aj.", &t, "ana"), ["alice", "a2"]);
        assert_eq!(mentioned("(@BEN) and @ben again", &t, "ana"), ["ben"]);
        // Two agents are called Alice: the first name alone names neither.
        assert_eq!(mentioned("@alice?", &t, "ana"), ["alice"], "the id wins");
        assert!(mentioned("@Jones", &t, "ana").is_empty());
    }

    #[test]
    fn never_the_author_nor_an_email_address_nor_a_stranger() {
        let t = team();
        assert!(mentioned("note to self @ana", &t, "ana").is_empty());
        assert!(mentioned("visitor wrote ben@demo.chinwag", &t, "ana").is_empty());
        assert!(mentioned("@nobody @ @", &t, "ana").is_empty());
        let mut gone = team();
        gone[0].active = false;
        assert!(mentioned("@ben", &gone, "ana").is_empty(), "deactivated");
    }
}
