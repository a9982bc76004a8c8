//! The visitor's rating of a closed chat, as Intercom and Chatwoot ask it: five star
//! buttons (a click sends the score), then an optional comment in the same kind of
//! box as a message, which sends the rating again with it (the server keeps the
//! last). The thanks shows once the server has stored it (its `rated` event), so a
//! rating lost on the way is never thanked for.
//!
//! Bytes: it lives in the live-chat part, its rules in the live-chat card's (`live_chat.css`), built once and shown by
//! turns (`hidden`); each reactive piece of view costs the part code of its own, so it
//! has as few as it needs (docs/performance.md).

use super::compose::{Compose, OnSend};
use crate::chat::Chat;
use leptos::prelude::*;
use std::rc::Rc;

/// `rating`: the live session's (none while the chat is open; 0 once closed, until
/// the server has stored the visitor's score).
#[component]
pub fn Rating(rating: RwSignal<Option<u8>>) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let strings = chat.strings;
    let commented = RwSignal::new(false);
    let rate = move |score: u8, comment: String| {
        chat.live.transport().rate(score, comment);
    };
    let on_send: OnSend = Rc::new(move |text: String| {
        commented.set(true);
        rate(rating.get_untracked().unwrap_or(0), text);
        true
    });
    let stars = (1..=5u8)
        .map(|n| {
            view! {
                <button
                    type="button"
                    class="cw-star"
                    aria-label=strings.rate_score.replace("{n}", &n.to_string())
                    on:click=move |_| {
                        commented.set(false);
                        rate(n, String::new());
                    }
                >
                    "★"
                </button>
            }
        })
        .collect_view();
    let score = move || rating.get().unwrap_or(0);
    view! {
        <div class="cw-rating" hidden=move || rating.get() != Some(0)>
            <p>{strings.rate_prompt}</p>
            {stars}
        </div>
        <p class="cw-thanks" role="status" hidden=move || score() == 0>{strings.rate_thanks}</p>
        <div hidden=move || score() == 0 || commented.get()>
            <Compose
                id="cw-rating-comment"
                label=strings.rate_comment
                placeholder=format!("{} {}", strings.rate_comment, strings.optional)
                send_label=strings.send
                max_length=chinwag_protocol::MAX_COMMENT as u32
                on_send
            />
        </div>
    }
}
