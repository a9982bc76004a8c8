//! The visitor's side of a live chat, owned by the widget rather than by the card: it
//! connects as soon as the stream stands at a live-chat card, panel open or closed, so
//! a visitor who reloads mid-conversation hears (and counts as unread) every reply.
//! The card only shows these signals.

use super::{Connection, Handoff, LiveChatTransport, LiveEvent, OnLiveEvent};
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
    /// The id of the visitor's last message, and whether we connected at all.
    state: StoredValue<(String, bool)>,
}

impl LiveSession {
    pub fn new(strings: &'static Strings) -> LiveSession {
        LiveSession {
            status: RwSignal::new(strings.connecting.to_owned()),
            receipt: RwSignal::new(String::new()),
            agent: RwSignal::new(String::new()),
            agent_typing: RwSignal::new(false),
            lines: RwSignal::new(Vec::new()),
            rating: RwSignal::new(None),
            state: StoredValue::new((String::new(), false)),
        }
    }

    /// Hands the conversation over, once per session. `on_erased` runs once the
    /// visitor's conversation is deleted.
    pub fn connect(
        self,
        transport: &dyn LiveChatTransport,
        handoff: Handoff,
        fallback: String,
        strings: &'static Strings,
        on_erased: Rc<dyn Fn()>,
    ) {
        if self.state.with_value(|s| s.1) {
            return;
        }
        self.state.update_value(|s| s.1 = true);
        let on_event: OnLiveEvent = Rc::new(move |event| match event {
            LiveEvent::Erased => on_erased(),
            event => self.hear(event, &fallback, strings),
        });
        transport.connect(handoff, on_event);
    }

    fn hear(self, event: LiveEvent, fallback: &str, strings: &'static Strings) {
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
                if self.state.with_value(|s| s.0 == id) {
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
    pub fn send(self, transport: &dyn LiveChatTransport, text: String, strings: &'static Strings) {
        self.add(true, String::new(), text.clone(), None);
        self.receipt.set(strings.sending.to_owned());
        let id = transport.send(text);
        self.state.update_value(|s| s.0 = id);
    }

    /// Start over: a new dialogue run has no live lines, and hands over afresh.
    pub fn clear(self) {
        self.lines.set(Vec::new());
        self.rating.set(None);
        self.state.update_value(|s| s.1 = false);
    }
}
