//! The cards most visitors never reach (info capture, meeting, live chat), each in a
//! wasm part of its own: the embed bundle (feature `split`, `scripts/split-bundle.mjs`)
//! fetches a part when the dialogue is about to need it, and every visitor downloads
//! only the start. Built without the feature (the preview, the browser tests), the
//! parts are in the one module and "loading" one is immediate.
//!
//! A part is a function that returns the card's view builder, so the view is built
//! under the card area's owner (its context, its cleanup) once the part is there.
//! When a part cannot load, the card says so with Try again; a meeting can still be
//! passed by (Continue), any other card by starting over: never a dead end.

use super::note::{Action, NoteCard};
use crate::chat::Chat;
use crate::part::{part, Unloaded};
use chinwag_dialogue::engine::{Answer, Prompt};
use leptos::html;
use leptos::leptos_dom::helpers::request_animation_frame;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// Builds a card's view from its prompt (a plain function pointer: it crosses the
/// part's boundary).
pub type Card = fn(Prompt) -> AnyView;

type Loading = Pin<Box<dyn Future<Output = Result<Card, Unloaded>>>>;

part!(info_capture in info_capture_part: Card, preload preload_info_capture = |p| match p {
    Prompt::InfoCapture { fields, submit_label } => {
        view! { <super::info_capture::InfoCaptureCard fields submit_label /> }.into_any()
    }
    _ => ().into_any(),
});

part!(live_chat in live_chat_part: Card, preload preload_live_chat = |_| view! {
    <super::live_chat::LiveChatCard />
}
.into_any());

part!(meeting in meeting_part: Card, preload preload_meeting = |p| {
    let chat = expect_context::<Chat>();
    match (p, chat.host.with_value(|h| h.server.clone())) {
        (Prompt::Meeting { fallback, .. }, Some((server, site))) => {
            super::meeting::meeting_card(chat, fallback, server, site).into_any()
        }
        (Prompt::Meeting { fallback, .. }, None) => {
            view! { <NoteCard note=fallback action=Action::Continue /> }.into_any()
        }
        _ => ().into_any(),
    }
});

/// The part for a prompt, if its card lives in one.
pub fn of(prompt: &Prompt) -> Option<fn() -> Loading> {
    match prompt {
        Prompt::InfoCapture { .. } => Some(|| Box::pin(info_capture())),
        Prompt::Meeting { .. } => Some(|| Box::pin(meeting())),
        Prompt::LiveChat { .. } => Some(|| Box::pin(live_chat())),
        _ => None,
    }
}

/// Fetches the parts of the cards a dialogue has, one after the other, in the
/// background: called once the visitor opens the panel, so a part is there before the
/// dialogue reaches its card. A failure here is met again, with Try again, at the card.
pub fn prefetch(dialogue: &chinwag_dialogue::Dialogue) {
    let mut kinds = [false; 3];
    fn walk(cards: &[chinwag_dialogue::cards::Card], kinds: &mut [bool; 3]) {
        for card in cards {
            match card.kind_name() {
                "info_capture" => kinds[0] = true,
                "meeting" => kinds[1] = true,
                "live_chat" => kinds[2] = true,
                _ => {}
            }
            for (_, list) in card.lists() {
                walk(list, kinds);
            }
        }
    }
    walk(&dialogue.stream, &mut kinds);
    leptos::task::spawn_local(async move {
        if kinds[0] {
            let _ = preload_info_capture().await;
        }
        if kinds[1] {
            let _ = preload_meeting().await;
        }
        if kinds[2] {
            let _ = preload_live_chat().await;
        }
    });
}

/// A card whose code is in a part: nothing while it loads (a prefetched part is there
/// within the frame), then the card; or, if the part cannot load, a note with Try again.
pub fn lazy_card(prompt: Prompt, load: fn() -> Loading, area: NodeRef<html::Div>) -> impl IntoView {
    let chat = expect_context::<Chat>();
    // None while loading; Some(Err) when the fetch failed.
    let state = RwSignal::new(None::<Result<Card, ()>>);
    let fetch = move || {
        leptos::task::spawn_local(async move {
            let loaded = load().await.map_err(|Unloaded| ());
            // The card may be gone by now (an answer from another tab).
            if state.try_set(Some(loaded)).is_none() && chat.open.try_get_untracked() == Some(true) {
                // Arrived after the card area's own focus move: as that one would.
                request_animation_frame(move || {
                    if super::focus_is_free(area) {
                        super::focus_first(area)
                    }
                });
            }
        })
    };
    fetch();
    let meeting = matches!(prompt, Prompt::Meeting { .. });
    move || {
        match state.get() {
        None => ().into_any(),
        Some(Ok(card)) => card(prompt.clone()),
        Some(Err(())) => view! {
            <p class="cw-note" role="alert">{chat.strings.part_failed}</p>
            <button class="cw-answer" on:click=move |_| {
                state.set(None);
                fetch();
            }>{chat.strings.try_again}</button>
            {if meeting {
                view! { <button class="cw-answer" on:click=move |_| drop(chat.answer(Answer::Continue))>{chat.strings.continue_}</button> }.into_any()
            } else {
                view! { <button class="cw-answer" on:click=move |_| chat.start_over()>{chat.strings.start_over}</button> }.into_any()
            }}
        }
        .into_any(),
    }
    }
}
