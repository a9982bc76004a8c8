use crate::widget::Chat;
use leptos::prelude::*;

#[component]
pub fn EndedCard() -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! {
        <p class="cw-note">{chat.strings.conversation_ended}</p>
        <button class="cw-answer" on:click=move |_| chat.start_over()>{chat.strings.start_over}</button>
    }
}
