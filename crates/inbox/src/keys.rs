//! The conversation keys, as in a mail client: `j`/`k` move between conversations,
//! Enter opens the one with the focus, `r` replies, `n` writes a private note, `e`
//! closes the open conversation, `s` snoozes it, `?` lists them. Only while no field has the keyboard,
//! and never with Ctrl, Alt or Meta: the browser's and the screen reader's own keys
//! stay theirs. Escape in the reply box goes back to the list (`conversation.rs`).

use crate::state::Inbox;
use chinwag_protocol::{AgentFrame, ConversationState};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

const KEYS: [(&str, &str); 7] = [
    ("j / k", "next / previous conversation in the list"),
    ("Enter", "open it"),
    ("r", "reply to the visitor"),
    ("n", "write a private note"),
    ("e", "close the conversation"),
    ("s", "snooze it (a menu: Escape puts it away)"),
    ("?", "this list (Escape closes it)"),
];

#[component]
pub fn Shortcuts(inbox: Inbox) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let keys = window_event_listener(leptos::ev::keydown, move |e| {
        if e.ctrl_key() || e.alt_key() || e.meta_key() || e.default_prevented() || in_field(&e) {
            return;
        }
        let done = match e.key().as_str() {
            "j" => move_in_list(1),
            "k" => move_in_list(-1),
            "r" => write(inbox, false),
            "n" => write(inbox, true),
            "e" => close(inbox),
            "s" => inbox.selected.get_untracked().is_some() && crate::states::open_snooze_menu(),
            "?" => dialog.get_untracked().is_some_and(|d| d.show_modal().is_ok()),
            _ => false,
        };
        if done {
            e.prevent_default();
        }
    });
    on_cleanup(move || keys.remove());
    view! {
        <dialog class="shortcuts" node_ref=dialog aria-labelledby="shortcuts-title">
            <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
            <dl>
                {KEYS.iter().map(|(key, what)| view! { <dt><kbd>{*key}</kbd></dt><dd>{*what}</dd> }).collect_view()}
            </dl>
            <form method="dialog"><button>"Close"</button></form>
        </dialog>
        <p class="keys-hint">"Press " <kbd>"?"</kbd> " for keyboard shortcuts"</p>
    }
}

/// Whether the key goes to a field (typing a `j` in the reply box is a `j`).
fn in_field(e: &web_sys::KeyboardEvent) -> bool {
    let Some(target) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else {
        return false;
    };
    matches!(target.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || target.is_content_editable()
}

/// Moves the focus `step` conversations down (or up) the list, from the one with the
/// focus, else from the open one.
fn move_in_list(step: i32) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Ok(items) = document.query_selector_all(".list .item") else {
        return false;
    };
    let all: Vec<web_sys::HtmlElement> = (0..items.length())
        .filter_map(|i| items.get(i)?.dyn_into().ok())
        .collect();
    if all.is_empty() {
        return false;
    }
    let focused = document.active_element();
    let here = all
        .iter()
        .position(|item| {
            focused
                .as_ref()
                .is_some_and(|f| f == item.unchecked_ref::<web_sys::Element>())
        })
        .or_else(|| {
            all.iter()
                .position(|item| item.get_attribute("aria-current").is_some())
        });
    let to = match here {
        Some(i) => (i as i32 + step).clamp(0, all.len() as i32 - 1) as usize,
        None if step > 0 => 0,
        None => all.len() - 1,
    };
    all[to].focus().is_ok()
}

/// The reply box of the open conversation, in reply or note mode, with the keyboard.
fn write(inbox: Inbox, note: bool) -> bool {
    if inbox.selected.get_untracked().is_none() {
        return false;
    }
    inbox.writing_note.set(note);
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("reply"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|e| e.focus().is_ok())
}

/// Closes the open conversation, when it is open.
fn close(inbox: Inbox) -> bool {
    let Some(id) = inbox.selected.get_untracked() else {
        return false;
    };
    let open = inbox.conversations.with_untracked(|all| {
        all.iter()
            .any(|c| c.id == id && c.state != ConversationState::Closed)
    });
    if open {
        crate::socket::send(&AgentFrame::Close { conversation: id });
    }
    open
}
