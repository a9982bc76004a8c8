//! The page behind the link in every invitation (`/meetings/manage`, served by the chat
//! server): the same card as in the chat, to reschedule or cancel without signing in.
//! The page loads the widget's bundle and calls [`meeting_page`]; everything else comes
//! with the meeting part, so the start carries only this call.

use super::{Server, Setup};
use crate::part::{part, Unloaded};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// Mounts the card on a page of its own: in the meeting part, with the card.
type Mount = fn(web_sys::HtmlElement);

part!(meeting_alone in meeting_part: Mount = mount);

/// Mounts the meeting card in `el` (in the meeting part), from what its data attributes
/// say: site, dialogue, card, locale, name, email. The page keeps the meeting in this
/// browser first, so the card opens on it.
pub fn mount(el: web_sys::HtmlElement) {
    let data = |name: &str| el.get_attribute(&format!("data-{name}")).unwrap_or_default();
    let server = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let setup = Setup {
        calls: Rc::new(Server(server.clone())),
        server,
        site: data("site"),
        dialogue: data("dialogue"),
        card: data("card"),
        locale: data("locale"),
        name: data("name"),
        email: data("email"),
        fallback: String::new(),
        next: None,
        done: Rc::new(|_, _| {}),
    };
    // The page lives as long as the card: nothing to unmount.
    std::mem::forget(leptos::mount::mount_to(el, move || super::card(setup)));
}

/// The page's call: `meeting_page(el)`. One argument, so the start carries no more than
/// this call: the attributes are read in the part.
#[wasm_bindgen]
pub fn meeting_page(el: web_sys::HtmlElement) {
    // wasm-bindgen's executor: Leptos's starts with the first mount, which is this one's.
    wasm_bindgen_futures::spawn_local(async move {
        match meeting_alone().await {
            Ok(mount) => mount(el),
            Err(_) => el.set_text_content(Some("The page could not load. Reload it to try again.")),
        }
    });
}
