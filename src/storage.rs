//! Keeps the visitor's conversation in localStorage so a reload resumes it. What is
//! kept is the stream's journal (how it started and each answer): replaying it through
//! the deterministic engine rebuilds the stream, and it is far smaller to store and to
//! read than the stream itself. Storage can be missing or throw (private modes,
//! quotas): then we simply don't keep it.
//!
//! The journal is written as compact JSON by hand, on the browser's own JSON objects
//! (no serde in visitors' bundles for it):
//! `[dialogue_id, started_at, page_url, locale, {attributes}, [step, ...]]`, where a step
//! is `[at, "c", index]` (answer button), `[at, "t", text]`, `[at, "f", {fields}]`,
//! `[at, "n"]` (continue), `[at, "x"]` (closed) or `[at, "i", {attributes}]` (identified).

use chinwag_dialogue::engine::{Answer, Step};
use chinwag_dialogue::{Journal, Stream, ValidDialogue, VisitorContext};
use js_sys::{Array, Object, Reflect, JSON};
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// This tab's own storage, kept across its reloads.
fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

pub fn map_to_js(map: &BTreeMap<String, String>) -> JsValue {
    let object = Object::new();
    for (key, value) in map {
        let _ = Reflect::set(&object, &key.into(), &value.into());
    }
    object.into()
}

pub fn map_from_js(value: &JsValue) -> Option<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for entry in Object::entries(value.dyn_ref()?).iter() {
        let pair: Array = entry.unchecked_into();
        map.insert(pair.get(0).as_string()?, pair.get(1).as_string()?);
    }
    Some(map)
}

fn write(journal: &Journal) -> JsValue {
    let steps: Array = journal
        .steps
        .iter()
        .map(|step| -> JsValue {
            let (at, kind, value): (u64, &str, JsValue) = match step {
                Step::Answered(at, Answer::Choice(i)) => (*at, "c", (*i as f64).into()),
                Step::Answered(at, Answer::Text(text)) => (*at, "t", text.into()),
                Step::Answered(at, Answer::Fields(fields)) => (*at, "f", map_to_js(fields)),
                Step::Answered(at, Answer::Continue) => (*at, "n", JsValue::UNDEFINED),
                Step::Closed(at) => (*at, "x", JsValue::UNDEFINED),
                Step::Identified(at, attributes) => (*at, "i", map_to_js(attributes)),
            };
            let step = Array::of2(&(at as f64).into(), &kind.into());
            if !value.is_undefined() {
                step.push(&value);
            }
            step.into()
        })
        .collect();
    let visitor = &journal.visitor;
    let all = Array::of5(
        &journal.dialogue_id.as_str().into(),
        &(journal.started_at as f64).into(),
        &visitor.page_url.as_str().into(),
        &visitor.locale.as_str().into(),
        &map_to_js(&visitor.attributes),
    );
    all.push(&steps);
    all.into()
}

fn read(value: &JsValue) -> Option<Journal> {
    let all: &Array = value.dyn_ref()?;
    let number = |v: JsValue| v.as_f64().map(|n| n as u64);
    let mut steps = Vec::new();
    for step in all.get(5).dyn_into::<Array>().ok()?.iter() {
        let step: Array = step.dyn_into().ok()?;
        let at = number(step.get(0))?;
        let value = step.get(2);
        steps.push(match step.get(1).as_string()?.as_str() {
            "c" => Step::Answered(at, Answer::Choice(number(value)? as usize)),
            "t" => Step::Answered(at, Answer::Text(value.as_string()?)),
            "f" => Step::Answered(at, Answer::Fields(map_from_js(&value)?)),
            "n" => Step::Answered(at, Answer::Continue),
            "x" => Step::Closed(at),
            "i" => Step::Identified(at, map_from_js(&value)?),
            _ => return None,
        });
    }
    Some(Journal {
        dialogue_id: all.get(0).as_string()?,
        started_at: number(all.get(1))?,
        visitor: VisitorContext {
            page_url: all.get(2).as_string()?,
            locale: all.get(3).as_string()?,
            teams_available: Vec::new(),
            attributes: map_from_js(&all.get(4))?,
        },
        steps,
    })
}

pub fn save(key: &str, stream: &Stream) {
    let Ok(json) = JSON::stringify(&write(stream.journal())) else {
        return;
    };
    if let (Some(storage), Some(json)) = (local_storage(), json.as_string()) {
        let _ = storage.set_item(key, &json);
    }
}

/// The saved stream, if there is one and it still fits the dialogue.
pub fn load(key: &str, dialogue: &ValidDialogue) -> Option<Stream> {
    let json = local_storage()?.get_item(key).ok()??;
    Stream::replay(dialogue, read(&JSON::parse(&json).ok()?)?)
}

/// Records that the visitor dismissed a dialogue (read by the loader, `chinwag.js`).
pub fn dismiss(dialogue_id: &str) {
    let mut key = String::from("chinwag:dismissed:");
    key.push_str(dialogue_id);
    // The browser writes the number: no number formatting in the bundle for it.
    let now = JSON::stringify(&JsValue::from_f64(js_sys::Date::now())).map(String::from);
    if let (Some(storage), Ok(now)) = (local_storage(), now) {
        let _ = storage.set_item(&key, &now);
    }
}

pub fn forget(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// How many live-chat lines this tab has already told the host page, kept in
/// sessionStorage (one tab's, surviving its reloads): after a reload the socket
/// replays the conversation, and those lines are not news.
pub fn live_lines_told(key: &str) -> usize {
    session_storage()
        .and_then(|s| s.get_item(&told_key(key)).ok().flatten())
        .and_then(|n| JSON::parse(&n).ok()?.as_f64())
        .map_or(0, |n| n as usize)
}

pub fn set_live_lines_told(key: &str, told: usize) {
    // The browser writes the number: no number formatting in the bundle for it.
    let told = JSON::stringify(&JsValue::from_f64(told as f64)).map(String::from);
    if let (Some(storage), Ok(told)) = (session_storage(), told) {
        let _ = storage.set_item(&told_key(key), &told);
    }
}

fn told_key(key: &str) -> String {
    let mut told = String::from(key);
    told.push_str(":told");
    told
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn every_kind_of_step_survives_the_round_trip() {
        let journal = Journal {
            dialogue_id: "d".into(),
            visitor: VisitorContext {
                attributes: [("email".to_string(), "a@b.co".to_string())].into(),
                page_url: "https://x.test/".into(),
                locale: "pt-BR".into(),
                teams_available: Vec::new(),
            },
            started_at: 1_732_170_000_123,
            steps: vec![
                Step::Answered(1, Answer::Choice(2)),
                Step::Answered(2, Answer::Text("hi \"there\"".into())),
                Step::Answered(
                    3,
                    Answer::Fields([("first_name".to_string(), "Ana".to_string())].into()),
                ),
                Step::Answered(4, Answer::Continue),
                Step::Closed(5),
                Step::Identified(6, [("plan".to_string(), "pro".to_string())].into()),
            ],
        };
        let json = String::from(JSON::stringify(&write(&journal)).unwrap());
        assert_eq!(read(&JSON::parse(&json).unwrap()), Some(journal));
        assert_eq!(
            read(&JSON::parse("[1, 2]").unwrap()),
            None,
            "garbage is refused, not a panic"
        );
    }
}
