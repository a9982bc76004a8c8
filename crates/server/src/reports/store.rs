//! What reports read: the conversations handed over in a period with the events that
//! count (assignments, agents' messages, closes and reopenings), by their stored JSON's
//! first key, so a long transcript's text is never read.

use super::{Conversation, Seen};
use crate::db::Db;
use sqlx::Row;

/// Conversations created in `[from, to)` (milliseconds), in id order.
pub async fn conversations(db: &Db, from: u64, to: u64) -> sqlx::Result<Vec<Conversation>> {
    // The stored events are `{"kind":{...}}` with a message's role first
    // (chinwag-protocol's field order): the prefixes pick the ones reports need.
    let rows = sqlx::query(
        "SELECT c.id, c.created_at, c.route, c.rating, e.at, e.body FROM conversations c \
         LEFT JOIN events e ON e.conversation_id = c.id AND (e.body LIKE '{\"assigned\"%' \
         OR e.body LIKE '{\"unassigned\"%' OR e.body LIKE '{\"closed\"%' OR e.body LIKE '{\"reopened\"%' \
         OR e.body LIKE '{\"message\":{\"role\":\"agent\"%') \
         WHERE c.created_at >= $1 AND c.created_at < $2 ORDER BY c.id, e.seq",
    )
    .bind(from as i64)
    .bind(to as i64)
    .fetch_all(db)
    .await?;
    let mut out: Vec<Conversation> = Vec::new();
    let mut last_id = String::new();
    for row in rows {
        let id: String = row.try_get("id")?;
        if id != last_id {
            let route: Option<String> = row.try_get("route")?;
            let team = crate::db::team_of(route.as_deref());
            out.push(Conversation {
                created_at: row.try_get::<i64, _>("created_at")? as u64,
                team,
                rating: row
                    .try_get::<Option<i64>, _>("rating")?
                    .and_then(|r| u8::try_from(r).ok()),
                events: Vec::new(),
            });
            last_id = id;
        }
        let (Some(at), Some(body)) = (
            row.try_get::<Option<i64>, _>("at")?,
            row.try_get::<Option<String>, _>("body")?,
        ) else {
            continue;
        };
        if let (Some(seen), Some(c)) = (seen(&body), out.last_mut()) {
            c.events.push((at as u64, seen));
        }
    }
    Ok(out)
}

fn seen(body: &str) -> Option<Seen> {
    use chinwag_protocol::{EventKind, Role};
    Some(match serde_json::from_str::<EventKind>(body).ok()? {
        EventKind::Assigned { agent_id, .. } => Seen::Assigned(agent_id),
        EventKind::Unassigned { .. } => Seen::Unassigned,
        EventKind::Message {
            role: Role::Agent, ..
        } => Seen::AgentMessage,
        EventKind::Closed { .. } => Seen::Closed,
        EventKind::Reopened { .. } => Seen::Reopened,
        _ => return None,
    })
}
