//! Cards are tagged by their `type` field, so serde buffers each card before choosing
//! its kind, and a parse error's path stops at the card. This looks inside: it parses
//! the card again as its own kind to name the exact field (`stream[0].answers[0].then[0].txt`).

use chinwag_dialogue::cards::{Branch, End, Goto, InfoCapture, LiveChat, Meeting, Message, Question};
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

/// Narrows `(path, message)` of a failed parse of `json` to the deepest card.
pub fn refine(json: &str, mut path: String, mut message: String) -> (String, String) {
    let Ok(mut node) = serde_json::from_str::<Value>(json) else {
        return (path, message);
    };
    for segment in path_segments(&path) {
        node = match (segment, node) {
            (Step::Key(key), Value::Object(mut map)) => map.remove(&key).unwrap_or(Value::Null),
            (Step::Index(i), Value::Array(mut list)) if i < list.len() => list.swap_remove(i),
            _ => return (path, message),
        };
    }
    // Each round parses one card as its own kind; its error may point into a nested card.
    while let Some(Value::String(kind)) = node.get("type").cloned() {
        let Value::Object(mut card) = node else { break };
        card.remove("type");
        let card = Value::Object(card);
        let error = match kind.as_str() {
            "message" => error_in::<Message>(&card),
            "question" => error_in::<Question>(&card),
            "info_capture" => error_in::<InfoCapture>(&card),
            "branch" => error_in::<Branch>(&card),
            "live_chat" => error_in::<LiveChat>(&card),
            "meeting" => error_in::<Meeting>(&card),
            "goto" => error_in::<Goto>(&card),
            "end" => error_in::<End>(&card),
            _ => None,
        };
        let Some((inner_path, inner_message)) = error else {
            break;
        };
        message = inner_message;
        if inner_path.is_empty() {
            break;
        }
        node = card;
        for segment in &inner_path {
            node = match (segment, node) {
                (Segment::Map { key }, Value::Object(mut map)) => map.remove(key).unwrap_or(Value::Null),
                (Segment::Seq { index }, Value::Array(mut list)) if *index < list.len() => {
                    list.swap_remove(*index)
                }
                _ => Value::Null,
            };
            match segment {
                Segment::Map { key } => path = format!("{path}.{key}"),
                Segment::Seq { index } => path = format!("{path}[{index}]"),
                _ => {}
            }
        }
    }
    (path, message)
}

fn error_in<T: DeserializeOwned>(card: &Value) -> Option<(Vec<Segment>, String)> {
    let error = serde_path_to_error::deserialize::<_, T>(card.clone()).err()?;
    let segments = error.path().iter().cloned().collect();
    Some((segments, error.into_inner().to_string()))
}

enum Step {
    Key(String),
    Index(usize),
}

/// Splits `stream[2].answers[0]` into keys and indexes.
fn path_segments(path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
            steps.push(Step::Key(key.to_owned()));
        }
        steps.extend(
            pieces
                .filter_map(|p| p.trim_end_matches(']').parse().ok())
                .map(Step::Index),
        );
    }
    steps
}
