//! Telling the host page what the visitor sees, in order: each message as it shows,
//! with the engine's events in their place among them, and counting unread ones.

use crate::chat::Chat;
use crate::storage;
use chinwag_dialogue::engine::{EventKind, Speaker};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// What the page has been told so far.
#[derive(Clone, Copy, PartialEq)]
pub(crate) struct Told {
    /// The stream's generation (it restarts on `identify` or start over).
    pub generation: usize,
    /// Transcript lines told.
    pub lines: usize,
    /// Engine events told.
    pub events: usize,
    /// Live-chat lines told.
    pub live: usize,
}

/// Tells the page each message as the visitor sees it, with the engine's events in
/// their place among them (a visitor's answer before the `engaged` it causes, the last
/// bot line before `completed`), and counts messages that arrive while the panel is
/// closed.
pub(crate) fn tell_messages(chat: Chat, before: Told) -> Told {
    let (generation, revealed, open) = (chat.generation.get(), chat.revealed.get(), chat.open.get());
    let live = chat.live.lines.with(Vec::len);
    let Told {
        mut lines,
        mut events,
        live: mut told_live,
        ..
    } = before;
    if before.generation != generation {
        (lines, told_live) = (0, 0);
    }
    let mut new = 0;
    let mut tell = |from: &str, text: &str| {
        chat.emit(
            "message",
            crate::live::frames::object(&[("from", from.into()), ("text", text.into())]),
        );
        new += usize::from(from != "visitor");
    };
    chat.stream.with(|s| {
        // A fresh stream (start over) has fewer events than were told.
        events = events.min(s.events.len());
        let mut tell_events = |upto: usize| {
            while let Some(event) = s.events.get(events).filter(|e| e.after <= upto) {
                let (name, detail) = match event.kind {
                    EventKind::Triggered => ("triggered", JsValue::UNDEFINED),
                    EventKind::Engaged => ("engaged", JsValue::UNDEFINED),
                    EventKind::LeadCaptured => (
                        "leadCaptured",
                        // The loader adds `type` and `dialogue`.
                        crate::live::frames::object(&[("attributes", storage::map_to_js(&s.captured))]),
                    ),
                    EventKind::Completed => ("completed", JsValue::UNDEFINED),
                    EventKind::Closed => ("closed", JsValue::UNDEFINED),
                };
                chat.emit(name, detail);
                events += 1;
            }
        };
        for (i, entry) in s.transcript.iter().enumerate().take(revealed).skip(lines) {
            tell_events(i);
            tell(
                if entry.speaker == Speaker::Bot {
                    "bot"
                } else {
                    "visitor"
                },
                &entry.text,
            );
        }
        tell_events(revealed.max(lines));
    });
    chat.live.lines.with_untracked(|all| {
        for line in all.get(told_live..).unwrap_or_default() {
            tell(if line.from_visitor { "visitor" } else { "agent" }, &line.text);
        }
    });
    if open {
        chat.unread.set(0);
    } else if new > 0 {
        chat.unread.update(|n| *n += new);
    }
    // A replay after a reload rebuilds the lines told before; they stay told.
    Told {
        generation,
        lines: revealed.max(lines),
        events,
        live: live.max(told_live),
    }
}
