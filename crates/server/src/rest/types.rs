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

#[derive(Serialize, JsonSchema)]
pub struct ConversationItem {
    pub id: String,
    pub dialogue: String,
    /// `open` or `closed`.
    pub status: String,
    pub agent: Option<String>,
    /// The lead it belongs to, when the visitor gave an email.
    pub lead: Option<String>,
    pub page_url: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
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
    pub transcript: Vec<MessageItem>,
}

#[derive(Serialize, JsonSchema)]
pub struct MeetingItem {
    pub id: String,
    pub dialogue: String,
    pub host: String,
    /// Unix seconds.
    pub start_at: i64,
    pub end_at: i64,
    /// `booked` or `cancelled`.
    pub status: String,
    pub visitor_name: String,
    pub visitor_email: String,
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

/// A dialogue's metrics over a range (docs/metrics.md). The handler answers the same
/// JSON as the console's metrics; this type describes it (the tests check every answer
/// against it).
#[derive(Serialize, JsonSchema)]
pub struct Metrics {
    /// The first day, YYYY-MM-DD.
    #[schemars(extend("format" = "date"))]
    pub from: String,
    /// The last day, YYYY-MM-DD.
    #[schemars(extend("format" = "date"))]
    pub to: String,
    pub totals: crate::data::metrics::Totals,
    /// Each day with a count, oldest first.
    pub days: Vec<MetricsDay>,
    /// Goals reached, by name.
    pub goals: Vec<Goal>,
    /// The published versions with counts in the range, newest first.
    pub versions: Vec<i64>,
    /// The version the funnel shows (none without counts).
    pub version: Option<i64>,
    pub funnel: Vec<crate::data::metrics::Step>,
}

/// One day's totals.
#[derive(Serialize, JsonSchema)]
pub struct MetricsDay {
    /// YYYY-MM-DD.
    #[schemars(extend("format" = "date"))]
    pub day: String,
    #[serde(flatten)]
    pub totals: crate::data::metrics::Totals,
}

#[derive(Serialize, JsonSchema)]
pub struct Goal {
    pub name: String,
    pub count: i64,
}
