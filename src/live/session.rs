//! The visitor's side of a live chat, owned by the widget rather than by the card: it
//! connects as soon as the stream stands at a live-chat card, panel open or closed, so
//! a visitor who reloads mid-conversation hears (and counts as unread) every reply.
//! The card only shows these signals. The session holds the transport, made in the
//! live-chat part when first needed (`handover.rs`).

use super::{Connection, Handoff, LiveChatTransport, LiveEvent, OnLiveEvent, ServerSocket, Unavailable};
use crate::entry::LiveLine;
use chinwag_site::Strings;
use leptos::prelude::*;
use std::rc::Rc;

#[derive(Clone, Copy)]
pub struct LiveSession {
    /// The connection's state in words (connecting, who joined, the fallback, closed).
    pub status: RwSignal<String>,
    /// "Sending…" / "Delivered" for the visitor's last message.
    pub receipt: RwSignal<String>,
    pub agent: RwSignal<String>,
    pub agent_typing: RwSignal<bool>,
    /// Live-chat lines (visitor and agent) after the hand-off.
    pub lines: RwSignal<Vec<LiveLine>>,
    /// None while the chat is open; once the agent closed it, the visitor's stored
    /// rating since (0: none yet).
    pub rating: RwSignal<Option<u8>>,
    pub strings: &'static Strings,
    state: StoredValue<State, LocalStorage>,
}

struct State {
    /// The id of the visitor's last message.
    last: String,
    /// Whether this run of the dialogue handed over (or is about to).
    handed: bool,
    /// This run's hand-off while the live-chat part loads: taken once, by whichever
    /// comes first (the part's arrival, or the card's own mount after its Try again).
    pending: Option<Pending>,
    /// Whether the part is being fetched for it (one chain of tries at a time).
    fetching: bool,
    /// The transport given, or made when first needed.
    transport: Option<Rc<dyn LiveChatTransport>>,
    /// The chat server and site a transport is made for; without them, none is there.
    server: Option<(String, String)>,
}

/// A hand-off, the card's fallback, and what to do once the conversation is erased.
type Pending = (Handoff, String, Rc<dyn Fn()>);

impl LiveSession {
    /// `transport`: the one to use (the preview's, a test's); `None` for the chat
    /// server's socket, made from `server` when first needed.
    pub fn new(
        strings: &'static Strings,
        transport: Option<Rc<dyn LiveChatTransport>>,
        server: Option<(String, String)>,
    ) -> LiveSession {
        LiveSession {
            status: RwSignal::new(strings.connecting.to_owned()),
            receipt: RwSignal::new(String::new()),
            agent: RwSignal::new(String::new()),
            agent_typing: RwSignal::new(false),
            lines: RwSignal::new(Vec::new()),
            rating: RwSignal::new(None),
            strings,
            state: StoredValue::new_local(State {
                last: String::new(),
                handed: false,
                pending: None,
                fetching: false,
                transport,
                server,
            }),
        }
    }

    /// Keeps this run's hand-off for the part, unless the run handed over already; a
    /// newer one (the visitor identified meanwhile) replaces one still waiting. Whether
    /// the part is to be fetched for it (not while a fetch is under way).
    pub(super) fn begin(self, pending: Pending) -> bool {
        self.state
            .try_update_value(|s| {
                if s.handed && s.pending.is_none() {
                    return false;
                }
                s.handed = true;
                s.pending = Some(pending);
                !std::mem::replace(&mut s.fetching, true)
            })
            .unwrap_or(false)
    }

    /// The stream left the live-chat card before the part came (the opening ran again
    /// for an identified visitor, another tab started over): nothing went, so nothing
    /// is handed over.
    pub fn withdraw(self) {
        self.state.try_update_value(|s| {
            if s.pending.take().is_some() {
                s.handed = false;
            }
        });
    }

    /// The fetch ended (the part came, or nothing waits for it any more).
    pub(super) fn fetched(self) {
        self.state.try_update_value(|s| s.fetching = false);
    }

    /// Whether a hand-off waits for the part (false once the widget is gone).
    pub(super) fn waiting(self) -> bool {
        self.state.try_with_value(|s| s.pending.is_some()) == Some(true)
    }

    /// The transport, made on first use (in the live-chat part: only its code calls this).
    pub fn transport(self) -> Rc<dyn LiveChatTransport> {
        let made = self.state.try_update_value(
            |State {
                 transport, server, ..
             }| {
                transport
                    .get_or_insert_with(|| match server {
                        Some((server, site)) => Rc::new(ServerSocket::new(server, site)),
                        None => Rc::new(Unavailable),
                    })
                    .clone()
            },
        );
        // A removed widget's card may still call: nothing to reach.
        made.unwrap_or_else(|| Rc::new(Unavailable))
    }

    /// Connects with the waiting hand-off, if any (in the live-chat part: when it
    /// arrives, and when the card mounts).
    pub fn connect_pending(self) {
        if let Some((handoff, fallback, on_erased)) =
            self.state.try_update_value(|s| s.pending.take()).flatten()
        {
            self.connect(handoff, fallback, on_erased);
        }
    }

    fn connect(self, handoff: Handoff, fallback: String, on_erased: Rc<dyn Fn()>) {
        let on_event: OnLiveEvent = Rc::new(move |event| match event {
            LiveEvent::Erased => on_erased(),
            event => self.hear(event, &fallback),
        });
        self.transport().connect(handoff, on_event);
    }

    fn hear(self, event: LiveEvent, fallback: &str) {
        let strings = self.strings;
        match event {
            LiveEvent::State(state) => {
                // A chat closed again may be rated again.
                self.rating.try_set((state == Connection::Closed).then_some(0));
                self.status.try_set(match state {
                    Connection::Connecting => strings.connecting.to_owned(),
                    Connection::Connected { agent: name } => {
                        let joined = format!("{name} {}", strings.agent_joined);
                        self.agent.try_set(name);
                        joined
                    }
                    // The dialogue's fallback says what happens next; the box stays open.
                    Connection::Unavailable => fallback.to_owned(),
                    Connection::Queued => strings.queued.to_owned(),
                    Connection::Closed => strings.chat_closed.to_owned(),
                });
            }
            LiveEvent::VisitorMessage { text, file } => {
                // The visitor's own file is back from the server: stored.
                if file.is_some() {
                    self.receipt.try_set(strings.delivered.to_owned());
                }
                self.add(true, String::new(), text, file)
            }
            LiveEvent::Delivered { id } => {
                if self.state.with_value(|s| s.last == id) {
                    self.receipt.try_set(strings.delivered.to_owned());
                }
            }
            LiveEvent::AgentTyping(on) => {
                self.agent_typing.try_set(on);
            }
            LiveEvent::AgentMessage { author, text, file } => {
                self.agent_typing.try_set(false);
                self.add(false, author, text, file);
            }
            LiveEvent::FileRefused { name, why } => {
                self.receipt.try_set(
                    strings
                        .file_not_sent
                        .replace("{name}", &name)
                        .replace("{why}", &why),
                );
            }
            LiveEvent::TranscriptSent { to } => {
                self.receipt
                    .try_set(strings.transcript_sent.replace("{email}", &to));
            }
            LiveEvent::Rated { score } => {
                self.rating.try_set(Some(score));
            }
            LiveEvent::Erased => {}
        }
    }

    fn add(self, from_visitor: bool, author: String, text: String, file: Option<super::LiveFile>) {
        self.lines.try_update(|l| {
            l.push(LiveLine {
                from_visitor,
                author,
                text,
                file,
            })
        });
    }

    /// The visitor sent `text`: shown at once, "Sending…" until the server has it.
    pub fn send(self, text: String) {
        self.add(true, String::new(), text.clone(), None);
        self.receipt.set(self.strings.sending.to_owned());
        let id = self.transport().send(text);
        self.state.update_value(|s| s.last = id);
    }

    /// Start over: a new dialogue run has no live lines, and hands over afresh.
    pub fn clear(self) {
        self.lines.set(Vec::new());
        self.rating.set(None);
        // A hand-off still waiting for the part was this run's: gone with it.
        self.state.update_value(|s| {
            s.handed = false;
            s.pending = None;
        });
    }
}
