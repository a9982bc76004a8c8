//! What each webhook message says: one type per event, the one source of both the
//! payloads the server writes and the JSON Schema published for receivers
//! (`docs/webhooks.schema.json`, kept current by a test).

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// A lead, when made or changed.
#[derive(Serialize, JsonSchema)]
pub struct Lead {
    pub id: String,
    pub email: String,
    pub company: Option<String>,
    pub attributes: BTreeMap<String, String>,
    /// Where this change came from: `dialogue ID vN`, `live chat`, `meeting`, `import`, `api`.
    pub source: String,
}

#[derive(Serialize, JsonSchema)]
pub struct ConversationStarted {
    pub id: String,
    pub dialogue: String,
    pub page_url: String,
    pub attributes: BTreeMap<String, String>,
    /// The attributes a signed identity vouched for.
    pub verified: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct ConversationAssigned {
    pub id: String,
    /// The agent, or none when given back to nobody.
    pub agent: Option<String>,
}

/// Something that went, by its id.
#[derive(Serialize, JsonSchema)]
pub struct Gone {
    pub id: String,
}

/// A conversation put aside (docs/inbox.md, "States").
#[derive(Serialize, JsonSchema)]
pub struct Snoozed {
    pub id: String,
    /// Until then (milliseconds since the Unix epoch); none: until the visitor writes.
    pub until: Option<i64>,
}

/// A snoozed or closed conversation open again.
#[derive(Serialize, JsonSchema)]
pub struct Reopened {
    pub id: String,
    /// `visitor` (they wrote), `agent`, or `system` (the snooze's time came).
    pub by: String,
}

/// The visitor rated a closed chat (docs/inbox.md, "Ratings"); rating again sends it again.
#[derive(Serialize, JsonSchema)]
pub struct Rated {
    pub id: String,
    /// 1 (bad) to 5 (great).
    pub score: i64,
    /// What the visitor added (may be empty).
    pub comment: String,
}

/// A conversation's labels changed (docs/inbox.md, "Labels").
#[derive(Serialize, JsonSchema)]
pub struct Labelled {
    pub id: String,
    /// Every label on it now, by name, alphabetically (none: they were all taken off).
    pub labels: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct MessageCreated {
    pub conversation: String,
    /// Its place in the conversation (1, 2, …).
    pub seq: i64,
    /// The sender's own id for it (de-duplication).
    pub id: String,
    /// `visitor`, `agent`, `bot` or `system`.
    pub role: Value,
    pub author: String,
    /// The message; an attachment's name when `file` is there.
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<AttachedFile>,
}

/// An attachment: fetch it at the server's `public_url` + `path` (the path is its key:
/// keep it as private as the conversation).
#[derive(Serialize, JsonSchema)]
pub struct AttachedFile {
    pub name: String,
    /// The type read from the file's bytes.
    pub mime: String,
    /// Bytes.
    pub size: u64,
    /// `/files/{id}`.
    pub path: String,
}

#[derive(Serialize, JsonSchema)]
pub struct MeetingVisitor {
    pub name: String,
    pub email: String,
    /// IANA time zone.
    pub zone: String,
}

#[derive(Serialize, JsonSchema)]
pub struct Meeting {
    pub id: String,
    pub dialogue: String,
    pub host: String,
    /// Unix seconds.
    pub start_at: i64,
    pub end_at: i64,
    pub visitor: MeetingVisitor,
}

/// A dialogue run's moment.
#[derive(Serialize, JsonSchema)]
pub struct Run {
    pub run: String,
    pub visitor: String,
    pub dialogue: String,
    pub version: i64,
    /// The goal card's path (goal.reached).
    pub card: Option<String>,
    /// The goal's name (goal.reached).
    pub goal: Option<String>,
    /// RFC 3339.
    pub at: String,
}

#[derive(Serialize, JsonSchema)]
pub struct Test {
    pub endpoint: String,
}

/// Every event a site's endpoints may ask for.
pub enum Event {
    LeadCreated(Lead),
    LeadUpdated(Lead),
    ConversationStarted(ConversationStarted),
    ConversationAssigned(ConversationAssigned),
    ConversationClosed(Gone),
    MessageCreated(MessageCreated),
    MeetingBooked(Meeting),
    MeetingRescheduled(Meeting),
    MeetingCancelled(Gone),
    DialogueCompleted(Run),
    GoalReached(Run),
    WebhookTest(Test),
    ConversationSnoozed(Snoozed),
    ConversationReopened(Reopened),
    ConversationLabelled(Labelled),
    ConversationRated(Rated),
}

/// The event types, as endpoints name them.
pub const TYPES: [&str; 16] = [
    "lead.created",
    "lead.updated",
    "conversation.started",
    "conversation.assigned",
    "conversation.closed",
    "message.created",
    "meeting.booked",
    "meeting.rescheduled",
    "meeting.cancelled",
    "dialogue.completed",
    "goal.reached",
    "webhook.test",
    "conversation.snoozed",
    "conversation.reopened",
    "conversation.labelled",
    "conversation.rated",
];

impl Event {
    pub fn kind(&self) -> &'static str {
        let i = match self {
            Event::LeadCreated(_) => 0,
            Event::LeadUpdated(_) => 1,
            Event::ConversationStarted(_) => 2,
            Event::ConversationAssigned(_) => 3,
            Event::ConversationClosed(_) => 4,
            Event::MessageCreated(_) => 5,
            Event::MeetingBooked(_) => 6,
            Event::MeetingRescheduled(_) => 7,
            Event::MeetingCancelled(_) => 8,
            Event::DialogueCompleted(_) => 9,
            Event::GoalReached(_) => 10,
            Event::WebhookTest(_) => 11,
            Event::ConversationSnoozed(_) => 12,
            Event::ConversationReopened(_) => 13,
            Event::ConversationLabelled(_) => 14,
            Event::ConversationRated(_) => 15,
        };
        TYPES[i]
    }

    /// The message's `data`.
    pub fn data(&self) -> Value {
        let value = match self {
            Event::LeadCreated(d) | Event::LeadUpdated(d) => serde_json::to_value(d),
            Event::ConversationStarted(d) => serde_json::to_value(d),
            Event::ConversationAssigned(d) => serde_json::to_value(d),
            Event::ConversationClosed(d) | Event::MeetingCancelled(d) => serde_json::to_value(d),
            Event::MessageCreated(d) => serde_json::to_value(d),
            Event::MeetingBooked(d) | Event::MeetingRescheduled(d) => serde_json::to_value(d),
            Event::DialogueCompleted(d) | Event::GoalReached(d) => serde_json::to_value(d),
            Event::WebhookTest(d) => serde_json::to_value(d),
            Event::ConversationSnoozed(d) => serde_json::to_value(d),
            Event::ConversationReopened(d) => serde_json::to_value(d),
            Event::ConversationLabelled(d) => serde_json::to_value(d),
            Event::ConversationRated(d) => serde_json::to_value(d),
        };
        value.unwrap_or_default()
    }
}

/// The JSON Schema of every message, by type: `{"type", "timestamp", "data"}`.
pub fn schema() -> Value {
    fn data<T: JsonSchema>() -> Value {
        serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default()
    }
    let datas = [
        data::<Lead>(),
        data::<Lead>(),
        data::<ConversationStarted>(),
        data::<ConversationAssigned>(),
        data::<Gone>(),
        data::<MessageCreated>(),
        data::<Meeting>(),
        data::<Meeting>(),
        data::<Gone>(),
        data::<Run>(),
        data::<Run>(),
        data::<Test>(),
        data::<Snoozed>(),
        data::<Reopened>(),
        data::<Labelled>(),
        data::<Rated>(),
    ];
    let messages: serde_json::Map<String, Value> = TYPES
        .iter()
        .zip(datas)
        .map(|(kind, data)| {
            let message = serde_json::json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "title": kind,
                "type": "object",
                "required": ["type", "timestamp", "data"],
                "properties": {
                    "type": { "const": kind },
                    "timestamp": { "type": "string", "format": "date-time" },
                    "data": data,
                },
            });
            (kind.to_string(), message)
        })
        .collect();
    Value::Object(messages)
}
