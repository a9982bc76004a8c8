//! The designer's edits on a draft, as pure functions of its JSON: cards are addressed
//! by the validator's paths (`stream[0].answers[1].then[2]`), so a problem's path, a
//! tree node and an edit all name a card the same way. An edit that cannot apply (a
//! path that no longer exists, a card moved into itself) changes nothing and says so.

use serde_json::{json, Value};

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// `stream[0].answers[1]` → `stream`, 0, `answers`, 1.
fn steps(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Step::Key(key.to_owned()));
        }
        while !rest.is_empty() {
            let (n, after) = rest.split_once(']')?;
            out.push(Step::Index(n.parse().ok()?));
            rest = after.strip_prefix('[').unwrap_or(after);
        }
    }
    Some(out)
}

/// The value at `path`.
pub fn get<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    steps(path)?.iter().try_fold(doc, |v, s| match s {
        Step::Key(k) => v.get(k),
        Step::Index(i) => v.get(i),
    })
}

fn get_mut<'a>(doc: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    steps(path)?.iter().try_fold(doc, |v, s| match s {
        Step::Key(k) => v.get_mut(k),
        Step::Index(i) => v.get_mut(i),
    })
}

/// Sets the value at `path` (its object must exist); `Value::Null` removes the key.
pub fn set(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let (parent, key) = path.rsplit_once('.').map_or(("", path), |(p, k)| (p, k));
    let target = if parent.is_empty() {
        Some(doc)
    } else {
        get_mut(doc, parent)
    };
    let Some(Value::Object(map)) = target else {
        return Err(format!("{path}: no such place in the dialogue"));
    };
    if value.is_null() {
        map.remove(key);
    } else {
        map.insert(key.to_owned(), value);
    }
    Ok(())
}

/// A card's path split into its list and its position: `stream[0].then[2]` →
/// (`stream[0].then`, 2).
pub fn split(card: &str) -> Option<(&str, usize)> {
    let (list, n) = card.strip_suffix(']')?.rsplit_once('[')?;
    Some((list, n.parse().ok()?))
}

fn list_mut<'a>(doc: &'a mut Value, list: &str) -> Result<&'a mut Vec<Value>, String> {
    // A branch's empty `else` or an answer's missing `then` is made when a card goes in.
    if get(doc, list).is_none() {
        set(doc, list, json!([]))?;
    }
    get_mut(doc, list)
        .and_then(Value::as_array_mut)
        .ok_or_else(|| format!("{list}: not a list of cards"))
}

/// Puts `card` into `list` at `index` (clamped to its end); returns the card's path.
pub fn insert(doc: &mut Value, list: &str, index: usize, card: Value) -> Result<String, String> {
    let cards = list_mut(doc, list)?;
    let index = index.min(cards.len());
    cards.insert(index, card);
    Ok(format!("{list}[{index}]"))
}

/// Takes the card at `path` out; returns it.
pub fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let (list, index) = split(path).ok_or_else(|| format!("{path}: not a card"))?;
    let cards = list_mut(doc, list)?;
    if index >= cards.len() {
        return Err(format!("{path}: no such card"));
    }
    Ok(cards.remove(index))
}

/// A copy of the card right after it (its `id`s dropped: ids are unique); returns the
/// copy's path.
pub fn duplicate(doc: &mut Value, path: &str) -> Result<String, String> {
    let mut copy = get(doc, path)
        .cloned()
        .ok_or_else(|| format!("{path}: no such card"))?;
    drop_ids(&mut copy);
    let (list, index) = split(path).ok_or_else(|| format!("{path}: not a card"))?;
    insert(doc, list, index + 1, copy)
}

fn drop_ids(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.contains_key("type") {
                map.remove("id");
            }
            map.values_mut().for_each(drop_ids);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_ids),
        _ => {}
    }
}

/// Moves the card one place up (`-1`) or down (`1`) in its list; returns its new path.
pub fn shift(doc: &mut Value, path: &str, by: isize) -> Result<String, String> {
    let (list, index) = split(path).ok_or_else(|| format!("{path}: not a card"))?;
    let cards = list_mut(doc, list)?;
    let to = index as isize + by;
    if index >= cards.len() || to < 0 || to as usize >= cards.len() {
        return Err("it is already at that end of its list".into());
    }
    cards.swap(index, to as usize);
    Ok(format!("{list}[{to}]"))
}

/// Moves the card at `from` into `list` at `index` (as counted before the move), as a
/// drag and drop does; returns its new path. A card cannot go inside itself.
pub fn move_to(doc: &mut Value, from: &str, list: &str, index: usize) -> Result<String, String> {
    if list == from || list.starts_with(&format!("{from}.")) {
        return Err("a card cannot go inside itself".into());
    }
    let (from_list, from_index) = split(from).ok_or_else(|| format!("{from}: not a card"))?;
    if get(doc, from).is_none() {
        return Err(format!("{from}: no such card"));
    }
    // Taking the card out renumbers what follows it in its list, and the paths of
    // lists nested in those cards: say where the drop lands after the removal.
    let (list, index) = renumber(from_list, from_index, list, index);
    let card = remove(doc, from)?;
    insert(doc, &list, index, card)
}

/// `list`/`index` after the card at `from_list[from_index]` is taken out.
fn renumber(from_list: &str, from_index: usize, list: &str, index: usize) -> (String, usize) {
    if list == from_list {
        return (
            list.to_owned(),
            if index > from_index { index - 1 } else { index },
        );
    }
    let prefix = format!("{from_list}[");
    if let Some(rest) = list.strip_prefix(&prefix) {
        if let Some((n, tail)) = rest.split_once(']') {
            if let Ok(n) = n.parse::<usize>() {
                if n > from_index {
                    return (format!("{from_list}[{}]{tail}", n - 1), index);
                }
            }
        }
    }
    (list.to_owned(), index)
}

/// A new card of `kind`, filled so that it reads as a sentence to start from.
pub fn new_card(kind: &str) -> Value {
    match kind {
        "question" => json!({ "type": "question", "text": "Your question?",
            "answers": [{ "label": "Yes", "then": [] }, { "label": "No", "then": [] }] }),
        "info_capture" => json!({ "type": "info_capture", "text": "Where can we reach you?",
            "fields": [{ "kind": "email" }] }),
        "branch" => json!({ "type": "branch", "when": { "is_not_empty": "email" }, "then": [], "else": [] }),
        "live_chat" => json!({ "type": "live_chat", "text": "Connecting you to a person…",
            "route": { "mode": "round_robin" },
            "fallback": "Nobody is available right now. Leave a message and we'll get back to you." }),
        "meeting" => json!({ "type": "meeting", "text": "Pick a time that suits you.",
            "hosts": { "agents": [] }, "duration_minutes": 30,
            "fallback": "No time is free right now: leave your email and we'll write to you." }),
        "goto" => json!({ "type": "goto", "to": "" }),
        "end" => json!({ "type": "end" }),
        "goal" => json!({ "type": "goal", "name": "Goal reached" }),
        _ => json!({ "type": "message", "text": "New message" }),
    }
}

/// The kinds a designer can add, with what a person calls them.
pub const KINDS: [(&str, &str); 9] = [
    ("message", "Message"),
    ("question", "Question with buttons"),
    ("info_capture", "Ask for details (form)"),
    ("branch", "Branch on a condition"),
    ("live_chat", "Live chat with a person"),
    ("meeting", "Book a meeting"),
    ("goto", "Go to another card"),
    ("end", "End"),
    ("goal", "Goal (counted, not shown)"),
];

/// The ids of every card, for `goto` targets.
pub fn card_ids(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_ids(&doc["stream"], &mut out);
    out
}

fn collect_ids(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let (Some(_), Some(Value::String(id))) = (map.get("type"), map.get("id")) {
                out.push(id.clone());
            }
            map.values().for_each(|v| collect_ids(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_ids(v, out)),
        _ => {}
    }
}

/// A draft as text: two-space JSON in the order its keys were written.
pub fn to_text(doc: &Value) -> String {
    serde_json::to_string_pretty(doc).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({ "stream": [
            { "type": "question", "text": "Q", "answers": [
                { "label": "A", "then": [{ "type": "message", "text": "a1", "id": "a1" }] },
                { "label": "B", "then": [] } ] },
            { "type": "message", "text": "m" },
            { "type": "end" } ] })
    }

    fn texts(doc: &Value, list: &str) -> Vec<String> {
        get(doc, list)
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .map(|c| {
                c["text"]
                    .as_str()
                    .unwrap_or(c["type"].as_str().unwrap())
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn paths_reach_cards_and_fields() {
        let d = doc();
        assert_eq!(get(&d, "stream[0].answers[0].then[0].text"), Some(&json!("a1")));
        assert_eq!(get(&d, "stream[9]"), None);
        assert_eq!(
            split("stream[0].answers[1].then[2]"),
            Some(("stream[0].answers[1].then", 2))
        );
    }

    #[test]
    fn insert_remove_shift_and_duplicate() {
        let mut d = doc();
        let at = insert(&mut d, "stream[0].answers[1].then", 0, new_card("live_chat")).unwrap();
        assert_eq!(at, "stream[0].answers[1].then[0]");
        assert_eq!(get(&d, &at).unwrap()["type"], "live_chat");
        assert_eq!(shift(&mut d, "stream[1]", -1).unwrap(), "stream[0]");
        assert_eq!(texts(&d, "stream"), ["m", "Q", "end"]);
        assert!(shift(&mut d, "stream[0]", -1).is_err(), "already first");
        let copy = duplicate(&mut d, "stream[1].answers[0].then[0]").unwrap();
        assert_eq!(copy, "stream[1].answers[0].then[1]");
        assert_eq!(get(&d, &copy).unwrap().get("id"), None, "ids stay unique");
        assert_eq!(remove(&mut d, "stream[2]").unwrap()["type"], "end");
        assert_eq!(texts(&d, "stream"), ["m", "Q"]);
    }

    #[test]
    fn moves_count_positions_before_the_card_leaves() {
        // Down its own list: dropped before the third card, it lands second.
        let mut d = doc();
        assert_eq!(move_to(&mut d, "stream[0]", "stream", 2).unwrap(), "stream[1]");
        assert_eq!(texts(&d, "stream"), ["m", "Q", "end"]);
        // Into a list nested in a later card: that card's number drops by one.
        let mut d = doc();
        let moved = move_to(&mut d, "stream[1]", "stream[0].answers[1].then", 0).unwrap();
        assert_eq!(moved, "stream[0].answers[1].then[0]");
        let mut d =
            json!({ "stream": [{ "type": "message", "text": "x" }, { "type": "branch", "then": [] }] });
        assert_eq!(
            move_to(&mut d, "stream[0]", "stream[1].then", 0).unwrap(),
            "stream[0].then[0]"
        );
        assert_eq!(
            move_to(&mut d, "stream[0]", "stream[0].then", 0),
            Err("a card cannot go inside itself".into())
        );
        // A branch's missing `else` is made when a card goes in.
        assert_eq!(
            move_to(&mut d, "stream[0].then[0]", "stream[0].else", 0).unwrap(),
            "stream[0].else[0]"
        );
    }

    #[test]
    fn ids_and_text_keep_their_order() {
        let d = doc();
        assert_eq!(card_ids(&d), ["a1"]);
        let text = to_text(&new_card("question"));
        assert!(text.find("\"type\"").unwrap() < text.find("\"answers\"").unwrap());
    }
}
