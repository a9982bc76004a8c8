//! The real live chat: the visitor socket to the Chinwag server.
//!
//! Nothing is lost: every message gets a client id and stays in a pending list (kept
//! in localStorage) until the server acknowledges it; after any reconnect the pending
//! ones are sent again (the server ignores ids it already has). The token is kept too:
//! a new page (a reload, or another page of the same site) resumes the conversation and
//! is sent all of it; a reconnect within a page asks only for what it missed.
//!
//! Reconnects back off exponentially with jitter (0.25 s doubling to 30 s), and happen at
//! once when the browser comes back `online` or the tab becomes visible. A ping every
//! 25 s keeps the connection alive (browsers cannot send WebSocket pings).

use super::frames::{self, Incoming, Kind};
use super::queue::Queue;
use super::tabs;
use super::{Connection, Handoff, LiveChatTransport, LiveEvent, OnLiveEvent};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, WebSocket};

struct Inner {
    url: String,
    /// The chat server's base URL (attachments).
    server: String,
    site: String,
    /// localStorage key, and the name of the tabs' lock and channel.
    key: String,
    /// The conversation and its unacknowledged messages (`queue.rs`).
    queue: Queue,
    handoff: Option<Handoff>,
    on_event: Option<OnLiveEvent>,
    socket: Option<WebSocket>,
    /// The open socket's callbacks: replaced by the next socket's, so reconnects do
    /// not pile them up.
    socket_callbacks: Vec<Closure<dyn FnMut(JsValue)>>,
    attempt: u32,
    /// The last event this page has shown.
    last_seq: u64,
    /// Keeps the window's callbacks alive (made once per connect).
    callbacks: Vec<Closure<dyn FnMut(JsValue)>>,
    /// This tab owns the socket (see `tabs.rs`).
    leader: bool,
    /// This tab among the visitor's others (`tabs.rs`).
    tabs: Option<tabs::Tabs>,
    /// The conversation's frames so far (its events and the last welcome), for tabs
    /// that join later: acks, pongs and typing are not kept.
    said: Vec<String>,
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
        let queue = Queue::load(&key);
        ServerSocket(Rc::new(RefCell::new(Inner {
            url,
            server: server.trim_end_matches('/').into(),
            site: site.into(),
            key,
            queue,
            handoff: None,
            on_event: None,
            socket: None,
            socket_callbacks: Vec::new(),
            attempt: 0,
            last_seq: 0,
            callbacks: Vec::new(),
            leader: false,
            tabs: None,
            said: Vec::new(),
        })))
    }
}

/// The widget went away (`shutdown`, or another dialogue on a single-page app): close
/// the socket and never reconnect. The window's listeners stay, doing nothing, so no
/// event can reach a dropped callback.
impl Drop for ServerSocket {
    fn drop(&mut self) {
        let mut inner = self.0.borrow_mut();
        inner.url.clear();
        inner.on_event = None;
        inner.leader = false;
        if let Some(socket) = inner.socket.take() {
            let _ = socket.close();
        }
        // Leaves the other tabs: another may lead now.
        let tabs = inner.tabs.take();
        drop(inner);
        drop(tabs);
    }
}

impl LiveChatTransport for ServerSocket {
    fn connect(&self, handoff: Handoff, on_event: OnLiveEvent) {
        on_event(LiveEvent::State(Connection::Connecting));
        let again = {
            let mut inner = self.0.borrow_mut();
            inner.handoff = Some(handoff);
            inner.on_event = Some(on_event);
            inner.tabs.is_some()
        };
        // A new conversation after the visitor deleted theirs: same socket and tabs.
        if again {
            let first = self
                .0
                .borrow()
                .handoff
                .as_ref()
                .map(|h| frames::handoff(&crate::clock::random_id(), h));
            if let Some(json) = first.filter(|_| self.0.borrow().leader) {
                transmit(&self.0, &json);
            }
            return;
        }
        watch_window(&self.0);
        let key = self.0.borrow().key.clone();
        let tabs = tabs::join(&key, Rc::new(Link(self.0.clone())));
        self.0.borrow_mut().tabs = Some(tabs);
    }

    fn send(&self, text: String) -> String {
        let (id, json) = {
            let mut inner = self.0.borrow_mut();
            let id = crate::clock::random_id();
            inner.queue.push(id.clone(), text.clone());
            inner.queue.save(&inner.key);
            // Another tab hands it to the leader at once; this tab's own queue goes
            // one message at a time (`pump`).
            (id.clone(), (!inner.leader).then(|| frames::message(&id, &text)))
        };
        match json {
            Some(json) => transmit(&self.0, &json),
            None => pump(&self.0),
        }
        id
    }

    fn typing(&self, on: bool) {
        transmit(&self.0, &frames::typing(on));
    }

    fn erase(&self) {
        transmit(&self.0, &frames::erase());
    }

    fn rate(&self, score: u8, comment: String) {
        transmit(&self.0, &frames::rate(score, &comment));
    }

    fn email_transcript(&self) {
        transmit(&self.0, &frames::email_transcript());
    }

    fn attach(&self, file: web_sys::File) {
        let inner = self.0.borrow();
        let Some(on_event) = inner.on_event.clone() else {
            return;
        };
        match inner.queue.token() {
            Some(token) => super::upload::upload(&inner.server, &inner.site, token, file, on_event),
            None => on_event(LiveEvent::FileRefused {
                name: file.name(),
                why: "not connected yet".into(),
            }),
        }
    }
}

/// The socket as the other tabs see it.
struct Link(Rc<RefCell<Inner>>);

impl tabs::Host for Link {
    fn lead(&self) {
        lead(&self.0);
    }
    fn leads(&self) -> bool {
        self.0.borrow().leader
    }
    fn frame(&self, text: &str) {
        receive_text(&self.0, text);
    }
    fn send(&self, text: &str) {
        transmit(&self.0, text);
    }
    fn said(&self) -> Vec<String> {
        self.0.borrow().said.clone()
    }
}

/// Tells the visitor's other tabs.
fn post(inner: &Rc<RefCell<Inner>>, kind: &str, text: &str) {
    if let Some(tabs) = &inner.borrow().tabs {
        tabs.post(kind, text);
    }
}

/// Sends on this tab's socket, or through the tab that has it.
fn transmit(inner: &Rc<RefCell<Inner>>, json: &str) {
    let i = inner.borrow();
    if let Some(socket) = i.socket.as_ref().filter(|s| s.ready_state() == WebSocket::OPEN) {
        let _ = socket.send_with_str(json);
    } else if !i.leader {
        drop(i);
        post(inner, "s", json);
    }
}

/// Sends the oldest pending message, unless one is already on its way or the socket
/// is not attached yet.
fn pump(inner: &Rc<RefCell<Inner>>) {
    let next = inner.borrow_mut().queue.next();
    if let Some((id, text)) = next {
        transmit(inner, &frames::message(&id, &text));
    }
}

/// This tab owns the socket from now on.
fn lead(inner: &Rc<RefCell<Inner>>) {
    inner.borrow_mut().leader = true;
    open(inner);
}

fn receive_text(inner: &Rc<RefCell<Inner>>, text: &str) {
    if let Some(frame) = frames::read(text) {
        receive(inner, frame);
    }
}

fn notify(inner: &Rc<RefCell<Inner>>, event: LiveEvent) {
    let on_event = inner.borrow().on_event.clone();
    if let Some(on_event) = on_event {
        on_event(event);
    }
}

fn open(inner: &Rc<RefCell<Inner>>) {
    // Shut down (see `Drop`): stay closed.
    if inner.borrow().url.is_empty() {
        return;
    }
    let Ok(socket) = WebSocket::new(&inner.borrow().url) else {
        return retry(inner);
    };
    let on_open = {
        let inner = inner.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_| {
            let hello = {
                let mut i = inner.borrow_mut();
                i.attempt = 0;
                frames::hello(&i.site, i.queue.token(), i.last_seq)
            };
            transmit(&inner, &hello);
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
            // The other tabs hear it too, and tabs joining later.
            remember(&mut inner.borrow_mut().said, &text);
            post(&inner, "f", &text);
            receive_text(&inner, &text);
        })
    };
    let on_close = {
        let inner = inner.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let mut i = inner.borrow_mut();
            i.socket = None;
            i.queue.detach();
            // 1012: the server is restarting (or a node is draining): come back at once.
            if js_sys::Reflect::get(&event, &"code".into())
                .ok()
                .and_then(|c| c.as_f64())
                == Some(1012.0)
            {
                i.attempt = 0;
            }
            drop(i);
            retry(&inner);
        })
    };
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut i = inner.borrow_mut();
    i.socket = Some(socket);
    // The previous socket is closed (its close handler ran): its callbacks can go.
    i.socket_callbacks = vec![on_open, on_message, on_close];
}

/// Keeps what a joining tab needs to replay the conversation: its events, and only the
/// last welcome; acks, pongs and typing would grow without bound and replay nothing.
fn remember(said: &mut Vec<String>, text: &str) {
    match frames::read(text) {
        Some(Incoming::Event { .. }) => said.push(text.to_owned()),
        Some(Incoming::Welcome { .. }) => {
            said.retain(|f| !matches!(frames::read(f), Some(Incoming::Welcome { .. })));
            said.push(text.to_owned());
        }
        _ => {}
    }
}

fn receive(inner: &Rc<RefCell<Inner>>, frame: Incoming) {
    match frame {
        Incoming::Welcome { token: Some(token) } => {
            // Attached to the conversation: whatever was not acknowledged goes again,
            // oldest first.
            {
                let mut i = inner.borrow_mut();
                let leader = i.leader;
                i.queue.attach(token, leader);
                i.queue.save(&i.key);
            }
            pump(inner);
        }
        // Only the tab that owns the socket starts the conversation.
        Incoming::Welcome { token: None } if inner.borrow().leader => {
            let handoff = inner.borrow().handoff.clone();
            if let Some(h) = handoff {
                transmit(inner, &frames::handoff(&crate::clock::random_id(), &h));
            }
        }
        Incoming::Ack { id } => {
            {
                let mut i = inner.borrow_mut();
                i.queue.acked(&id);
                i.queue.save(&i.key);
            }
            pump(inner);
            notify(inner, LiveEvent::Delivered { id });
        }
        Incoming::Refused { retry } => {
            // Only our message can be the refused frame worth sending again (pings and
            // typing are not worth it); a second later, still first in line.
            if retry && inner.borrow_mut().queue.refused() {
                let inner = inner.clone();
                leptos::leptos_dom::helpers::set_timeout(
                    move || pump(&inner),
                    std::time::Duration::from_secs(1),
                );
            }
        }
        Incoming::Typing(on) => notify(inner, LiveEvent::AgentTyping(on)),
        Incoming::TranscriptSent { to } => notify(inner, LiveEvent::TranscriptSent { to }),
        Incoming::Erased => {
            // Nothing of it stays in this browser either; the socket stays for a new one.
            {
                let mut i = inner.borrow_mut();
                i.queue = Queue::default();
                i.queue.save(&i.key);
                i.last_seq = 0;
                i.said.clear();
                i.handoff = None;
            }
            notify(inner, LiveEvent::Erased);
        }
        Incoming::Welcome { token: None } => {}
        Incoming::Event { seq, kind } => {
            // Tabs hear what was said again when another tab joins.
            if seq <= inner.borrow().last_seq {
                return;
            }
            inner.borrow_mut().last_seq = seq;
            let event = match kind {
                Kind::Message { id, .. }
                    if id.starts_with(chinwag_protocol::TRANSCRIPT_ID)
                        || inner.borrow().queue.typed_here(&id) =>
                {
                    // The bot part and this page's own lines are on screen already.
                    return;
                }
                Kind::Message {
                    from_agent: true,
                    author,
                    text,
                    file,
                    ..
                } => LiveEvent::AgentMessage {
                    author,
                    text,
                    file: live_file(inner, file),
                },
                Kind::Message { text, file, .. } => LiveEvent::VisitorMessage {
                    text,
                    file: live_file(inner, file),
                },
                Kind::Assigned { agent_name } => {
                    LiveEvent::State(Connection::Connected { agent: agent_name })
                }
                Kind::Unassigned { queued: false } => LiveEvent::State(Connection::Unavailable),
                Kind::Unassigned { queued: true } => LiveEvent::State(Connection::Queued),
                Kind::Closed => LiveEvent::State(Connection::Closed),
                Kind::Rated { score } => LiveEvent::Rated { score },
                Kind::Other => return,
            };
            notify(inner, event);
        }
    }
}

/// A message's attachment as the log shows it: at the chat server.
fn live_file(inner: &Rc<RefCell<Inner>>, file: Option<frames::File>) -> Option<super::LiveFile> {
    file.map(|f| super::LiveFile {
        url: format!("{}/files/{}", inner.borrow().server, f.id),
        image: chinwag_protocol::IMAGES.contains(&f.mime.as_str()),
        size: f.size,
    })
}

/// Reconnects after an exponential, jittered delay.
fn retry(inner: &Rc<RefCell<Inner>>) {
    let attempt = {
        let mut i = inner.borrow_mut();
        i.attempt += 1;
        i.attempt
    };
    // The first retry comes within half a second (spread, so a restarted server is not
    // met by every visitor at once); then 1 s, 2 s, ... up to 30 s, with jitter.
    let base = (250.0 * 2f64.powi(attempt.min(7) as i32 - 1)).min(30_000.0);
    let delay = base * (0.5 + js_sys::Math::random());
    let inner = inner.clone();
    leptos::leptos_dom::helpers::set_timeout(
        move || reopen(&inner),
        std::time::Duration::from_millis(delay as u64),
    );
}

fn reopen(inner: &Rc<RefCell<Inner>>) {
    if inner.borrow().leader && inner.borrow().socket.is_none() {
        open(inner);
    }
}

/// Reconnects at once when the network returns or the tab becomes visible; pings.
fn watch_window(inner: &Rc<RefCell<Inner>>) {
    let Some(window) = web_sys::window() else { return };
    let now = {
        let inner = inner.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_| reopen(&inner))
    };
    let _ = window.add_event_listener_with_callback("online", now.as_ref().unchecked_ref());
    if let Some(document) = window.document() {
        let _ = document.add_event_listener_with_callback("visibilitychange", now.as_ref().unchecked_ref());
    }
    let ping = {
        let inner = inner.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_| transmit(&inner, &frames::ping(js_sys::Date::now())))
    };
    let _ =
        window.set_interval_with_callback_and_timeout_and_arguments_0(ping.as_ref().unchecked_ref(), 25_000);
    inner.borrow_mut().callbacks.extend([now, ping]);
}
