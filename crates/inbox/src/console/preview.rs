//! The draft in the real widget: the same bundle visitors download (`/widget/`), in a
//! frame of its own, started with the draft, the site's appearance (its CSS computed by
//! `chinwag-site`, as the server computes it for visitors), the chosen language and an
//! anonymous or a known visitor. It starts again, from the first card, whenever the
//! draft changes and is valid (after a pause in typing), or on *Restart*.
//!
//! What it cannot do: hand over to a person or book a meeting (the frame is not one of
//! the site's origins, so the widget says nobody is available and shows the fallback).

use super::draft::Draft;
use crate::api::call;
use chinwag_site::appearance::Appearance;
use chinwag_site::strings::Strings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;

/// How long typing must pause before the preview starts again.
const SETTLE_MS: i32 = 700;

fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// Every language the dialogue has a text in, its default first.
pub fn locales(dialogue: &Value) -> Vec<String> {
    let default = dialogue["default_locale"].as_str().unwrap_or("en").to_owned();
    let mut found = vec![default];
    collect_locales(&dialogue["stream"], &mut found);
    found
}

fn collect_locales(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if matches!(key.as_str(), "text" | "label" | "fallback" | "placeholder") {
                    for locale in v.as_object().into_iter().flat_map(|m| m.keys()) {
                        if !found.contains(locale) {
                            found.push(locale.clone());
                        }
                    }
                }
                collect_locales(v, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_locales(v, found)),
        _ => {}
    }
}

/// The frame's page: the widget's own bundle, mounted from data attributes as the
/// loader mounts it, the dialogue's kept state cleared so it starts from the first card.
/// The widget takes the focus only while its page has it, so a restart never takes the
/// keyboard from the designer.
pub fn page(dialogue: &Value, appearance: &Appearance, locale: &str, attributes: &Value) -> String {
    let mut own: chinwag_dialogue::Appearance =
        serde_json::from_value(dialogue["appearance"].clone()).unwrap_or_default();
    let css = appearance.apply_to(&mut own);
    let mut dialogue = dialogue.clone();
    dialogue["appearance"] = serde_json::to_value(&own).unwrap_or(Value::Null);
    let strings = Strings::for_locale(locale).lines();
    let greeting = appearance
        .greeting_in(locale)
        .map(|g| format!(" data-chinwag-greeting=\"{}\"", attribute(&g)))
        .unwrap_or_default();
    // A JSON string inside a script element: `<` written as an escape, so no id can
    // end the script.
    let key = serde_json::to_string(&format!(
        "chinwag:{}",
        dialogue["id"].as_str().unwrap_or_default()
    ))
    .unwrap_or_default()
    .replace('<', "\\u003c");
    format!(
        "<!doctype html><html lang=\"{locale}\"><body style=\"margin:0;min-height:100vh;background:#f6f8fa\">\
         <div data-chinwag-dialogue=\"{}\" data-chinwag-locale=\"{}\" data-chinwag-attributes=\"{}\" \
         data-chinwag-css=\"{}\" data-chinwag-strings=\"{}\"{greeting} data-chinwag-open></div>\
         <script type=\"module\">localStorage.removeItem({key});\
         const m = await import('/widget/chinwag-widget.js');\
         await m.default({{ module_or_path: '/widget/chinwag-widget_bg.wasm' }});</script></body></html>",
        attribute(&dialogue.to_string()),
        attribute(locale),
        attribute(&attributes.to_string()),
        attribute(&css),
        attribute(&strings),
        locale = attribute(locale),
    )
}

#[component]
pub fn Preview(draft: Draft, site: String) -> impl IntoView {
    let appearance = RwSignal::new(Appearance::default());
    spawn_local(async move {
        let sites: Vec<Value> = call("GET", "/api/sites", None, "").await.unwrap_or_default();
        if let Some(s) = sites.iter().find(|s| s["id"] == site.as_str()) {
            appearance.set(serde_json::from_value(s["appearance"].clone()).unwrap_or_default());
        }
    });
    let locale = RwSignal::new(String::new());
    let known = RwSignal::new(false);
    let restarts = RwSignal::new(0u32);
    // The draft the frame runs: the last valid one, once typing pauses.
    let shown = RwSignal::new(None::<Value>);
    let waiting = StoredValue::new(None::<i32>);
    Effect::new(move |_| {
        if draft.checked.with(Result::is_err) {
            return;
        }
        let Some(doc) = draft.value() else { return };
        if let Some(id) = waiting.get_value() {
            window().clear_timeout_with_handle(id);
        }
        let settle = wasm_bindgen::closure::Closure::once_into_js(move || shown.set(Some(doc)));
        waiting.set_value(
            window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(settle.unchecked_ref(), SETTLE_MS)
                .ok(),
        );
    });
    let languages = move || shown.with(|d| d.as_ref().map(locales).unwrap_or_default());
    let srcdoc = move || {
        restarts.track();
        let doc = shown.get()?;
        let chosen = locale.get();
        let locale = if chosen.is_empty() {
            languages().first().cloned().unwrap_or_else(|| "en".into())
        } else {
            chosen
        };
        let attributes = if known.get() {
            json!({ "email": "sam.known@example.com", "first_name": "Sam" })
        } else {
            json!({})
        };
        Some(appearance.with(|a| page(&doc, a, &locale, &attributes)))
    };
    view! {
        <section class="preview" aria-labelledby="preview-title">
            <div class="row">
                <h4 id="preview-title">"Preview in the real widget"</h4>
                <button type="button" on:click=move |_| restarts.update(|n| *n += 1)>"Restart"</button>
                <label>"Language " <select on:change=move |e| locale.set(event_target_value(&e))>
                    {move || languages().into_iter().map(|l| view! { <option value=l.clone() selected={l == locale.get()}>{l.clone()}</option> }).collect_view()}
                </select></label>
                <label class="switch"><input type="checkbox" prop:checked=known on:change=move |e| known.set(event_target_checked(&e)) /> " A known visitor (Sam, with an email)"</label>
            </div>
            {move || match srcdoc() {
                Some(doc) => view! { <iframe class="preview-frame" title="The dialogue in the widget" srcdoc=doc></iframe> }.into_any(),
                None if draft.checked.with(Result::is_err) => view! { <p class="hint">"The preview starts once the draft is free of problems."</p> }.into_any(),
                None => view! { <p class="hint">"Starting the preview…"</p> }.into_any(),
            }}
            <p class="hint">"Handing over to a person and booking a meeting show their fallback here: the preview is not one of the site's pages."</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_default_first_and_attributes_escaped() {
        let d = json!({ "default_locale": "sv", "stream": [{ "type": "message", "text": { "en": "Hi", "sv": "Hej" } },
            { "type": "question", "text": "?", "answers": [{ "label": { "it": "Sì" }, "then": [] }] }] });
        assert_eq!(locales(&d), ["sv", "en", "it"]);
        assert_eq!(attribute(r#"<b a="x">&"#), "&lt;b a=&quot;x&quot;>&amp;");
        let html = page(
            &json!({ "id": "d\"</script>", "stream": [] }),
            &Appearance::default(),
            "en",
            &json!({}),
        );
        assert_eq!(
            html.matches("</script>").count(),
            1,
            "the id cannot end the script"
        );
        assert!(
            html.contains(r#"localStorage.removeItem("chinwag:d\"\u003c/script>")"#),
            "{html}"
        );
    }
}
