//! The agent socket: live events in, actions out. Reconnects with backoff; after a
//! reconnect the lists are reloaded over HTTP, so nothing missed stays missing.

use crate::state::Inbox;
use chinwag_protocol::{AgentFrame, EventKind, ServerFrame, VERSION};
use leptos::leptos_dom::helpers::IntervalHandle;
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, WebSocket};

type Callbacks = [Closure<dyn FnMut(JsValue)>; 3];

thread_local! {
    static SOCKET: RefCell<Option<WebSocket>> = const { RefCell::new(None) };
    /// The open socket's callbacks, replaced (and freed) by the next socket's.
    static CALLBACKS: RefCell<Option<Callbacks>> = const { RefCell::new(None) };
    /// The heartbeat runs once per page, whatever the number of reconnects.
    static HEARTBEAT: RefCell<Option<IntervalHandle>> = const { RefCell::new(None) };
}

/// A message id no other message of this agent has (128 random bits).
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn send(frame: &AgentFrame) {
    let json = serde_json::to_string(frame).unwrap_or_default();
    SOCKET.with(|s| {
        if let Some(ws) = s
            .borrow()
            .as_ref()
            .filter(|ws| ws.ready_state() == WebSocket::OPEN)
        {
            let _ = ws.send_with_str(&json);
        }
    });
}

pub fn connect(inbox: Inbox, attempt: u32) {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return;
    };
    let scheme = if location.protocol().ok().as_deref() == Some("https:") {
        "wss"
    } else {
        "ws"
    };
    let url = format!("{scheme}://{}/ws/agent", location.host().unwrap_or_default());
    let Ok(ws) = WebSocket::new(&url) else { return };
    let on_open = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        inbox.connected.set(true);
        send(&AgentFrame::Hello { version: VERSION });
        crate::load::reload(inbox);
    });
    let on_message = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let text = e
            .unchecked_into::<MessageEvent>()
            .data()
            .as_string()
            .unwrap_or_default();
        if let Ok(frame) = serde_json::from_str::<ServerFrame>(&text) {
            receive(inbox, frame);
        }
    });
    let on_close = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        // Backing off is for a server that stays away, not for one that was just there.
        let was_open = inbox.connected.get_untracked();
        inbox.connected.set(false);
        // 1012: the server is restarting: come back at once (spread over half a second).
        let restart = js_sys::Reflect::get(&event, &"code".into())
            .ok()
            .and_then(|c| c.as_f64())
            == Some(1012.0);
        let attempt = if restart || was_open { 0 } else { attempt };
        let delay =
            (250.0 * 2f64.powi(attempt.min(7) as i32 - 1)).min(30_000.0) * (0.5 + js_sys::Math::random());
        leptos::leptos_dom::helpers::set_timeout(
            move || connect(inbox, attempt + 1),
            std::time::Duration::from_millis(delay as u64),
        );
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    SOCKET.with(|s| *s.borrow_mut() = Some(ws));
    // The previous socket has closed (we come here from its close handler's timeout).
    CALLBACKS.with(|c| *c.borrow_mut() = Some([on_open, on_message, on_close]));
    // Heartbeat: browsers cannot ping, so we send frames.
    HEARTBEAT.with(|h| {
        if h.borrow().is_none() {
            *h.borrow_mut() = set_interval_with_handle(
                || send(&AgentFrame::Ping(js_sys::Date::now() as u64)),
                std::time::Duration::from_secs(25),
            )
            .ok();
        }
    });
}

fn receive(inbox: Inbox, frame: ServerFrame) {
    match frame {
        ServerFrame::Event(event) => {
            let changes_list = matches!(
                event.kind,
                EventKind::Started { .. }
                    | EventKind::Assigned { .. }
                    | EventKind::Closed { .. }
                    | EventKind::Snoozed { .. }
                    | EventKind::Reopened { .. }
                    | EventKind::Unassigned { .. }
            );
            if let EventKind::Started { visitor, .. } = &event.kind {
                inbox.notice.set(Some(format!("New chat from {visitor}")));
                crate::notify::new_chat(visitor, inbox.muted.get_untracked());
            }
            // A note that mentions me: said in the header, and with a desktop
            // notification, like a new chat.
            if let EventKind::Note { author, mentions, .. } = &event.kind {
                if inbox.me.with_value(|me| mentions.contains(&me.id)) {
                    let text = format!("{author} mentioned you in a note");
                    crate::notify::news("Note", &text, inbox.muted.get_untracked());
                    inbox.notice.set(Some(text));
                }
            }
            inbox.on_event(event);
            if changes_list {
                crate::load::reload(inbox);
            }
        }
        ServerFrame::Typing { conversation, on, .. } => inbox.typing.update(|t| {
            t.insert(conversation, on);
        }),
        // Meetings are told to their host only, as a new chat is.
        ServerFrame::Meeting(m) if inbox.me.with_value(|me| me.id == m.host) => {
            let when = crate::meetings::local_time(m.start);
            let text = match m.change.as_str() {
                "booked" => format!("New meeting with {} on {when}", m.visitor),
                "moved" => format!("{} moved the meeting to {when}", m.visitor),
                _ => format!("{} cancelled the meeting on {when}", m.visitor),
            };
            crate::notify::news("Meeting", &text, inbox.muted.get_untracked());
            inbox.notice.set(Some(text));
        }
        // A conversation was erased (its visitor deleted it, or an admin erased the
        // person): it leaves the lists, the open view and memory, and the agent is told
        // why it went.
        ServerFrame::Erased { conversation } => {
            let open = inbox.selected.get_untracked().as_deref() == Some(conversation.as_str());
            if open {
                inbox.selected.set(None);
            }
            inbox.events.update(|e| {
                e.remove(&conversation);
            });
            inbox.unread.update(|u| {
                u.remove(&conversation);
            });
            inbox.typing.update(|t| {
                t.remove(&conversation);
            });
            let why = match open {
                true => "The conversation you had open was erased (its visitor deleted it, or an admin erased their data): it is no longer shown.",
                false => "A conversation was erased (its visitor deleted it, or an admin erased their data).",
            };
            inbox.notice.set(Some(why.into()));
            crate::load::reload(inbox);
        }
        ServerFrame::Error(e) => {
            // Fell behind (or anything else odd): reload the lists so nothing is missed.
            inbox.notice.set(Some(e.message));
            crate::load::reload(inbox);
        }
        _ => {}
    }
}
