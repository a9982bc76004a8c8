//! Dialogue JSON in the browser: parsed by the browser's own `JSON.parse` (smaller
//! than bundling serde_json), then read with serde
//! (preview) or by hand (visitors' bundles, see `read`).
//!
//! The preview (feature `preview`) validates and names the path of every problem, as
//! the command-line validator does. Visitors' bundles get dialogues the server has
//! already validated, so they skip the validator's code; the engine is panic-free on
//! any dialogue regardless.

use chinwag_dialogue::{Dialogue, Problem, ValidDialogue};
use wasm_bindgen::JsValue;

/// Parses (and, in the preview, validates) a dialogue file.
pub fn dialogue(json: &str) -> Result<ValidDialogue, Vec<Problem>> {
    let value =
        js_sys::JSON::parse(json).map_err(|e| problem(format!("not valid JSON: {}", js_message(&e))))?;
    check(read(value)?)
}

fn problem(message: String) -> Vec<Problem> {
    vec![Problem {
        path: "(file)".into(),
        message,
    }]
}

#[cfg(feature = "preview")]
fn read(value: JsValue) -> Result<Dialogue, Vec<Problem>> {
    serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(value)).map_err(|e| {
        let path = e.path().to_string();
        let mut problems = problem(e.into_inner().to_string());
        if path != "." {
            problems[0].path = path;
        }
        problems
    })
}

#[cfg(feature = "preview")]
fn check(dialogue: Dialogue) -> Result<ValidDialogue, Vec<Problem>> {
    chinwag_dialogue::validate(dialogue)
}

/// Visitors' bundles read the dialogue by hand (see `read`).
#[cfg(not(feature = "preview"))]
fn read(value: JsValue) -> Result<Dialogue, Vec<Problem>> {
    crate::read::dialogue(&value).ok_or_else(|| problem("not a dialogue".into()))
}

#[cfg(not(feature = "preview"))]
fn check(dialogue: Dialogue) -> Result<ValidDialogue, Vec<Problem>> {
    Ok(ValidDialogue::trusted(dialogue))
}

/// The message of a thrown JavaScript error, or its string form.
pub fn js_message(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
