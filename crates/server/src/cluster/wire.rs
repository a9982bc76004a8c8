//! What one node tells the others through the broker: small JSON, well under
//! PostgreSQL's 8,000-byte notification limit (a frame too large is not sent: the
//! others' inboxes see it on their next reload).

use chinwag_protocol::ServerFrame;
use serde::{Deserialize, Serialize};

/// The most a notification may carry.
pub const LIMIT: usize = 7_900;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "ring", rename_all = "snake_case")]
pub enum Ring {
    /// A conversation has events up to `seq`: read them from the database.
    Stored { conversation: String, seq: u64 },
    /// A frame that is not stored (typing, meetings, erasures).
    Frame { to: To, frame: ServerFrame },
    /// "Still here": a node hears its own beat, or knows its listening connection is dead.
    Beat,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum To {
    Inbox,
    Visitor(String),
}

/// A ring with the node that sent it (a node ignores its own).
#[derive(Debug, Serialize, Deserialize)]
pub struct Wire {
    pub node: String,
    #[serde(flatten)]
    pub ring: Ring,
}
