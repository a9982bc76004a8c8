//! What was said, and the lifecycle events, with the times passed in.

/// Who said it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    Bot,
    Visitor,
}

/// One line of the conversation, resolved to the visitor's locale so agents and
/// the transcript read exactly what the visitor saw.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// Milliseconds since the Unix epoch, as passed in by the caller.
    pub at: u64,
    pub speaker: Speaker,
    /// The card that produced it (`stream[2]`).
    pub card: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button: Option<LinkView>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImageView {
    pub url: String,
    pub alt: String,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LinkView {
    pub label: String,
    pub url: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The dialogue started.
    Triggered,
    /// The visitor answered for the first time.
    Engaged,
    /// The visitor gave an email address.
    LeadCaptured,
    /// An end card, the end of the stream, or a live chat card was reached.
    Completed,
    /// The visitor dismissed the dialogue (recorded once).
    Closed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    pub kind: EventKind,
    pub at: u64,
    /// How many transcript entries were said before it happened: the widget tells the
    /// page lines and events in this one order.
    #[serde(default)]
    pub after: usize,
}
