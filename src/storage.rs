//! Keeps the visitor's conversation in localStorage so a reload resumes it. What is
//! kept is the stream's journal (how it started and each answer): replaying it through
//! the deterministic engine rebuilds the stream, and it is far smaller to store and to
//! read than the stream itself. Storage can be missing or throw (private modes,
//! quotas): then we simply don't keep it.

use chinwag_dialogue::{Journal, Stream, ValidDialogue};
use serde::Serialize;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn save(key: &str, stream: &Stream) {
    // Maps must become plain objects, not JS `Map`s, to survive JSON.stringify.
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let Ok(value) = stream.journal().serialize(&serializer) else {
        return;
    };
    let Ok(json) = js_sys::JSON::stringify(&value) else {
        return;
    };
    if let (Some(storage), Some(json)) = (local_storage(), json.as_string()) {
        let _ = storage.set_item(key, &json);
    }
}

/// The saved stream, if there is one and it still fits the dialogue.
pub fn load(key: &str, dialogue: &ValidDialogue) -> Option<Stream> {
    let json = local_storage()?.get_item(key).ok()??;
    let value = js_sys::JSON::parse(&json).ok()?;
    let journal: Journal = crate::js_de::from_js(value).ok()?;
    Stream::replay(dialogue, journal)
}

pub fn forget(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
