//! The live-chat transport as the widget's start knows it: the socket's code (frames,
//! the queue, other tabs) is in the live-chat part with the card (`cards/part.rs`),
//! fetched when the stream reaches a live-chat card, or before, prefetched. Calls made
//! before it is there wait, in order, and go to the socket the moment it is; if the
//! part cannot be fetched, the visitor reads "Connecting you to a human…" and the
//! widget tries again every few seconds, as the socket itself does when offline.

use super::{Connection, Handoff, LiveChatTransport, LiveEvent, OnLiveEvent};
use crate::part::{part, Unloaded};
use leptos::leptos_dom::helpers::set_timeout;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

/// Makes the socket, in the part: server and site.
pub type MakeSocket = fn(&str, &str) -> Rc<dyn LiveChatTransport>;

const RETRY: Duration = Duration::from_secs(3);

// With its card, in the live-chat part (`cards/part.rs`).
part!(live_socket in live_chat_part: MakeSocket = |server, site| Rc::new(super::ServerSocket::new(server, site)));

enum Call {
    Connect(Handoff, OnLiveEvent),
    /// The id this transport gave, and the text.
    Send(String, String),
    Typing(bool),
    Erase,
}

#[derive(Default)]
struct Lazy {
    server: String,
    site: String,
    socket: Option<Rc<dyn LiveChatTransport>>,
    waiting: Vec<Call>,
    loading: bool,
    /// The socket's id of a message sent while waiting, and the id given for it then.
    ids: Vec<(String, String)>,
}

pub struct LazySocket(Rc<RefCell<Lazy>>);

impl LazySocket {
    pub fn new(server: &str, site: &str) -> LazySocket {
        LazySocket(Rc::new(RefCell::new(Lazy {
            server: server.into(),
            site: site.into(),
            ..Lazy::default()
        })))
    }

    fn socket(&self) -> Option<Rc<dyn LiveChatTransport>> {
        self.0.borrow().socket.clone()
    }

    fn wait(&self, call: Call) {
        self.0.borrow_mut().waiting.push(call);
        load(Rc::downgrade(&self.0));
    }
}

/// Fetches the part (once at a time), makes the socket and hands it what waited.
fn load(lazy: Weak<RefCell<Lazy>>) {
    let Some(strong) = lazy.upgrade() else { return };
    if std::mem::replace(&mut strong.borrow_mut().loading, true) {
        return;
    }
    leptos::task::spawn_local(async move {
        let made = live_socket().await;
        let Some(strong) = lazy.upgrade() else { return };
        strong.borrow_mut().loading = false;
        let Ok(make) = made else {
            // Offline or a 503: again in a moment (the card says "Connecting…").
            set_timeout(move || load(lazy), RETRY);
            return;
        };
        let socket = {
            let l = strong.borrow();
            make(&l.server, &l.site)
        };
        strong.borrow_mut().socket = Some(socket.clone());
        let waiting = std::mem::take(&mut strong.borrow_mut().waiting);
        for call in waiting {
            match call {
                Call::Connect(handoff, on_event) => socket.connect(handoff, translated(&lazy, on_event)),
                Call::Send(id, text) => {
                    let theirs = socket.send(text);
                    strong.borrow_mut().ids.push((theirs, id));
                }
                Call::Typing(on) => socket.typing(on),
                Call::Erase => socket.erase(),
            }
        }
    });
}

/// `on_event`, with a message sent while waiting named by the id given for it then.
fn translated(lazy: &Weak<RefCell<Lazy>>, on_event: OnLiveEvent) -> OnLiveEvent {
    let lazy = lazy.clone();
    Rc::new(move |event| match event {
        LiveEvent::Delivered { id } => {
            let ours = lazy.upgrade().and_then(|l| {
                l.borrow()
                    .ids
                    .iter()
                    .find(|(theirs, _)| *theirs == id)
                    .map(|(_, ours)| ours.clone())
            });
            on_event(LiveEvent::Delivered {
                id: ours.unwrap_or(id),
            })
        }
        event => on_event(event),
    })
}

impl LiveChatTransport for LazySocket {
    fn connect(&self, handoff: Handoff, on_event: OnLiveEvent) {
        match self.socket() {
            Some(socket) => socket.connect(handoff, translated(&Rc::downgrade(&self.0), on_event)),
            None => {
                on_event(LiveEvent::State(Connection::Connecting));
                self.wait(Call::Connect(handoff, on_event));
            }
        }
    }

    fn send(&self, text: String) -> String {
        match self.socket() {
            Some(socket) => socket.send(text),
            None => {
                let id = crate::clock::random_id();
                self.wait(Call::Send(id.clone(), text));
                id
            }
        }
    }

    fn typing(&self, on: bool) {
        match self.socket() {
            Some(socket) => socket.typing(on),
            None => self.wait(Call::Typing(on)),
        }
    }

    fn erase(&self) {
        match self.socket() {
            Some(socket) => socket.erase(),
            None => self.wait(Call::Erase),
        }
    }

    // Asked from the live-chat card's menu, once connected: the socket is here.
    fn email_transcript(&self) {
        if let Some(socket) = self.socket() {
            socket.email_transcript();
        }
    }

    // Sent from the live-chat card, which came with the socket's part.
    fn attach(&self, file: web_sys::File) {
        if let Some(socket) = self.socket() {
            socket.attach(file);
        }
    }

    // Only a closed chat is rated, and its close came through the socket: it is here.
    fn rate(&self, score: u8, comment: String) {
        if let Some(socket) = self.socket() {
            socket.rate(score, comment);
        }
    }
}
