//! The hand-off as the widget's start knows it: when the stream stands at a live-chat
//! card, the start fetches the live-chat part (the socket, its frames, the queue, the
//! other tabs, and how the session hears the server) and hands over there. The
//! visitor reads "Connecting you to a human…" meanwhile; if the part cannot be
//! fetched, it tries again every few seconds, as the socket itself does when offline.

use super::{Handoff, LiveSession};
use crate::part::{part, Unloaded};
use leptos::leptos_dom::helpers::set_timeout;
use leptos::prelude::Set;
use std::rc::Rc;
use std::time::Duration;

const RETRY: Duration = Duration::from_secs(3);

/// Connects the session, in the part: the hand-off, the card's fallback, and what to do
/// once the visitor's conversation is erased.
pub type Connect = fn(LiveSession, Handoff, String, Rc<dyn Fn()>);

// With the card, in the live-chat part (`cards/part.rs`).
part!(live_connect in live_chat_part: Connect = |live, handoff, fallback, on_erased| {
    live.connect(handoff, fallback, on_erased)
});

impl LiveSession {
    /// Hands the conversation over, once per run of the dialogue (panel open or
    /// closed: a reload mid-conversation must not go deaf). `on_erased` runs once the
    /// visitor's conversation is deleted.
    pub fn hand_over(self, handoff: Handoff, fallback: String, on_erased: Rc<dyn Fn()>) {
        if self.begin() {
            self.status.set(self.strings.connecting.to_owned());
            fetch(self, handoff, fallback, on_erased);
        }
    }
}

fn fetch(live: LiveSession, handoff: Handoff, fallback: String, on_erased: Rc<dyn Fn()>) {
    leptos::task::spawn_local(async move {
        let loaded = live_connect().await;
        // Started over (or removed) meanwhile: that run is gone; a new one hands over
        // itself.
        if live.begun() != Some(true) {
            return;
        }
        match loaded {
            Ok(connect) => connect(live, handoff, fallback, on_erased),
            Err(Unloaded) => set_timeout(move || fetch(live, handoff, fallback, on_erased), RETRY),
        }
    });
}
