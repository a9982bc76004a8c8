//! The live-chat card: hands the conversation to the transport once, shows the
//! connection state, and lets the visitor type. When nobody is available the
//! fallback shows and the visitor can still leave a message: nothing is lost.

use crate::entry::LiveLine;
use crate::live::{Connection, Handoff, LiveEvent, OnLiveEvent};
use crate::widget::Chat;
use chinwag_dialogue::Route;
use leptos::prelude::*;
use std::rc::Rc;

#[component]
pub fn LiveChatCard(route: Route, fallback: String) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let connection = RwSignal::new(Connection::Connecting);
    let draft = RwSignal::new(String::new());
    let handoff = chat.stream.with_untracked(|s| Handoff {
        dialogue_id: s.dialogue_id.clone(),
        transcript: s.transcript.clone(),
        attributes: s.visitor.attributes.clone(),
        page_url: s.visitor.page_url.clone(),
        route,
    });
    let on_event: OnLiveEvent = Rc::new(move |event| match event {
        LiveEvent::State(state) => {
            connection.try_set(state);
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
    let send = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let text = draft.get_untracked().trim().to_owned();
        if text.is_empty() {
            return;
        }
        chat.live_lines.update(|l| {
            l.push(LiveLine {
                from_visitor: true,
                author: String::new(),
                text: text.clone(),
            })
        });
        chat.transport.with_value(|t| t.send(text));
        draft.set(String::new());
    };
    let strings = chat.strings;
    let status = move || match connection.get() {
        Connection::Connecting => {
            view! { <p class="cw-status" role="status">{strings.connecting}</p> }.into_any()
        }
        Connection::Connected { agent } => {
            view! { <p class="cw-status" role="status">{agent} " " {strings.agent_joined}</p> }.into_any()
        }
        Connection::Unavailable => view! {
            <div class="cw-status" role="status">
                <p>{fallback.clone()}</p>
                <p>{strings.leave_message}</p>
            </div>
        }
        .into_any(),
        Connection::Closed => {
            view! { <p class="cw-status" role="status">{strings.chat_closed}</p> }.into_any()
        }
    };
    view! {
        <div class="cw-live-card" data-state=move || match connection.get() {
            Connection::Connecting => "connecting",
            Connection::Connected { .. } => "connected",
            Connection::Unavailable => "unavailable",
            Connection::Closed => "closed",
        }>
            {status}
            <form class="cw-compose" on:submit=send>
                <label class="cw-visually-hidden" for="cw-live-input">{strings.type_message}</label>
                <input
                    id="cw-live-input"
                    type="text"
                    autocomplete="off"
                    maxlength="2000"
                    placeholder=strings.type_message
                    disabled=move || connection.get() == Connection::Closed
                    prop:value=move || draft.get()
                    on:input=move |e| draft.set(event_target_value(&e))
                />
                <button type="submit" disabled=move || draft.with(|d| d.trim().is_empty())>{strings.send}</button>
            </form>
        </div>
    }
}
