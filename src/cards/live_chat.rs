//! The live-chat card: shows the connection state of the widget's [`LiveSession`]
//! (which connects even while the panel is closed) and lets the visitor type. When nobody is available the
//! fallback shows and the visitor can still leave a message: nothing is lost.
//!
//! Once the agent closes the chat, the visitor may rate it (`rating.rs`).
//!
//! Its small menu lets the visitor download the conversation (a text file made here,
//! from what is on screen) or delete it for good (asked twice; docs/privacy.md).

use super::compose::{Compose, OnSend, OnTyping};
use crate::chat::Chat;
use crate::live::LiveSession;
use chinwag_dialogue::Speaker;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// Its rules and the rating's, added to the root when the card first shows.
const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/live_chat.min.css"));

#[component]
pub fn LiveChatCard() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let strings = chat.strings;
    let live = chat.live;
    let LiveSession {
        status,
        receipt,
        agent,
        agent_typing,
        rating,
        ..
    } = live;
    let on_send: OnSend = Rc::new(move |text: String| {
        live.send(text);
        true
    });
    let on_typing: OnTyping = Rc::new(move || live.transport().typing(true));
    // The file is written when asked for: the link's address is set just before the
    // browser follows it.
    let download = move |e: web_sys::MouseEvent| {
        let bot = chat.bot_name();
        let mut text = String::new();
        let mut line = |who: &str, said: &str| {
            text.push_str(who);
            text.push_str(": ");
            text.push_str(said);
            text.push('\n');
        };
        chat.stream.with_untracked(|s| {
            for e in &s.transcript {
                line(
                    if e.speaker == Speaker::Bot {
                        &bot
                    } else {
                        strings.you
                    },
                    &e.text,
                );
            }
        });
        live.lines.with_untracked(|lines| {
            for l in lines {
                line(if l.from_visitor { strings.you } else { &l.author }, &l.text);
            }
        });
        let href = String::from("data:text/plain;charset=utf-8,")
            + &String::from(js_sys::encode_uri_component(&text));
        if let Some(link) = e
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = link.set_attribute("href", &href);
        }
    };
    // Offered when the conversation has an email to send it to.
    let has_email = chat
        .stream
        .with_untracked(|s| s.visitor.is_known("email") || s.captured.contains_key("email"));
    let email_it = move |_| live.transport().email_transcript();
    // A file: checked for size here (no 10 MB upload to be refused), then sent.
    let attach = move |e: web_sys::Event| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        if file.size() > chinwag_protocol::MAX_FILE as f64 {
            receipt.set(strings.file_too_big.replace("{name}", &file.name()));
            return;
        }
        receipt.set(strings.sending.to_owned());
        live.transport().attach(file);
    };
    // Asked twice: the button's own words change to the question.
    let delete = move |e: web_sys::MouseEvent| {
        let Some(button) = e
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        match button.text_content().as_deref() == Some(strings.delete_confirm) {
            true => live.transport().erase(),
            false => button.set_text_content(Some(strings.delete_confirm)),
        }
    };
    // Shown after its part came by the card's own Try again: the hand-off waiting for
    // the part goes now, not at the hand-over's next try.
    live.connect_pending();
    let root = NodeRef::<leptos::html::Div>::new();
    crate::effect::on_load(root, |el| crate::style::adopt(&el, CSS, "__chinwagLive"));
    view! {
        <div class="cw-live-card" node_ref=root>
            <p class="cw-status" role="status">{move || status.get()}</p>
            <p class="cw-receipt" aria-live="polite">
                {move || match agent_typing.get() {
                    true => format!("{} {}", agent.get(), strings.typing),
                    false => receipt.get(),
                }}
            </p>
            <super::rating::Rating rating />
            <Compose
                id="cw-live-input"
                label=strings.type_message
                placeholder=strings.type_message.to_owned()
                send_label=strings.send
                max_length=chinwag_protocol::MAX_TEXT as u32
                on_send
                on_typing
            />
            <label class="cw-attach">
                {strings.attach}
                <input type="file" class="cw-visually-hidden" on:change=attach />
            </label>
            <details class="cw-menu">
                <summary>{strings.your_conversation}</summary>
                <a href="#" download="conversation.txt" on:click=download>{strings.download}</a>
                {has_email.then(|| view! { <button type="button" on:click=email_it>{strings.email_transcript}</button> })}
                <button type="button" on:click=delete>{strings.delete}</button>
            </details>
        </div>
    }
}
