//! Keeps the visitor's stream in localStorage so a reload resumes the conversation.
//! Storage can be missing or throw (private modes, quotas): then we simply don't keep it.

use chinwag_dialogue::Stream;
use serde::Serialize;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn save(key: &str, stream: &Stream) {
    // Maps must become plain objects, not JS `Map`s, to survive JSON.stringify.
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let Ok(value) = stream.serialize(&serializer) else {
        return;
    };
    let Ok(json) = js_sys::JSON::stringify(&value) else {
        return;
    };
    if let (Some(storage), Some(json)) = (local_storage(), json.as_string()) {
        let _ = storage.set_item(key, &json);
    }
}

pub fn load(key: &str) -> Option<Stream> {
    let json = local_storage()?.get_item(key).ok()??;
    let value = js_sys::JSON::parse(&json).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

pub fn forget(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
