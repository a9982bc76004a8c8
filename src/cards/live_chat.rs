//! The live-chat card: hands the conversation to the transport once, shows the
//! connection state, and lets the visitor type. When nobody is available the
//! fallback shows and the visitor can still leave a message: nothing is lost.

use super::compose::{Compose, OnSend};
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
                Connection::Connected { agent } => format!("{agent} {}", strings.agent_joined),
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
        LiveEvent::AgentMessage { author, text } => {
            chat.live_lines.try_update(|l| {
                l.push(LiveLine {
                    from_visitor: false,
                    author,
                    text,
                })
            });
        }
    });
    chat.transport.with_value(|t| t.connect(handoff, on_event));
    let on_send: OnSend = Rc::new(move |text: String| {
        chat.live_lines.update(|l| {
            l.push(LiveLine {
                from_visitor: true,
                author: String::new(),
                text: text.clone(),
            })
        });
        chat.transport.with_value(|t| t.send(text));
        true
    });
    view! {
        <div class="cw-live-card">
            <p class="cw-status" role="status">{move || status.get()}</p>
            <Compose
                id="cw-live-input"
                label=strings.type_message
                placeholder=strings.type_message.to_owned()
                send_label=strings.send
                max_length=2000
                on_send
                disabled=closed
            />
        </div>
    }
}
