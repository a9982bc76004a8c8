//! The widget's views: launcher button, chat panel (header, message log, card area).
//! The state they show is [`Chat`] (`chat.rs`).

use crate::cards::CardArea;
use crate::chat::Chat;
use crate::effect::effect;
use crate::entry::{append_entry, append_live};
use crate::options::Placement;
use crate::storage;
use crate::tell::{tell_messages, Told};
use leptos::html;
use leptos::leptos_dom::helpers::set_timeout;
use leptos::prelude::*;
use std::time::Duration;

#[component]
pub fn Widget(chat: Chat) -> impl IntoView {
    provide_context(chat);
    effect(move || chat.schedule_reveal());
    let launcher = NodeRef::<html::Button>::new();
    let strings = chat.strings;
    let locale = chat.setup.with_value(|s| s.visitor.locale.clone());
    // What a resumed conversation showed before is not news: its bot part, and the live
    // lines this tab told before a reload (the socket replays them).
    let told_key = chat.setup.with_value(|s| s.storage_key.clone());
    let seen = Told {
        generation: chat.generation.get_untracked(),
        lines: chat.revealed.get_untracked(),
        events: chat.setup.with_value(|s| s.told_before),
        live: told_key.as_deref().map_or(0, storage::live_lines_told),
    };
    let mut before = seen;
    effect(move || {
        let told = tell_messages(chat, before);
        // Written only when a live line was told, not on every reveal.
        if let (Some(key), true) = (&told_key, told.live != before.live) {
            storage::set_live_lines_told(key, told.live);
        }
        before = told;
    });
    // The launcher's name and unread count, set directly: cheaper in bytes than
    // reactive attributes. The badge is CSS (`data-unread`).
    effect(move || {
        let (open, unread) = (chat.open.get(), chat.unread.get());
        if let Some(button) = launcher.get() {
            let label = match (open, unread) {
                (true, _) => strings.close_chat.to_owned(),
                (false, 0) => strings.open_chat.to_owned(),
                (false, n) => format!(
                    "{} ({})",
                    strings.open_chat,
                    strings.unread_count(n, &plural(&locale, n))
                ),
            };
            let _ = button.set_attribute("aria-label", &label);
            let _ = match (open, unread) {
                (false, n) if n > 0 => button.set_attribute("data-unread", &n.to_string()),
                _ => button.remove_attribute("data-unread"),
            };
        }
    });
    // Until the visitor opens the chat (or answers, or dismisses it).
    let greeting = chat.setup.with_value(|s| s.greeting.clone()).map(|text| {
        view! {
            <button
                class="cw-greeting"
                hidden=move || chat.open.get() || chat.stream.with(|s| s.events.len() > 1)
                on:click=move |_| chat.open.set(true)
            >
                {text}
            </button>
        }
    });
    let on_keydown = move |e: web_sys::KeyboardEvent| {
        if e.key() == "Escape" && chat.open.get_untracked() {
            e.stop_propagation();
            // Focus never falls to the page in between: to the launcher at once where it
            // shows, and on a phone (full screen hides it) as soon as the panel is gone.
            if let Some(button) = launcher.get_untracked().filter(|b| b.offset_parent().is_some()) {
                let _ = button.focus();
            }
            chat.close();
            set_timeout(
                move || {
                    // The widget may have been removed before the timer fired.
                    if let Some(button) = launcher.try_get_untracked().flatten() {
                        let _ = button.focus();
                    }
                },
                Duration::ZERO,
            );
        }
        // Full screen on a phone (the launcher hidden), Tab goes round the panel.
        if e.key() == "Tab"
            && launcher
                .get_untracked()
                .is_some_and(|b| b.offset_parent().is_none())
        {
            keep_focus_in_panel(&e);
        }
    };
    view! {
        <div
            class="cw"
            on:keydown=on_keydown
            class:cw-inline=chat.placement == Placement::Inline
            class:cw-is-open=move || chat.open.get()
        >
            {move || chat.open.get().then(|| view! {
                <section class="cw-panel" role="dialog" aria-labelledby="cw-title">
                    <Header />
                    <Log />
                    <CardArea />
                </section>
            })}
            {greeting}
            <button
                class="cw-launcher"
                node_ref=launcher
                aria-expanded=move || chat.open.get().to_string()
                on:click=move |_| chat.toggle()
            >
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <path d=chinwag_site::launcher::ICON />
                </svg>
            </button>
        </div>
    }
}

#[component]
fn Header() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let name = chat.bot_name();
    let avatar = chat.with_dialogue(|d| d.appearance.as_ref().and_then(|a| a.avatar_url.clone()));
    let initial = name.chars().next().unwrap_or('C').to_string();
    // The picture, when there is one, covers the initial.
    let picture = avatar.filter(|u| chinwag_dialogue::text::is_safe_url(u));
    // The reply-time line the server chose for now (docs/inbox.md, "Business hours"):
    // it blanks the one that is not true, or both when the site has no hours team.
    let strings = chat.strings;
    let reply_time = [strings.reply_soon, strings.reply_away]
        .into_iter()
        .find(|line| !line.is_empty());
    view! {
        // A div, not a header: inside a host page with its own header, two banners.
        <div class="cw-header">
            <span class="cw-avatar" aria-hidden="true">
                {initial}
                {picture.map(|url| view! { <img src=url alt="" /> })}
            </span>
            <div class="cw-heading">
                <h2 id="cw-title" class="cw-title">
                    <span class="cw-visually-hidden">{strings.chat_with} " "</span>
                    {name}
                </h2>
                {reply_time.map(|line| view! { <p class="cw-reply-time">{line}</p> })}
            </div>
            <button class="cw-close" aria-label=chat.strings.close_chat on:click=move |_| chat.close()>
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <path d="M6 6l12 12M18 6L6 18" />
                </svg>
            </button>
        </div>
    }
}

/// The conversation so far: `role="log"` so screen readers announce new lines. Lines
/// are appended as they are revealed (see `entry.rs`); the typing indicator sits after
/// the log in the same scrolling area.
#[component]
fn Log() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let scroller = NodeRef::<html::Div>::new();
    let log = NodeRef::<html::Div>::new();
    let bot = chat.bot_name();
    // What the log shows: (generation, transcript lines, live lines).
    let mut shown = (usize::MAX, 0, 0);
    effect(move || {
        let (generation, revealed) = (chat.generation.get(), chat.revealed.get());
        let live_count = chat.live.lines.with(Vec::len);
        let (mut was, mut lines, mut live) = shown;
        let (Some(log), Some(document)) = (log.get(), document_of(&scroller)) else {
            return;
        };
        let log: &web_sys::Element = &log;
        if was != generation {
            log.set_text_content(None);
            (was, lines, live) = (generation, 0, 0);
        }
        let s = chat.strings;
        chat.stream.with_untracked(|stream| {
            let upto = revealed.min(stream.transcript.len());
            for entry in stream.transcript.get(lines..upto).unwrap_or_default() {
                append_entry(&document, log, entry, &bot, s.you, s.opens_new_tab);
            }
            lines = lines.max(upto);
        });
        chat.live.lines.with_untracked(|all| {
            for line in all.get(live..).unwrap_or_default() {
                append_live(&document, log, line, s.you);
            }
        });
        // Keep the newest line in view.
        if let Some(scroller) = scroller.get_untracked() {
            scroller.set_scroll_top(scroller.scroll_height());
        }
        shown = (was, lines, live_count);
    });
    view! {
        // Focusable, so keyboard users can scroll the conversation.
        <div class="cw-scroll" tabindex="0" node_ref=scroller>
            <div class="cw-flow">
                <div class="cw-log" role="log" aria-live="polite" aria-relevant="additions" node_ref=log></div>
                <div class="cw-typing" role="status" hidden=move || chat.settled()>
                    <span class="cw-visually-hidden">{chat.bot_name()} " " {chat.strings.typing}</span>
                    <span class="cw-dot" aria-hidden="true"></span>
                    <span class="cw-dot" aria-hidden="true"></span>
                    <span class="cw-dot" aria-hidden="true"></span>
                </div>
            </div>
        </div>
    }
}

fn document_of(node: &NodeRef<html::Div>) -> Option<web_sys::Document> {
    node.get_untracked()?.owner_document()
}

/// Tab on the panel's last control goes to its first, Shift+Tab on the first to the
/// last, so focus cannot leave a full-screen panel.
fn keep_focus_in_panel(event: &web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    let Some(here) = event.target().map(|t| t.unchecked_into::<web_sys::Element>()) else {
        return;
    };
    let Some(all) = here.closest(".cw-panel").ok().flatten().and_then(|p| {
        p.query_selector_all("button:enabled,input:enabled,a[href],[tabindex]")
            .ok()
    }) else {
        return;
    };
    let last = all.length().saturating_sub(1);
    let (edge, to) = if event.shift_key() { (0, last) } else { (last, 0) };
    if all.get(edge).is_some_and(|n| n == *here) {
        event.prevent_default();
        if let Some(control) = all.get(to) {
            let _ = control.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    }
}

/// The CLDR plural category of `n` in `locale` (`one`, `other`, ...), from the browser's
/// own rules: no plural tables in the bundle.
fn plural(locale: &str, n: usize) -> String {
    let locales = js_sys::Array::of1(&locale.into());
    js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new())
        .select(n as f64)
        .into()
}
