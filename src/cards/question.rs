//! Answer buttons, each opening its own branch, and an optional free-text answer.

use super::compose::{Compose, OnSend};
use crate::chat::Chat;
use chinwag_dialogue::engine::{Answer, FreeTextPrompt};
use leptos::prelude::*;
use std::rc::Rc;

#[component]
pub fn QuestionCard(answers: Vec<String>, free_text: Option<FreeTextPrompt>) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let buttons = answers
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            view! {
                <button class="cw-answer" on:click=move |_| {
                    let _ = chat.answer(Answer::Choice(i));
                }>{label}</button>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <div class="cw-answers" role="group" aria-label=chat.strings.your_answer>{buttons}</div>
        {free_text.map(|f| {
            let on_send: OnSend = Rc::new(move |text| chat.answer(Answer::Text(text)).is_ok());
            view! {
                <Compose
                    id="cw-free-text"
                    label=chat.strings.your_answer
                    placeholder=f.placeholder.unwrap_or_else(|| chat.strings.type_answer.to_owned())
                    send_label=chat.strings.send
                    max_length=500
                    on_send
                />
            }
        })}
    }
}
