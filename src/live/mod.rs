//! The live-chat hand-off, behind a small trait: the real WebSocket implements it
//! (server issue), and the trunk preview uses an in-page fake. The widget only sees
//! [`LiveEvent`]s, so both behave the same to the visitor.

#[cfg(feature = "preview")]
mod fake;
pub mod frames;
mod handover;
mod queue;
mod session;
mod socket;
mod tabs;
mod unavailable;
mod upload;

#[cfg(feature = "preview")]
pub use fake::PreviewAgent;
pub use session::LiveSession;
pub use socket::ServerSocket;
pub use unavailable::Unavailable;

use chinwag_dialogue::{Entry, Route};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Everything the server needs to route the conversation and show the agent its start.
#[derive(Clone, Debug, PartialEq)]
pub struct Handoff {
    pub dialogue_id: String,
    /// The live-chat card's path: the server routes with its own copy of the card.
    pub card: String,
    pub transcript: Vec<Entry>,
    pub attributes: BTreeMap<String, String>,
    pub page_url: String,
    /// The card's route, for transports that decide locally (the preview).
    pub route: Route,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    /// A human took the conversation.
    Connected {
        agent: String,
    },
    /// Nobody can take it now: show the fallback; messages are still kept.
    Unavailable,
    /// Everyone who could take it is busy: it waits in the queue for the first free.
    Queued,
    /// The agent closed the conversation.
    Closed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiveEvent {
    State(Connection),
    /// A message the visitor wrote on another page (shown when a conversation resumes).
    VisitorMessage {
        text: String,
        file: Option<LiveFile>,
    },
    /// The message with this id (from `send`) reached the server and is stored.
    Delivered {
        id: String,
    },
    /// The agent started or stopped typing.
    AgentTyping(bool),
    /// A reply from the agent.
    AgentMessage {
        author: String,
        text: String,
        file: Option<LiveFile>,
    },
    /// The visitor's attachment `name` was refused, and why (the server's words).
    FileRefused {
        name: String,
        why: String,
    },
    /// The conversation was deleted at the visitor's request (`erase`).
    Erased,
    /// The conversation is on its way by email to this (masked) address.
    TranscriptSent {
        to: String,
    },
    /// The server stored the visitor's rating of the closed chat.
    Rated {
        score: u8,
    },
}

/// Receives what happens on the live connection.
pub type OnLiveEvent = Rc<dyn Fn(LiveEvent)>;

/// A way to reach a human. `connect` is called once per run, when the stream stands at
/// a live-chat card.
pub trait LiveChatTransport {
    fn connect(&self, handoff: Handoff, on_event: OnLiveEvent);
    /// Sends a visitor message; returns its id (a later `Delivered` names it).
    fn send(&self, text: String) -> String;
    /// The visitor is typing (or stopped); transports may ignore it.
    fn typing(&self, _on: bool) {}
    /// The visitor deletes the conversation; `Erased` follows once it is gone (a
    /// transport that stores nothing has nothing to delete).
    fn erase(&self) {}
    /// The visitor rates the closed chat (1 to 5); `Rated` follows once it is stored.
    /// No default: a transport that forgot it would drop every rating silently.
    fn rate(&self, score: u8, comment: String);
    /// The visitor asks for the conversation by email; `TranscriptSent` follows.
    fn email_transcript(&self);
    /// The visitor sends a file; it comes back as their message, or `FileRefused`.
    fn attach(&self, file: web_sys::File);
}

/// An attachment in a live line: where to fetch it, whether it is an image shown
/// inline, and its size in bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveFile {
    pub url: String,
    pub image: bool,
    pub size: u64,
}
