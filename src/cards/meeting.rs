//! The meeting card: its code (`www/meeting.js`) is imported from the chat server only
//! when a visitor reaches one, so the widget carries a few hundred bytes for it. The
//! module shows the card's fallback itself when there is no free time; when it cannot
//! load, the snippet below does. Without a server, `cards/mod.rs` shows the fallback;
//! the preview books against an in-page stand-in (`www/meeting-preview.js`).

use crate::chat::Chat;
use chinwag_dialogue::engine::Answer;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

// One string of fields joined by U+0001: one argument instead of ten.
#[wasm_bindgen(inline_js = "export function meet(u, el, s, done) {
  const f = s.split('\\x01');
  import(u).then((m) => m.mount(el, ...f, done)).catch(() => {
    const p = document.createElement('p'), b = document.createElement('button');
    p.className = 'cw-note', p.textContent = f[7];
    b.className = 'cw-answer', b.type = 'button', b.textContent = f[8], b.onclick = () => done('continue');
    el.append(p, b);
  });
}")]
extern "C" {
    fn meet(url: &str, el: &web_sys::Element, fields: &str, done: &js_sys::Function);
}

/// A plain function, not a component: no props builder to ship.
pub fn meeting_card(chat: Chat, fallback: String, server: String, site: String) -> impl IntoView {
    let area = NodeRef::<html::Div>::new();
    area.on_load(move |el| {
        // As `mount` takes them: server, site, dialogue, card, locale, name, email, the
        // fallback, the Continue label, and the texts for the preview's stand-in.
        let fields = chat.stream.with_untracked(|s| {
            let known = |k: &str| {
                s.captured
                    .get(k)
                    .or_else(|| s.visitor.attributes.get(k))
                    .map_or("", String::as_str)
            };
            let card = s.position().map(ToString::to_string).unwrap_or_default();
            let name = [known("name"), known("first_name")]
                .into_iter()
                .find(|n| !n.is_empty())
                .unwrap_or("");
            let all = [
                &server,
                &site,
                &s.dialogue_id,
                &card,
                &s.visitor.locale,
                name,
                known("email"),
                &fallback,
            ];
            all.join("\u{1}")
                + "\u{1}"
                + chat.strings.continue_
                + "\u{1}"
                + &stand_in_texts(&s.visitor.locale)
        });
        let done =
            Closure::<dyn FnMut(String, JsValue)>::new(move |kind: String, detail| match kind.as_str() {
                "continue" => drop(chat.answer(Answer::Continue)),
                _ => chat.emit(&kind, detail),
            });
        meet(&module_url(&server), &el, &fields, done.as_ref().unchecked_ref());
        // Lives as long as the card's module may call it.
        done.forget();
    });
    view! { <div node_ref=area></div> }
}

/// The card's module: from the chat server; in the preview, beside the page.
#[cfg(not(feature = "preview"))]
fn module_url(server: &str) -> String {
    format!("{server}/widget/meeting.js")
}

#[cfg(feature = "preview")]
fn module_url(_: &str) -> String {
    "./meeting.js".into()
}

/// The preview's stand-in has no server to send the texts: they go with the fields.
#[cfg(not(feature = "preview"))]
fn stand_in_texts(_: &str) -> String {
    String::new()
}

#[cfg(feature = "preview")]
fn stand_in_texts(locale: &str) -> String {
    serde_json::to_string(chinwag_site::meeting::texts(locale)).unwrap_or_default()
}
