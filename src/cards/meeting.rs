//! The meeting card: booking arrives in a later release; until then the visitor
//! reads the fallback and carries on.

use crate::widget::Chat;
use chinwag_dialogue::engine::Answer;
use leptos::prelude::*;

#[component]
pub fn MeetingCard(fallback: String) -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! {
        <p class="cw-note">{fallback}</p>
        <button class="cw-answer" on:click=move |_| {
            let _ = chat.answer(Answer::Continue);
        }>{chat.strings.continue_}</button>
    }
}
