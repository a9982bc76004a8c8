//! A form for the visitor's details, with inline, announced validation errors.
//! Values are checked by the engine (the same rules the server applies).

use crate::widget::Chat;
use chinwag_dialogue::cards::FieldKind;
use chinwag_dialogue::engine::{Answer, AnswerError, FieldPrompt};
use leptos::html;
use leptos::prelude::*;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

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

#[component]
pub fn InfoCaptureCard(fields: Vec<FieldPrompt>, submit_label: Option<String>) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let values = RwSignal::new(BTreeMap::<String, String>::new());
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let form = NodeRef::<html::Form>::new();
    let custom_errors: BTreeMap<String, Option<String>> = fields
        .iter()
        .map(|f| (f.attribute.clone(), f.error.clone()))
        .collect();
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        if let Err(AnswerError::Fields(refused)) = chat.answer(Answer::Fields(values.get_untracked())) {
            errors.set(
                refused
                    .into_iter()
                    .map(|(attribute, problem)| {
                        let custom = custom_errors.get(&attribute).cloned().flatten();
                        let message =
                            custom.unwrap_or_else(|| chat.strings.field_problem(problem).to_owned());
                        (attribute, message)
                    })
                    .collect(),
            );
            // Take the visitor to the first field to fix.
            if let Some(form) = form.get_untracked() {
                let form: &web_sys::Element = form.unchecked_ref();
                if let Ok(Some(el)) = form.query_selector("[aria-invalid=true]") {
                    let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
                }
            }
        }
    };
    let rows = fields
        .into_iter()
        .map(|field| {
            let attribute = field.attribute.clone();
            let id = format!("cw-field-{attribute}");
            let error_id = format!("cw-error-{attribute}");
            let (kind, autocomplete) = input_type(field.kind);
            let label = field.label.unwrap_or_else(|| chat.strings.field_label(field.kind).to_owned());
            let (a1, a2, a3) = (attribute.clone(), attribute.clone(), attribute.clone());
            let error = move || errors.with(|e| e.get(&a1).cloned());
            let has_error = Memo::new(move |_| errors.with(|e| e.contains_key(&a2)));
            view! {
                <div class="cw-field">
                    <label for=id.clone()>
                        {label}
                        {(!field.required).then(|| view! { <span class="cw-optional">" " {chat.strings.optional}</span> })}
                    </label>
                    <input
                        id=id
                        type=kind
                        autocomplete=autocomplete
                        aria-required=field.required.to_string()
                        aria-invalid=move || has_error.get().to_string()
                        aria-describedby=move || has_error.get().then(|| error_id.clone())
                        on:input=move |e| {
                            let value = event_target_value(&e);
                            values.update(|v| { v.insert(a3.clone(), value); });
                            errors.update(|e| { e.remove(&a3); });
                        }
                    />
                    {
                        let error_id = format!("cw-error-{attribute}");
                        move || error().map(|message| view! { <p class="cw-error" id=error_id.clone()>{message}</p> })
                    }
                </div>
            }
        })
        .collect_view();
    view! {
        <form class="cw-form" novalidate=true node_ref=form on:submit=submit>
            {rows}
            <button type="submit" class="cw-submit">{submit_label.unwrap_or_else(|| chat.strings.submit.to_owned())}</button>
        </form>
    }
}
