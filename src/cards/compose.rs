//! A one-line text box with a Send button, for free-text answers and live chat.
//! Enter sends; Send is disabled while the box is blank.

use leptos::prelude::*;
use std::rc::Rc;

/// Called with the trimmed text; returns whether to clear the box.
pub type OnSend = Rc<dyn Fn(String) -> bool>;

/// Called while the visitor types (at most every 2 s).
pub type OnTyping = Rc<dyn Fn()>;

#[component]
pub fn Compose(
    id: &'static str,
    label: &'static str,
    placeholder: String,
    send_label: &'static str,
    max_length: u32,
    on_send: OnSend,
    #[prop(optional)] on_typing: Option<OnTyping>,
) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let last_typing = std::cell::Cell::new(0.0);
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let text = draft.get_untracked().trim().to_owned();
        if !text.is_empty() && on_send(text) {
            draft.set(String::new());
        }
    };
    view! {
        <form class="cw-compose" on:submit=submit>
            <label class="cw-visually-hidden" for=id>{label}</label>
            <input
                id=id
                type="text"
                autocomplete="off"
                maxlength=max_length
                placeholder=placeholder
                prop:value=move || draft.get()
                on:input=move |e| {
                    draft.set(event_target_value(&e));
                    let now = js_sys::Date::now();
                    if let Some(typing) = on_typing.as_ref().filter(|_| now - last_typing.get() > 2_000.0) {
                        last_typing.set(now);
                        typing();
                    }
                }
            />
            <button type="submit" disabled=move || draft.with(|d| d.trim().is_empty())>
                {send_label}
            </button>
        </form>
    }
}
