//! What the REST API answers: these types are its one source, serialised by the handlers
//! and described by the OpenAPI document (`openapi.rs`, through schemars).

use schemars::JsonSchema;
use serde::Serialize;

/// One page of a list, newest first; `next_cursor` fetches the next (none: the end).
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "{T}Page")]
pub struct Page<T> {
    pub data: Vec<T>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, JsonSchema, sqlx::FromRow)]
pub struct ConversationItem {
    pub id: String,
    #[sqlx(rename = "dialogue_id")]
    pub dialogue: String,
    /// `open`, `snoozed` or `closed` (docs/inbox.md, "States").
    pub status: String,
    /// Snoozed until then (milliseconds since the Unix epoch); none when not snoozed or
    /// snoozed until the visitor writes.
    pub snoozed_until: Option<i64>,
    #[sqlx(rename = "agent_id")]
    pub agent: Option<String>,
    /// The lead it belongs to, when the visitor gave an email.
    #[sqlx(rename = "lead_id")]
    pub lead: Option<String>,
    pub page_url: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    /// The visitor's rating once it closed, 1 (bad) to 5 (great) (docs/inbox.md, "Ratings").
    pub rating: Option<i64>,
    /// What the visitor added to their rating.
    pub rating_comment: Option<String>,
    /// The names of its labels (docs/inbox.md, "Labels"), alphabetically.
    #[sqlx(skip)]
    pub labels: Vec<String>,
}

/// One stored event of a conversation (a message, the start, an assignment, …), as the
/// inbox reads it (docs/protocol.md).
#[derive(Serialize, JsonSchema)]
pub struct MessageItem {
    pub seq: i64,
    pub at: i64,
    pub event: serde_json::Value,
}

#[derive(Serialize, JsonSchema)]
pub struct Conversation {
    pub conversation: ConversationItem,
    /// Every event in order, but agents' private notes and snoozes (they stay in the team).
    pub transcript: Vec<MessageItem>,
}

#[derive(Serialize, JsonSchema, sqlx::FromRow)]
pub struct MeetingItem {
    pub id: String,
    #[sqlx(rename = "dialogue_id")]
    pub dialogue: String,
    #[sqlx(rename = "host_id")]
    pub host: String,
    /// Unix seconds.
    pub start_at: i64,
    pub end_at: i64,
    /// `booked` or `cancelled`.
    pub status: String,
    pub visitor_name: String,
    pub visitor_email: String,
    #[sqlx(rename = "lead_id")]
    pub lead: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
}

#[derive(Serialize, JsonSchema)]
pub struct Saved {
    pub id: String,
    pub created: bool,
}

/// Every refusal and failure: what went wrong, in words.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Error")]
pub struct ApiError {
    pub error: String,
}

/// What an erasure removed: rows, by table (docs/privacy.md).
#[derive(Serialize, JsonSchema)]
pub struct Erased {
    pub erased: std::collections::BTreeMap<String, i64>,
}

/// A dialogue's metrics (docs/metrics.md): the type the console's metrics and
/// `GET /api/v1/dialogues/{id}/metrics` both serialise.
pub use crate::data::metrics::{Goal, Metrics, MetricsDay};

/// The most items a page holds, and how many without `limit`.
pub const LIMIT_MAX: i64 = 100;
pub const LIMIT_DEFAULT: i64 = 50;

/// A conversation's new state: `open` (reopen), `snoozed` (with `until`, or without it
/// until the visitor writes) or `closed`.
#[derive(serde::Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewState {
    #[schemars(regex(pattern = "^(open|snoozed|closed)$"))]
    pub state: String,
    /// Milliseconds since the Unix epoch, in the future and at most a year away; only
    /// with `snoozed`.
    #[serde(default)]
    pub until: Option<u64>,
}
