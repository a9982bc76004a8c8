//! Chinwag's wire protocol, version 1: JSON frames over WebSocket, shared by the
//! widget, the agent inbox and the server. See `docs/protocol.md`.
//!
//! Frames are externally tagged (`{"message": {...}}`): the widget reads them without
//! buffering, which keeps its bundle small.
//!
//! Delivery: every message a client sends carries a client-generated id; the server
//! stores it, answers with an `ack` carrying the conversation's sequence number, and
//! ignores an id it has already stored (so resending is always safe). Every stored
//! event has a sequence number; a client reconnecting says the last one it saw and the
//! server sends what it missed.

use chinwag_dialogue::Entry;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The protocol version this crate speaks; clients send it in `hello`.
pub const VERSION: u32 = 1;

/// Largest text of one message, in characters.
pub const MAX_TEXT: usize = 4_000;

/// Largest frame accepted, in bytes (a hand-off carries the bot transcript).
pub const MAX_FRAME: usize = 64 * 1024;

/// Messages stored from a hand-off's transcript (the bot part) have ids starting with this.
pub const TRANSCRIPT_ID: &str = "transcript:";

/// A client-generated message id (unique per conversation; a UUID or similar).
pub type ClientId = String;

/// What the widget sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum VisitorFrame {
    /// First frame on every connection. `token` resumes a conversation; `last_seq` is
    /// the last sequence number the widget saw (0 for none).
    Hello(VisitorHello),
    /// Reaching the live-chat card: starts the conversation and routes it.
    Handoff(Handoff),
    Message(Outgoing),
    Typing(bool),
    Ping(u64),
    /// The visitor deletes their conversation (the widget's menu): it and its messages
    /// are erased for good; the server answers `erased` and the agents' inboxes drop it.
    Erase {},
    /// The visitor rates a closed chat; rating it again replaces the rating. The
    /// server answers with the `rated` event (or an error frame).
    Rate(Rating),
    /// The visitor asks for the conversation by email, to the address it knows;
    /// answered by `transcript_sent` (or an error frame: no email, too soon again).
    EmailTranscript {},
}

/// Largest comment of a rating, in characters.
pub const MAX_COMMENT: usize = 1_000;

/// How the visitor found a chat: 1 (bad) to 5 (great), and what they add.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    pub score: u8,
    #[serde(default)]
    pub comment: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitorHello {
    pub version: u32,
    pub site: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default)]
    pub last_seq: u64,
}

/// The widget names the live-chat card (`card`, its path in the dialogue); the server
/// routes with that card's route from its own copy of the dialogue, so a visitor can
/// never choose who answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handoff {
    pub id: ClientId,
    pub dialogue_id: String,
    pub card: String,
    pub transcript: Vec<Entry>,
    pub attributes: BTreeMap<String, String>,
    pub page_url: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outgoing {
    pub id: ClientId,
    pub text: String,
}

/// What an agent's inbox sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AgentFrame {
    /// Subscribe to the inbox; `last_seq` per conversation is not needed: the inbox
    /// loads conversations over HTTP and then follows events.
    Hello {
        version: u32,
    },
    Message {
        conversation: String,
        message: Outgoing,
    },
    /// A private note in the conversation's thread: agents see it, the visitor never
    /// does; `@name` notifies that agent (docs/inbox.md, "Notes").
    Note {
        conversation: String,
        note: Outgoing,
    },
    Typing {
        conversation: String,
        on: bool,
    },
    Status(AgentStatus),
    /// Take an unassigned conversation.
    Claim {
        conversation: String,
    },
    Transfer {
        conversation: String,
        to: chinwag_dialogue::Target,
    },
    Close {
        conversation: String,
    },
    /// Put aside until `until` (milliseconds since the Unix epoch) or, without it, until
    /// the visitor writes; either way a visitor's message opens it again.
    Snooze {
        conversation: String,
        #[serde(default)]
        until: Option<u64>,
    },
    /// Open a snoozed or closed conversation again, with its history.
    Reopen {
        conversation: String,
    },
    Ping(u64),
}

/// Where a conversation stands: open, put aside for later, or done.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationState {
    #[default]
    Open,
    Snoozed,
    Closed,
}

impl ConversationState {
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationState::Open => "open",
            ConversationState::Snoozed => "snoozed",
            ConversationState::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<ConversationState> {
        [
            ConversationState::Open,
            ConversationState::Snoozed,
            ConversationState::Closed,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentStatus {
    Available,
    Away,
    Offline,
}

/// What the server sends, to visitors and agents alike.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerFrame {
    /// Answer to `hello` (and to a hand-off that started a conversation).
    Welcome(Welcome),
    /// The message with this client id is stored as `seq`.
    Ack {
        id: ClientId,
        seq: u64,
    },
    /// Something happened in a conversation; `seq` orders and deduplicates.
    Event(Event),
    /// Someone is typing (not stored).
    Typing {
        conversation: String,
        who: Role,
        on: bool,
    },
    Pong(u64),
    /// The frame was refused; the connection stays open unless `fatal`.
    Error(ErrorFrame),
    /// To agents: a meeting was booked, moved or cancelled (its host's inbox tells them).
    Meeting(MeetingNotice),
    /// The transcript is on its way to `to` (masked: `v…@shop.test`).
    TranscriptSent {
        to: String,
    },
    /// A conversation is gone for good: its visitor deleted it.
    Erased {
        conversation: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingNotice {
    pub id: String,
    /// The host's agent id.
    pub host: String,
    /// Unix seconds.
    pub start: i64,
    pub visitor: String,
    /// `booked`, `moved` or `cancelled`.
    pub change: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    pub version: u32,
    /// The conversation, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<String>,
    /// Signed; present it in the next `hello` to resume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Visitor,
    Agent,
    Bot,
    System,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub conversation: String,
    pub seq: u64,
    /// Milliseconds since the Unix epoch, server time.
    pub at: u64,
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A line of the conversation (bot lines come from the hand-off transcript). With
    /// `file`, an attachment: `text` is then its name.
    Message {
        role: Role,
        author: String,
        text: String,
        id: ClientId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<File>,
    },
    /// An agent took the conversation.
    Assigned {
        agent_id: String,
        agent_name: String,
    },
    /// Nobody could take it: the fallback text; messages are still kept. `queued`:
    /// everyone who could take it was at capacity, so it waits in the queue and goes
    /// to the first of them with room.
    Unassigned {
        fallback: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        queued: bool,
    },
    /// A new conversation waits (sent to agents).
    Started {
        visitor: String,
        page_url: String,
    },
    Closed {
        by: Role,
    },
    /// An agent put it aside until `until` (milliseconds since the Unix epoch) or, with
    /// none, until the visitor writes. Agents only: the visitor is not told.
    Snoozed {
        #[serde(default)]
        until: Option<u64>,
    },
    /// Open again after being snoozed or closed: by the visitor writing, by an agent,
    /// or by the snooze's time coming (`system`).
    Reopened {
        by: Role,
    },
    /// The visitor rated the closed chat (docs/inbox.md, "Ratings").
    Rated {
        score: u8,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        comment: String,
    },
    /// A private note: only agents' sockets carry it (never the visitor's, a webhook or
    /// the REST API's messages). `mentions`: the agents it notifies, by id.
    Note {
        author_id: String,
        author: String,
        text: String,
        id: ClientId,
        mentions: Vec<String>,
    },
}

/// An attachment (docs/inbox.md, "Attachments"): at `/files/{id}` on the chat server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct File {
    /// 256 random bits: knowing it is what lets one fetch the file.
    pub id: String,
    pub name: String,
    /// The type read from the bytes, never from the name.
    pub mime: String,
    /// Bytes.
    pub size: u64,
}

impl File {
    /// Shown inline (an image of a type on the allow-list), else a download.
    pub fn is_image(&self) -> bool {
        IMAGES.contains(&self.mime.as_str())
    }

    /// Its path on the chat server.
    pub fn path(&self) -> String {
        format!("/files/{}", self.id)
    }
}

/// Image types shown inline; every other file is a download.
pub const IMAGES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// The largest attachment, in bytes.
pub const MAX_FILE: u64 = 10 * 1024 * 1024;

impl EventKind {
    /// Whether only agents may see it.
    pub fn is_internal(&self) -> bool {
        matches!(self, EventKind::Note { .. } | EventKind::Snoozed { .. })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorFrame {
    pub code: ErrorCode,
    pub message: String,
    /// The client id of the refused message, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ClientId>,
    #[serde(default)]
    pub fatal: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not JSON, or not a frame this endpoint understands.
    Malformed,
    /// The client speaks another protocol version.
    Version,
    /// The first frame must be `hello`.
    HelloFirst,
    /// The token is missing, forged or for another conversation.
    Unauthorized,
    /// Too many frames too fast; slow down and resend.
    RateLimited,
    TooLarge,
    /// The conversation is closed.
    Closed,
    /// No such conversation (or not yours).
    NotFound,
    Internal,
}

impl ServerFrame {
    pub fn error(code: ErrorCode, message: impl Into<String>) -> ServerFrame {
        ServerFrame::Error(ErrorFrame {
            code,
            message: message.into(),
            id: None,
            fatal: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_read_as_documented() {
        let frame: VisitorFrame =
            serde_json::from_str(r#"{"message": {"id": "c-1", "text": "Hello"}}"#).unwrap();
        assert_eq!(
            frame,
            VisitorFrame::Message(Outgoing {
                id: "c-1".into(),
                text: "Hello".into()
            })
        );
        let ack = serde_json::to_string(&ServerFrame::Ack {
            id: "c-1".into(),
            seq: 7,
        })
        .unwrap();
        assert_eq!(ack, r#"{"ack":{"id":"c-1","seq":7}}"#);
        assert!(serde_json::from_str::<VisitorFrame>(r#"{"mesage": {}}"#).is_err());
    }
}
