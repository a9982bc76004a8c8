//! Reports the run's marks to the chat server for the metrics (docs/metrics.md): at
//! most one request every few seconds, and at once when the page hides, each by
//! `navigator.sendBeacon` (queued by the browser, it outlives the page). Every report
//! carries the whole run from its first mark: the server skips what it has, so a lost
//! report is made good by the next one and nothing needs an answer. No answer texts are
//! sent: only the attributes the visitor gave (docs/leads.md). Only a page the dialogue
//! targeted runs this, and only with a chat server and a published version. A run that
//! ends by "Start over" before its report went out is sent at once, before the new run
//! is told anything: its marks are not lost.

use crate::chat::Chat;
use crate::live::frames::object;
use chinwag_dialogue::Stream;
use js_sys::{Array, JSON};
use leptos::leptos_dom::helpers::{set_timeout, window_event_listener_untyped};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsValue;

/// The quiet time a report waits for more marks.
const EVERY: Duration = Duration::from_secs(3);
/// The most marks one report carries (the server's limit).
const MOST: usize = 200;

/// Starts reporting for `chat`; what it gives back wants every change of the stream.
pub(crate) fn follow(chat: Chat) -> Option<impl Fn(&Stream)> {
    let (server, site) = chat.host.with_value(|h| h.server.clone())?;
    let version = chat.with_dialogue(|d| d.published)?;
    let url = format!("{server}/api/sites/{site}/activity");
    let visitor = visitor_id();
    let beacon =
        move |body: &str| window().navigator().send_beacon_with_opt_str(&url, Some(body)) == Ok(true);
    // Marks told so far; a report is due while more wait.
    let (told, due) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(false)));
    let send = {
        let (told, visitor, beacon) = (told.clone(), visitor.clone(), beacon.clone());
        move || {
            // A removed widget's stream is gone (its timer may still fire): nothing to send.
            let body = chat
                .stream
                .try_with_untracked(|s| {
                    (s.marks.len() > told.get()).then(|| (report(s, &visitor, version), s.marks.len()))
                })
                .flatten();
            if let Some((body, count)) = body {
                if beacon(&body) {
                    told.set(count);
                }
            }
        }
    };
    let later = send.clone();
    let hidden = window_event_listener_untyped("pagehide", move |_| send());
    on_cleanup(move || hidden.remove());
    let run = Cell::new(0);
    // The run's latest report and its marks, kept for when the next run starts.
    let last: RefCell<Option<(String, usize)>> = RefCell::new(None);
    Some(move |s: &Stream| {
        // A new run (start over): what the old one has not told goes first, then the
        // new one is told from its first mark.
        if run.replace(s.journal().started_at) != s.journal().started_at {
            if let Some((body, _)) = last.take().filter(|(_, count)| *count > told.get()) {
                beacon(&body);
            }
            told.set(0);
        }
        if s.marks.len() > told.get() {
            last.replace(Some((report(s, &visitor, version), s.marks.len())));
        }
        if s.marks.len() > told.get() && !due.replace(true) {
            let (later, due) = (later.clone(), due.clone());
            set_timeout(
                move || {
                    due.set(false);
                    later();
                },
                EVERY,
            );
        }
    })
}

/// The report's body: JSON, sent as text (no CORS preflight).
fn report(s: &Stream, visitor: &str, version: u32) -> String {
    let journal = s.journal();
    let from = s.marks.len().saturating_sub(MOST);
    let marks: Array = s.marks[from..]
        .iter()
        .map(|m| {
            let card = m.card.as_deref().map_or(JsValue::UNDEFINED, JsValue::from);
            object(&[
                ("kind", m.kind.name().into()),
                ("card", card),
                ("at", (m.at as f64).into()),
            ])
        })
        .collect();
    let mut captured = s.captured.clone();
    if let Some(yes) = s.visitor.attributes.get("merge_consent") {
        captured.insert("merge_consent".into(), yes.clone());
    }
    let body = object(&[
        ("run", format!("{visitor}-{}", journal.started_at).into()),
        ("visitor", visitor.into()),
        ("dialogue", s.dialogue_id.as_str().into()),
        ("version", version.into()),
        ("locale", journal.visitor.locale.as_str().into()),
        ("known", journal.visitor.is_known("email").into()),
        ("from", (from as f64).into()),
        ("marks", marks.into()),
        // What the visitor gave in forms and typed answers (an email makes a lead), and
        // their consent to merge this visit into it, when the page has it.
        ("captured", crate::storage::map_to_js(&captured)),
    ]);
    JSON::stringify(&body).map(String::from).unwrap_or_default()
}

/// This browser's random visitor id for the metrics (kept in localStorage; without
/// storage, one per page).
fn visitor_id() -> String {
    const KEY: &str = "chinwag:visitor";
    let storage = window().local_storage().ok().flatten();
    if let Some(id) = storage.as_ref().and_then(|s| s.get_item(KEY).ok().flatten()) {
        return id;
    }
    let id = crate::clock::random_id();
    if let Some(s) = storage {
        let _ = s.set_item(KEY, &id);
    }
    id
}
