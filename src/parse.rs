//! Dialogue JSON in the browser: parsed by the browser's own `JSON.parse` and read
//! with serde-wasm-bindgen (smaller than bundling serde_json), with the path of any
//! problem kept for the message.

use chinwag_dialogue::{validate, Dialogue, Problem, ValidDialogue};
use wasm_bindgen::JsValue;

/// Parses and validates a dialogue file; every problem comes with a path.
pub fn dialogue(json: &str) -> Result<ValidDialogue, Vec<Problem>> {
    let value = js_sys::JSON::parse(json).map_err(|e| {
        vec![Problem {
            path: "(file)".into(),
            message: format!("not valid JSON: {}", js_message(&e)),
        }]
    })?;
    validate(read(value)?)
}

/// The preview names the path of a parse error, as the command-line validator does.
#[cfg(feature = "preview")]
fn read(value: JsValue) -> Result<Dialogue, Vec<Problem>> {
    serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(value)).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { "(file)".to_owned() } else { path };
        vec![Problem {
            path,
            message: e.into_inner().to_string(),
        }]
    })
}

/// Visitors get dialogues the server has already validated with full paths, so the
/// embed bundle saves the bytes of path tracking.
#[cfg(not(feature = "preview"))]
fn read(value: JsValue) -> Result<Dialogue, Vec<Problem>> {
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        vec![Problem {
            path: "(file)".into(),
            message: e.to_string(),
        }]
    })
}

/// The message of a thrown JavaScript error, or its string form.
pub fn js_message(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
