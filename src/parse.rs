//! Dialogue JSON in the browser: parsed by the browser's own `JSON.parse` (smaller
//! than bundling serde_json), then read with serde.
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

/// What visitors' bundles read of a dialogue. Targeting is the loader's business (it
/// decides whether to load the widget at all), so the widget skips it unread.
#[cfg(not(feature = "preview"))]
#[derive(serde::Deserialize)]
struct Runnable {
    id: String,
    name: String,
    default_locale: Option<String>,
    appearance: Option<chinwag_dialogue::Appearance>,
    stream: Vec<chinwag_dialogue::Card>,
}

#[cfg(not(feature = "preview"))]
fn read(value: JsValue) -> Result<Dialogue, Vec<Problem>> {
    let run: Runnable = crate::js_de::from_js(value).map_err(|_| problem("not a dialogue".into()))?;
    Ok(Dialogue {
        schema: None,
        id: run.id,
        name: run.name,
        default_locale: run
            .default_locale
            .unwrap_or_else(|| chinwag_dialogue::dialogue::DEFAULT_LOCALE.into()),
        targeting: Default::default(),
        appearance: run.appearance,
        stream: run.stream,
    })
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
