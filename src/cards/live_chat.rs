//! The live-chat card: hands the conversation to the transport once, shows the
//! connection state, and lets the visitor type. When nobody is available the
//! fallback shows and the visitor can still leave a message: nothing is lost.

use super::compose::{Compose, OnSend, OnTyping};
use crate::entry::LiveLine;
use crate::live::{Connection, Handoff, LiveEvent, OnLiveEvent};
use crate::widget::Chat;
use chinwag_dialogue::Route;
use leptos::prelude::*;
use std::rc::Rc;

#[component]
pub fn LiveChatCard(route: Route, fallback: String) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let strings = chat.strings;
    // One status line whose text follows the connection, announced politely.
    let status = RwSignal::new(strings.connecting.to_owned());
    let closed = RwSignal::new(false);
    // "Sending…" / "Delivered" for the visitor's last message, and who is typing.
    let receipt = RwSignal::new(String::new());
    let last_sent = Rc::new(std::cell::RefCell::new(String::new()));
    let last_sent_by_send = last_sent.clone();
    let agent = RwSignal::new(String::new());
    let agent_typing = RwSignal::new(false);
    let handoff = chat.stream.with_untracked(|s| Handoff {
        dialogue_id: s.dialogue_id.clone(),
        card: s.position().map(ToString::to_string).unwrap_or_default(),
        transcript: s.transcript.clone(),
        attributes: s.visitor.attributes.clone(),
        page_url: s.visitor.page_url.clone(),
        route,
    });
    let on_event: OnLiveEvent = Rc::new(move |event| match event {
        LiveEvent::State(state) => {
            closed.try_set(state == Connection::Closed);
            status.try_set(match state {
                Connection::Connecting => strings.connecting.to_owned(),
                Connection::Connected { agent: name } => {
                    let joined = format!("{name} {}", strings.agent_joined);
                    agent.try_set(name);
                    joined
                }
                // The dialogue's fallback says what happens next; the box stays open.
                Connection::Unavailable => fallback.clone(),
                Connection::Closed => strings.chat_closed.to_owned(),
            });
        }
        LiveEvent::VisitorMessage { text } => {
            chat.live_lines.try_update(|l| {
                l.push(LiveLine {
                    from_visitor: true,
                    author: String::new(),
                    text,
                })
            });
        }
        LiveEvent::Delivered { id } => {
            if *last_sent.borrow() == id {
                receipt.try_set(strings.delivered.to_owned());
            }
        }
        LiveEvent::AgentTyping(on) => {
            agent_typing.try_set(on);
        }
        LiveEvent::AgentMessage { author, text } => {
            agent_typing.try_set(false);
            chat.live_lines.try_update(|l| {
                l.push(LiveLine {
                    from_visitor: false,
                    author,
                    text,
                })
            });
        }
    });
    chat.host.with_value(|h| h.transport.connect(handoff, on_event));
    let on_send: OnSend = Rc::new(move |text: String| {
        chat.live_lines.update(|l| {
            l.push(LiveLine {
                from_visitor: true,
                author: String::new(),
                text: text.clone(),
            })
        });
        receipt.set(strings.sending.to_owned());
        let id = chat.host.with_value(|h| h.transport.send(text));
        *last_sent_by_send.borrow_mut() = id;
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
                max_length=2000
                on_send
                on_typing
                disabled=closed
            />
        </div>
    }
}
