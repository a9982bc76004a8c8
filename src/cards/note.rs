//! A note with one button: a meeting card's fallback (no free time, no server: the
//! visitor reads it and continues) and the end of the dialogue (start over). One
//! component for both keeps the bundle small.

use crate::chat::Chat;
use chinwag_dialogue::engine::Answer;
use leptos::prelude::*;

/// What the note's button does.
#[derive(Clone, Copy)]
pub enum Action {
    Continue,
    StartOver,
}

#[component]
pub fn NoteCard(note: String, action: Action) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let label = match action {
        Action::Continue => chat.strings.continue_,
        Action::StartOver => chat.strings.start_over,
    };
    let act = move |_| match action {
        Action::Continue => drop(chat.answer(Answer::Continue)),
        Action::StartOver => chat.start_over(),
    };
    view! {
        <p class="cw-note">{note}</p>
        <button class="cw-answer" on:click=act>{label}</button>
    }
}
