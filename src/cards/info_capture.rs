//! A form for the visitor's details, with inline, announced validation errors.
//! Values are checked by the engine (the same rules the server applies).
//!
//! Written lean on purpose: inputs are uncontrolled and read once on submit, and one
//! `input` listener on the form clears errors, because every reactive attribute and
//! handler in a Leptos view costs visitors bytes.

use crate::chat::Chat;
use chinwag_dialogue::cards::FieldKind;
use chinwag_dialogue::engine::{Answer, AnswerError, FieldPrompt};
use leptos::html;
use leptos::prelude::*;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

/// The form's rules, added to the root when a form first shows.
const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/info_capture.min.css"));

fn input_type(kind: FieldKind) -> (&'static str, &'static str) {
    match kind {
        FieldKind::Email => ("email", "email"),
        FieldKind::Phone => ("tel", "tel"),
        FieldKind::FirstName => ("text", "given-name"),
        FieldKind::LastName => ("text", "family-name"),
        FieldKind::Company => ("text", "organization"),
        FieldKind::JobTitle => ("text", "organization-title"),
        FieldKind::Custom => ("text", "off"),
    }
}

/// Every input's value by its `name` (the attribute it fills). Built by inserting,
/// not `collect()`: collecting into a map sorts first, which costs visitors bytes.
fn values(form: &Element) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    if let Ok(inputs) = form.query_selector_all("input") {
        for input in (0..inputs.length()).filter_map(|i| inputs.item(i)) {
            let input: HtmlInputElement = input.unchecked_into();
            values.insert(input.name(), input.value());
        }
    }
    values
}

#[component]
pub fn InfoCaptureCard(fields: Vec<FieldPrompt>, submit_label: Option<String>) -> impl IntoView {
    let chat = expect_context::<Chat>();
    // Refused fields: (attribute, message). Empty while all is well.
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let form = NodeRef::<html::Form>::new();
    let custom: Vec<(String, Option<String>)> = fields
        .iter()
        .map(|f| (f.attribute.clone(), f.error.clone()))
        .collect();
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let Some(form) = form.get_untracked() else { return };
        let Err(AnswerError::Fields(refused)) = chat.answer(Answer::Fields(values(&form))) else {
            return;
        };
        let message = |(attribute, problem)| {
            let text = custom
                .iter()
                .find(|(a, _)| *a == attribute)
                .and_then(|(_, e)| e.clone());
            (
                attribute,
                text.unwrap_or_else(|| chat.strings.field_problem(problem).to_owned()),
            )
        };
        errors.set(refused.into_iter().map(message).collect());
        // Take the visitor to the first field to fix.
        if let Ok(Some(first)) = form.query_selector("[aria-invalid=true]") {
            let _ = first.unchecked_into::<HtmlElement>().focus();
        }
    };
    let typed = move |e: web_sys::Event| {
        if let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
            errors.update(|errors| {
                errors.retain(|(attribute, _)| *attribute != input.name());
            });
        }
    };
    let rows = fields
        .into_iter()
        .map(|field| {
            let attribute = field.attribute;
            let id = format!("cw-field-{attribute}");
            let error_id = format!("cw-error-{attribute}");
            let (kind, autocomplete) = input_type(field.kind);
            let label = field
                .label
                .unwrap_or_else(|| chat.strings.field_label(field.kind).to_owned());
            let optional = if field.required { "" } else { chat.strings.optional };
            let (name, invalid) = (attribute.clone(), attribute.clone());
            view! {
                <div class="cw-field">
                    <label for=id.clone()>{label} <span class="cw-optional">{optional}</span></label>
                    <input
                        id=id
                        name=name
                        type=kind
                        autocomplete=autocomplete
                        aria-required=field.required.to_string()
                        aria-describedby=error_id.clone()
                        aria-invalid=move || errors.with(|e| e.iter().any(|(a, _)| *a == invalid)).to_string()
                    />
                    <p class="cw-error" id=error_id>{move || errors.with(|e| e.iter().find(|(a, _)| *a == attribute).map(|(_, m)| m.clone()))}</p>
                </div>
            }
            .into_any()
        })
        .collect_view();
    crate::effect::on_load(form, |el| crate::style::adopt(&el, CSS, "__chinwagForm"));
    view! {
        <form class="cw-form" novalidate=true node_ref=form on:submit=submit on:input=typed>
            {rows}
            <button type="submit" class="cw-submit">
                {submit_label.unwrap_or_else(|| chat.strings.submit.to_owned())}
            </button>
        </form>
    }
}
