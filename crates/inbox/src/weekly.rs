//! Weekly hours as people type them (`09:00-12:30, 14:00-18:00`), for an agent's
//! working hours (`meetings/calendar.rs`) and a team's business hours
//! (`console/hours.rs`): both store an availability (`crates/scheduling`).

use serde_json::{json, Value};

/// The week's days: their keys in an availability, and their names.
pub const DAYS: [(&str, &str); 7] = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
];

/// `09:00-12:30, 14:00-18:00` → blocks; `None` when it does not read.
pub fn blocks(text: &str) -> Option<Vec<Value>> {
    text.split(',')
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| {
            let (start, end) = b.split_once(['-', '–'])?;
            Some(json!({ "start": start.trim(), "end": end.trim() }))
        })
        .collect()
}

/// Blocks as the form shows them: the reverse of [`blocks`].
pub fn blocks_text(value: &Value) -> String {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .map(|b| {
                    format!(
                        "{}-{}",
                        b["start"].as_str().unwrap_or(""),
                        b["end"].as_str().unwrap_or("")
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}
