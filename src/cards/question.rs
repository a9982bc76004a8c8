//! Answer buttons, each opening its own branch, and an optional free-text answer.

use crate::widget::Chat;
use chinwag_dialogue::engine::{Answer, FreeTextPrompt};
use leptos::prelude::*;

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
        {free_text.map(|f| view! { <FreeTextForm placeholder=f.placeholder /> })}
    }
}

#[component]
fn FreeTextForm(placeholder: Option<String>) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let text = RwSignal::new(String::new());
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let _ = chat.answer(Answer::Text(text.get_untracked()));
    };
    view! {
        <form class="cw-compose" on:submit=submit>
            <label class="cw-visually-hidden" for="cw-free-text">{chat.strings.your_answer}</label>
            <input
                id="cw-free-text"
                type="text"
                maxlength="500"
                autocomplete="off"
                placeholder=placeholder.unwrap_or_else(|| chat.strings.type_answer.to_owned())
                prop:value=move || text.get()
                on:input=move |e| text.set(event_target_value(&e))
            />
            <button type="submit" disabled=move || text.with(|t| t.trim().is_empty())>{chat.strings.send}</button>
        </form>
    }
}
