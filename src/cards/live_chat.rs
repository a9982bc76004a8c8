//! The live-chat card: shows the connection state of the widget's [`LiveSession`]
//! (which connects even while the panel is closed) and lets the visitor type. When nobody is available the
//! fallback shows and the visitor can still leave a message: nothing is lost.

use super::compose::{Compose, OnSend, OnTyping};
use crate::chat::Chat;
use crate::live::LiveSession;
use leptos::prelude::*;
use std::rc::Rc;

#[component]
pub fn LiveChatCard() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let strings = chat.strings;
    let live = chat.live;
    let LiveSession {
        status,
        closed,
        receipt,
        agent,
        agent_typing,
        ..
    } = live;
    let on_send: OnSend = Rc::new(move |text: String| {
        chat.host.with_value(|h| live.send(&*h.transport, text, strings));
        true
    });
    let on_typing: OnTyping = Rc::new(move || chat.host.with_value(|h| h.transport.typing(true)));
    view! {
        <div class="cw-live-card">
            <p class="cw-status" role="status">{move || status.get()}</p>
            <p class="cw-receipt" aria-live="polite">
                {move || match agent_typing.get() {
                    true => format!("{} {}", agent.get(), strings.typing),
                    false => receipt.get(),
                }}
            </p>
            <Compose
                id="cw-live-input"
                label=strings.type_message
                placeholder=strings.type_message.to_owned()
                send_label=strings.send
                max_length=chinwag_protocol::MAX_TEXT as u32
                on_send
                on_typing
                disabled=closed
            />
        </div>
    }
}
