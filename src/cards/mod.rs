//! The card area under the log: the interactive part of the current card. One file
//! per card kind; each talks to the engine only through [`Chat`].

mod compose;
mod info_capture;
mod live_chat;
mod meeting;
mod note;
pub mod part;
mod question;
mod rating;

use crate::chat::Chat;
use crate::effect::effect;
use chinwag_dialogue::engine::Prompt;
use leptos::html;
use leptos::leptos_dom::helpers::request_animation_frame;
use leptos::prelude::*;
use note::{Action, NoteCard};
use wasm_bindgen::JsCast;

#[component]
pub fn CardArea() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let area = NodeRef::<html::Div>::new();
    // The card to show, with the transcript's length: every answer lengthens the
    // transcript, while other changes (closing the panel, a typing tick) leave both
    // equal, so the card is not rebuilt and nothing typed is lost. A `Memo`, though its
    // code is 4 KB: a signal set by an effect shows the card a task after its line
    // (docs/performance.md, "Won back for the whole").
    let prompt = Memo::new(move |_| {
        chat.settled()
            .then(|| chat.with_dialogue(|d| chat.stream.with(|s| (s.prompt(d), s.transcript.len()))))
    });
    // Move focus to the new card's first control, so keyboard users can answer at once:
    // when the panel opens, or when the focus is the widget's or nobody's. A card that
    // arrives while the visitor types in the host page (or another frame) leaves the
    // focus where it is.
    let (mut prefetched, mut was_open) = (false, None);
    effect(move || {
        let open = chat.open.get();
        if open && !prefetched {
            prefetched = true;
            // The first time the panel opens: the parts its cards will need, on idle.
            leptos::prelude::set_timeout(
                move || {
                    // The widget may have been removed before the timer fired.
                    chat.try_with_dialogue(|d| part::prefetch(d.dialogue()));
                },
                Default::default(),
            );
        }
        if prompt.with(Option::is_some) && open {
            let opened = was_open == Some(false);
            request_animation_frame(move || {
                if opened || focus_is_free(area) {
                    focus_first(area)
                }
            });
        }
        was_open = Some(open);
    });
    view! {
        <div class="cw-card" node_ref=area>
            {move || prompt.get().map(|(p, _)| match part::of(&p) {
                Some(load) => part::lazy_card(p, load, area).into_any(),
                None => match p {
                    Prompt::Question { answers, free_text } => view! { <question::QuestionCard answers free_text /> }.into_any(),
                    _ => view! { <NoteCard note=chat.strings.conversation_ended.to_owned() action=Action::StartOver /> }.into_any(),
                },
            })}
        </div>
    }
}

/// Whether the focus may move to a new card: the page has the keyboard, and it is on the
/// widget or on nothing at all.
pub(crate) fn focus_is_free(area: NodeRef<html::Div>) -> bool {
    // Called from timers and frames: the widget may have been removed meanwhile.
    let Some(area) = area.try_get_untracked().flatten() else {
        return false;
    };
    let Some(document) = area.owner_document().filter(|d| d.has_focus().unwrap_or(false)) else {
        return false;
    };
    let host = area
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .map(|s| s.host());
    match document.active_element() {
        None => true,
        Some(active) => document.body().is_some_and(|b| *b == active) || host.is_ok_and(|h| h == active),
    }
}

/// Focuses the first enabled control inside `area` that shows (a hidden one, such as
/// the rating's stars while the chat is open, cannot take the focus).
pub fn focus_first(area: NodeRef<html::Div>) {
    let Some(area) = area.try_get_untracked().flatten() else {
        return;
    };
    let area: &web_sys::Element = area.unchecked_ref();
    let Ok(controls) = area.query_selector_all("input:not([disabled]), button:not([disabled]), textarea")
    else {
        return;
    };
    let shown = (0..controls.length())
        .filter_map(|i| controls.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .find(|el| el.offset_parent().is_some());
    if let Some(el) = shown {
        let _ = el.focus();
    }
}
