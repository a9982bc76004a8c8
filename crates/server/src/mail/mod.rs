//! Mail to visitors that is not a meeting's: the outbox (`store.rs`) and the worker
//! that sends it with retries (`worker.rs`); the transcript a visitor asks for
//! (`transcript.rs`); an agent's reply after the visitor left (`offline.rs`). The SMTP client is the meetings' (`meetings::email::Mailer`).
//! The visitor's answers by email come back through a signed reply address
//! (`reply_address.rs`): by SMTP (`listener.rs`, STARTTLS in `tls.rs`) or a provider's webhook (`routes.rs`),
//! both taken by `inbound.rs`, the quoted history left out (`fresh.rs`).

pub mod fresh;
pub mod inbound;
pub mod listener;
pub mod offline;
pub mod reply_address;
pub mod routes;
pub mod store;
pub mod tls;
pub mod transcript;
pub mod worker;

/// Events for the mails' tests.
#[cfg(test)]
mod sample {
    use chinwag_protocol::{EventKind, Role};

    pub fn line(role: Role, author: &str, text: &str) -> EventKind {
        EventKind::Message {
            role,
            author: author.into(),
            text: text.into(),
            id: "x".into(),
            file: None,
        }
    }

    /// A private note of Ben's saying `text`.
    pub fn note(text: &str) -> EventKind {
        EventKind::Note {
            author_id: "ben".into(),
            author: "Ben".into(),
            text: text.into(),
            id: "n".into(),
            mentions: vec![],
        }
    }
}
