//! The meeting card in the chat: what the chat knows (the visitor's name and email, the
//! card, the locale) handed to the card itself (`crate::meeting`, in the meeting part).
//! Without a server, `cards/part.rs` shows the fallback; the preview books against an
//! in-page stand-in (`meeting::stand_in`).

use crate::chat::Chat;
use crate::meeting::{Calls, Setup};
use chinwag_dialogue::engine::Answer;
use leptos::prelude::*;
use std::rc::Rc;

/// A plain function, not a component: no props builder to ship.
pub fn meeting_card(chat: Chat, fallback: String, server: String, site: String) -> AnyView {
    let server = server.trim_end_matches('/').to_owned();
    let setup = chat.stream.with_untracked(|s| {
        let known = |k: &str| {
            s.captured
                .get(k)
                .or_else(|| s.visitor.attributes.get(k))
                .cloned()
                .unwrap_or_default()
        };
        let name = [known("name"), known("first_name")]
            .into_iter()
            .find(|n| !n.is_empty())
            .unwrap_or_default();
        Setup {
            calls: calls(&server, &site, &s.visitor.locale),
            server: server.clone(),
            site: site.clone(),
            dialogue: s.dialogue_id.clone(),
            card: s.position().map(|p| p.to_string()).unwrap_or_default(),
            locale: s.visitor.locale.clone(),
            name,
            email: known("email"),
            fallback,
            next: Some(chat.strings.continue_.to_owned()),
            done: Rc::new(move |kind: &str, detail| match kind {
                "continue" => drop(chat.answer(Answer::Continue)),
                _ => chat.emit(kind, detail),
            }),
        }
    });
    crate::meeting::card(setup)
}

#[cfg(not(feature = "preview"))]
fn calls(server: &str, _: &str, _: &str) -> Rc<dyn Calls> {
    Rc::new(crate::meeting::Server(server.to_owned()))
}

/// The preview's site `(preview)` (no real site id has parentheses) books in the page.
#[cfg(feature = "preview")]
fn calls(server: &str, site: &str, locale: &str) -> Rc<dyn Calls> {
    match site {
        "(preview)" => Rc::new(crate::meeting::stand_in::StandIn::new(locale)),
        _ => Rc::new(crate::meeting::Server(server.to_owned())),
    }
}
