//! The real live chat: the visitor socket to the Chinwag server.
//!
//! Nothing is lost: every message gets a client id and stays in a pending list (kept
//! in localStorage) until the server acknowledges it; after any reconnect the pending
//! ones are sent again (the server ignores ids it already has). The token is kept too:
//! a new page (a reload, or another page of the same site) resumes the conversation and
//! is sent all of it; a reconnect within a page asks only for what it missed.
//!
//! Reconnects back off exponentially with jitter (0.5 s doubling to 30 s), and happen at
//! once when the browser comes back `online` or the tab becomes visible.

use super::{Connection, Handoff, LiveChatTransport, LiveEvent, OnLiveEvent};
use chinwag_protocol::widget::{Incoming, Kind};
use chinwag_protocol::{Outgoing, Role, VisitorFrame, VisitorHello, VERSION};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, WebSocket};

/// What survives a reload, per site.
#[derive(Default, Serialize, Deserialize)]
struct Saved {
    token: Option<String>,
    pending: Vec<Outgoing>,
    next_id: u64,
}

struct Inner {
    url: String,
    site: String,
    key: String,
    saved: Saved,
    handoff: Option<Handoff>,
    on_event: Option<OnLiveEvent>,
    socket: Option<WebSocket>,
    attempt: u32,
    /// The last event this page has shown.
    last_seq: u64,
    /// Ids of messages typed on this page (already shown, so not shown again).
    typed_here: Vec<String>,
    /// Keeps the socket's and window's callbacks alive.
    callbacks: Vec<Closure<dyn FnMut(JsValue)>>,
}

/// The visitor socket behind the live-chat card.
pub struct ServerSocket(Rc<RefCell<Inner>>);

impl ServerSocket {
    /// `server` is the chat host's base URL, such as `https://chat.example.com`.
    pub fn new(server: &str, site: &str) -> ServerSocket {
        let url = format!(
            "{}/ws/visitor?site={site}",
            server.trim_end_matches('/').replacen("http", "ws", 1)
        );
        let key = format!("chinwag:live:{site}");
        let saved = load(&key).unwrap_or_default();
        ServerSocket(Rc::new(RefCell::new(Inner {
            url,
            site: site.into(),
            key,
            saved,
            handoff: None,
            on_event: None,
            socket: None,
            attempt: 0,
            last_seq: 0,
            typed_here: Vec::new(),
            callbacks: Vec::new(),
        })))
    }
}

impl LiveChatTransport for ServerSocket {
    fn connect(&self, handoff: Handoff, on_event: OnLiveEvent) {
        on_event(LiveEvent::State(Connection::Connecting));
        {
            let mut inner = self.0.borrow_mut();
            inner.handoff = Some(handoff);
            inner.on_event = Some(on_event);
        }
        watch_window(&self.0);
        open(&self.0);
    }

    fn send(&self, text: String) {
        let frame = {
            let mut inner = self.0.borrow_mut();
            inner.saved.next_id += 1;
            let id = format!("{}-{}", js_sys::Date::now() as u64, inner.saved.next_id);
            let message = Outgoing { id, text };
            inner.saved.pending.push(message.clone());
            inner.typed_here.push(message.id.clone());
            save(&inner.key, &inner.saved);
            VisitorFrame::Message(message)
        };
        transmit(&self.0, &frame);
    }
}

fn transmit(inner: &Rc<RefCell<Inner>>, frame: &VisitorFrame) {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let Ok(value) = frame.serialize(&serializer) else {
        return;
    };
    let Ok(json) = js_sys::JSON::stringify(&value) else {
        return;
    };
    if let Some(socket) = inner
        .borrow()
        .socket
        .as_ref()
        .filter(|s| s.ready_state() == WebSocket::OPEN)
    {
        let _ = socket.send_with_str(&String::from(json));
    }
}

fn open(inner: &Rc<RefCell<Inner>>) {
    let Ok(socket) = WebSocket::new(&inner.borrow().url) else {
        return retry(inner);
    };
    let on_open = {
        let inner = inner.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_| {
            inner.borrow_mut().attempt = 0;
            let hello = {
                let i = inner.borrow();
                VisitorHello {
                    version: VERSION,
                    site: i.site.clone(),
                    token: i.saved.token.clone(),
                    last_seq: i.last_seq,
                }
            };
            transmit(&inner, &VisitorFrame::Hello(hello));
        })
    };
    let on_message = {
        let inner = inner.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let text = event
                .unchecked_into::<MessageEvent>()
                .data()
                .as_string()
                .unwrap_or_default();
            let frame = js_sys::JSON::parse(&text)
                .ok()
                .and_then(|v| crate::js_de::from_js::<Incoming>(v).ok());
            if let Some(frame) = frame {
                receive(&inner, frame);
            }
        })
    };
    let on_close = {
        let inner = inner.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_| {
            inner.borrow_mut().socket = None;
            retry(&inner);
        })
    };
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut i = inner.borrow_mut();
    i.socket = Some(socket);
    i.callbacks.extend([on_open, on_message, on_close]);
}

fn receive(inner: &Rc<RefCell<Inner>>, frame: Incoming) {
    let notify = |event: LiveEvent| {
        let on_event = inner.borrow().on_event.clone();
        if let Some(on_event) = on_event {
            on_event(event);
        }
    };
    match frame {
        Incoming::Welcome { token, .. } => {
            let resend = {
                let mut i = inner.borrow_mut();
                match token {
                    Some(token) => {
                        i.saved.token = Some(token);
                        save(&i.key, &i.saved);
                        Some(i.saved.pending.clone())
                    }
                    None => None,
                }
            };
            match resend {
                // Attached: whatever was not acknowledged goes again.
                Some(pending) => pending
                    .into_iter()
                    .for_each(|m| transmit(inner, &VisitorFrame::Message(m))),
                None => {
                    let handoff = inner.borrow().handoff.clone();
                    if let Some(h) = handoff {
                        let frame = chinwag_protocol::Handoff {
                            id: format!("handoff-{}", js_sys::Date::now() as u64),
                            dialogue_id: h.dialogue_id,
                            card: h.card,
                            transcript: h.transcript,
                            attributes: h.attributes,
                            page_url: h.page_url,
                        };
                        transmit(inner, &VisitorFrame::Handoff(frame));
                    }
                }
            }
        }
        Incoming::Ack { id } => {
            let mut i = inner.borrow_mut();
            i.saved.pending.retain(|m| m.id != id);
            save(&i.key, &i.saved);
        }
        Incoming::Event { seq, kind } => {
            let typed_here = {
                let mut i = inner.borrow_mut();
                i.last_seq = i.last_seq.max(seq);
                match &kind {
                    // The bot part is on screen already (the widget replays it itself).
                    Kind::Message { id, .. } => {
                        i.typed_here.contains(id) || id.starts_with(chinwag_protocol::TRANSCRIPT_ID)
                    }
                    _ => false,
                }
            };
            match kind {
                Kind::Message {
                    role: Role::Visitor,
                    text,
                    ..
                } if !typed_here => notify(LiveEvent::VisitorMessage { text }),
                Kind::Message {
                    role: Role::Agent,
                    author,
                    text,
                    ..
                } => notify(LiveEvent::AgentMessage { author, text }),
                Kind::Assigned { agent_name } => {
                    notify(LiveEvent::State(Connection::Connected { agent: agent_name }))
                }
                Kind::Unassigned {} => notify(LiveEvent::State(Connection::Unavailable)),
                Kind::Closed {} => notify(LiveEvent::State(Connection::Closed)),
                Kind::Message { .. } | Kind::Started {} => {}
            }
        }
    }
}

/// Reconnects after an exponential, jittered delay.
fn retry(inner: &Rc<RefCell<Inner>>) {
    let attempt = {
        let mut i = inner.borrow_mut();
        i.attempt += 1;
        i.attempt
    };
    let base = (500.0 * 2f64.powi(attempt.min(6) as i32)).min(30_000.0);
    let delay = base * (0.5 + js_sys::Math::random());
    let inner = inner.clone();
    leptos::leptos_dom::helpers::set_timeout(
        move || {
            if inner.borrow().socket.is_none() {
                open(&inner);
            }
        },
        std::time::Duration::from_millis(delay as u64),
    );
}

/// Reconnect at once when the network returns or the tab becomes visible.
fn watch_window(inner: &Rc<RefCell<Inner>>) {
    let Some(window) = web_sys::window() else { return };
    let now = {
        let inner = inner.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_| {
            if inner.borrow().socket.is_none() {
                open(&inner);
            }
        })
    };
    let _ = window.add_event_listener_with_callback("online", now.as_ref().unchecked_ref());
    if let Some(document) = window.document() {
        let _ = document.add_event_listener_with_callback("visibilitychange", now.as_ref().unchecked_ref());
    }
    inner.borrow_mut().callbacks.push(now);
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn save(key: &str, saved: &Saved) {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    if let (Some(storage), Ok(value)) = (storage(), saved.serialize(&serializer)) {
        if let Ok(json) = js_sys::JSON::stringify(&value) {
            let _ = storage.set_item(key, &String::from(json));
        }
    }
}

fn load(key: &str) -> Option<Saved> {
    let json = storage()?.get_item(key).ok()??;
    crate::js_de::from_js(js_sys::JSON::parse(&json).ok()?).ok()
}
