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

/// Connects the session with its waiting hand-off, in the part.
pub type Connect = fn(LiveSession);

// With the card, in the live-chat part (`cards/part.rs`).
part!(live_connect in live_chat_part: Connect = LiveSession::connect_pending);

impl LiveSession {
    /// Hands the conversation over, once per run of the dialogue (panel open or
    /// closed: a reload mid-conversation must not go deaf). `on_erased` runs once the
    /// visitor's conversation is deleted. The hand-off waits in the session for the
    /// part, replaced by a newer one of the same run (an `identify` meanwhile); a start
    /// over, or a stream that left the card, drops it: an old hand-off never goes out.
    pub fn hand_over(self, handoff: Handoff, fallback: String, on_erased: Rc<dyn Fn()>) {
        if self.begin((handoff, fallback, on_erased)) {
            self.status.set(self.strings.connecting.to_owned());
            fetch(self);
        }
    }
}

fn fetch(live: LiveSession) {
    leptos::task::spawn_local(async move {
        match live_connect().await {
            Ok(connect) => {
                live.fetched();
                connect(live)
            }
            // Offline or a 503: again in a moment, while a hand-off still waits.
            Err(Unloaded) => set_timeout(
                move || match live.waiting() {
                    true => fetch(live),
                    false => live.fetched(),
                },
                RETRY,
            ),
        }
    });
}
