//! The widget: launcher button, chat panel (header, message log, card area), and the
//! shared [`Chat`] state every card works through.

use crate::cards::CardArea;
use crate::clock::now;
use crate::entry::{append_entry, append_live};
use crate::live::{Handoff, LiveChatTransport, LiveSession};
use crate::mount::{Emit, Placement, Typing, WidgetOptions};
use crate::storage;
use chinwag_dialogue::engine::{Answer, AnswerError, EventKind, Prompt, Speaker};
use chinwag_dialogue::{Stream, ValidDialogue, VisitorContext};
use chinwag_site::Strings;
use leptos::html;
use leptos::leptos_dom::helpers::set_timeout;
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsValue;

/// The widget's state, shared with every card through context. All fields are
/// cheap handles, so `Chat` is `Copy`.
#[derive(Clone, Copy)]
pub struct Chat {
    setup: StoredValue<Setup>,
    pub stream: RwSignal<Stream>,
    /// Transcript entries shown so far; the rest wait behind the typing indicator.
    pub revealed: RwSignal<usize>,
    /// Bumped when the stream restarts, so stale typing timers are ignored.
    generation: RwSignal<usize>,
    pub open: RwSignal<bool>,
    /// Messages that arrived while the panel was closed.
    pub unread: RwSignal<usize>,
    /// The live chat, once the stream reaches its card.
    pub live: LiveSession,
    pub strings: &'static Strings,
    /// What reaches outside the widget: the live-chat connection and the page's
    /// listeners. One stored value: each distinct one costs visitors bytes.
    pub host: StoredValue<Host, LocalStorage>,
    typing: Typing,
    placement: Placement,
}

/// What stays fixed while the widget runs. One stored value rather than several:
/// each distinct signal type costs visitors bytes.
struct Setup {
    dialogue: ValidDialogue,
    visitor: VisitorContext,
    storage_key: Option<String>,
    greeting: Option<String>,
    /// A resumed stream's events were told to the page when they happened.
    told_before: usize,
}

pub struct Host {
    pub transport: Rc<dyn LiveChatTransport>,
    emit: Option<Emit>,
}

impl Chat {
    pub fn new(options: WidgetOptions) -> Chat {
        let WidgetOptions {
            dialogue,
            visitor,
            storage_key,
            typing,
            transport,
            placement,
            open,
            on_change,
            strings,
            css: _,
            greeting,
            emit,
        } = options;
        let resumed = storage_key
            .as_deref()
            .and_then(|key| storage::load(key, &dialogue));
        let revealed = resumed.as_ref().map_or(0, |s| s.transcript.len());
        let told_before = resumed.as_ref().map_or(0, |s| s.events.len());
        let stream = resumed.unwrap_or_else(|| Stream::start(&dialogue, visitor.clone(), now()));
        let typing = match &dialogue.appearance {
            Some(a) => Typing {
                ms_per_char: a.typing_ms_per_char.unwrap_or(typing.ms_per_char),
                max_ms: a.typing_max_ms.unwrap_or(typing.max_ms),
            },
            None => typing,
        };
        let chat = Chat {
            setup: StoredValue::new(Setup {
                dialogue,
                visitor,
                storage_key,
                greeting,
                told_before,
            }),
            stream: RwSignal::new(stream),
            revealed: RwSignal::new(revealed),
            generation: RwSignal::new(0),
            open: RwSignal::new(open),
            unread: RwSignal::new(0),
            live: LiveSession::new(strings),
            strings,
            host: StoredValue::new_local(Host { transport, emit }),
            typing,
            placement,
        };
        Effect::new(move |_| {
            chat.stream.with(|s| {
                chat.setup.with_value(|setup| {
                    if let Some(key) = &setup.storage_key {
                        storage::save(key, s);
                    }
                });
                if let Some(on_change) = &on_change {
                    on_change(s);
                }
            })
        });
        chat.connect_live_when_due();
        chat.follow_other_tabs();
        chat
    }

    /// Hands over to a person as soon as the stream stands at a live-chat card, with
    /// the panel open or closed (a reload mid-conversation must not go deaf).
    fn connect_live_when_due(self) {
        Effect::new(move |_| {
            let due = self.stream.with(|s| match self.with_dialogue(|d| s.prompt(d)) {
                Prompt::LiveChat { route, fallback } => Some((
                    Handoff {
                        dialogue_id: s.dialogue_id.clone(),
                        card: s.position().map(ToString::to_string).unwrap_or_default(),
                        transcript: s.transcript.clone(),
                        attributes: s.visitor.attributes.clone(),
                        page_url: s.visitor.page_url.clone(),
                        route,
                    },
                    fallback,
                )),
                _ => None,
            });
            if let Some((handoff, fallback)) = due {
                self.host
                    .with_value(|h| self.live.connect(&*h.transport, handoff, fallback, self.strings));
            }
        });
    }

    /// Another tab of this visitor moved the same dialogue on (its journal changed in
    /// localStorage): show the same here. Equal journals are left alone, so two tabs
    /// never echo each other.
    fn follow_other_tabs(self) {
        let Some(key) = self.setup.with_value(|s| s.storage_key.clone()) else {
            return;
        };
        // A plain closure of the socket's kind: no new event type in the bundle.
        let on_storage = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            if js_sys::Reflect::get(&e, &"key".into())
                .ok()
                .and_then(|k| k.as_string())
                != Some(key.clone())
            {
                return;
            }
            let theirs = self
                .setup
                .try_with_value(|s| storage::load(&key, &s.dialogue))
                .flatten();
            let differs = |t: &Stream| self.stream.try_with_untracked(|s| s.journal() != t.journal());
            if let Some(theirs) = theirs.filter(|t| differs(t) == Some(true)) {
                self.stream.try_set(theirs);
            }
        });
        if let Some(window) = web_sys::window() {
            use wasm_bindgen::JsCast;
            let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
        }
        // Lives as long as the page; a removed widget's signals are gone, so it does nothing.
        on_storage.forget();
    }

    /// Tells the host page's listeners (see `docs/embedding.md`).
    pub fn emit(&self, name: &str, detail: JsValue) {
        self.host.with_value(|host| {
            if let Some(emit) = &host.emit {
                emit(name, detail);
            }
        });
    }

    /// The host page identified the visitor (`identify`, `setAttributes`).
    pub fn identify(&self, attributes: BTreeMap<String, String>) {
        self.setup
            .update_value(|setup| setup.visitor.attributes.extend(attributes.clone()));
        let mut next = self.stream.get_untracked();
        if self.with_dialogue(|d| next.identify(d, attributes, now())) {
            // The opening ran again with the new attributes: show it afresh.
            self.generation.update(|g| *g += 1);
            self.revealed.set(0);
        }
        self.stream.set(next);
    }

    pub fn toggle(&self) {
        if self.open.get_untracked() {
            self.close();
        } else {
            self.open.set(true);
        }
    }

    pub fn with_dialogue<R>(&self, f: impl FnOnce(&ValidDialogue) -> R) -> R {
        self.setup.with_value(|setup| f(&setup.dialogue))
    }

    /// Gives the visitor's answer to the engine; the stream changes only if accepted.
    pub fn answer(&self, answer: Answer) -> Result<(), AnswerError> {
        let mut next = self.stream.get_untracked();
        let result = self.with_dialogue(|d| next.answer(d, answer, now()));
        if result.is_ok() {
            self.stream.set(next);
        }
        result
    }

    /// Forgets this run and starts the dialogue again.
    pub fn start_over(&self) {
        let fresh = self.setup.with_value(|setup| {
            if let Some(key) = &setup.storage_key {
                storage::forget(key);
            }
            Stream::start(&setup.dialogue, setup.visitor.clone(), now())
        });
        self.generation.update(|g| *g += 1);
        self.live.clear();
        self.revealed.set(0);
        self.stream.set(fresh);
    }

    pub fn close(&self) {
        self.open.set(false);
        self.stream.update(|s| {
            s.close(now());
            // Dismissed without answering: the loader holds this dialogue back for the
            // dialogue's `dismissed_days`.
            if !s.has_event(chinwag_dialogue::EventKind::Engaged) {
                storage::dismiss(&s.dialogue_id);
            }
        });
    }

    /// Whether every message has been "typed" and the current card may show.
    pub fn settled(&self) -> bool {
        self.revealed.get() >= self.stream.with(|s| s.transcript.len())
    }

    pub fn bot_name(&self) -> String {
        self.with_dialogue(|d| {
            d.appearance
                .as_ref()
                .and_then(|a| a.bot_name.clone())
                .unwrap_or_else(|| "Chinwag".into())
        })
    }

    /// Reveals the next transcript entry after its typing time.
    fn schedule_reveal(self) {
        let (shown, next) = (
            self.revealed.get(),
            self.stream
                .with(|s| s.transcript.get(self.revealed.get()).cloned()),
        );
        let Some(next) = next else { return };
        let delay = match next.speaker {
            Speaker::Visitor => 0,
            Speaker::Bot => {
                (next.text.chars().count() as u32 * self.typing.ms_per_char).min(self.typing.max_ms)
            }
        };
        if delay == 0 {
            return self.revealed.set(shown + 1);
        }
        let generation = self.generation.get_untracked();
        set_timeout(
            move || {
                if self.generation.try_get_untracked() == Some(generation) {
                    self.revealed.try_set(shown + 1);
                }
            },
            Duration::from_millis(delay.into()),
        );
    }
}

#[component]
pub fn Widget(chat: Chat) -> impl IntoView {
    provide_context(chat);
    Effect::new(move |_| chat.schedule_reveal());
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
    Effect::new(move |before: Option<Told>| {
        let before = before.unwrap_or(seen);
        let told = tell_messages(chat, before);
        // Written only when a live line was told, not on every reveal.
        if let (Some(key), true) = (&told_key, told.live != before.live) {
            storage::set_live_lines_told(key, told.live);
        }
        told
    });
    // The launcher's name and unread count, set directly: cheaper in bytes than
    // reactive attributes. The badge is CSS (`data-unread`).
    Effect::new(move |_| {
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
                    if let Some(button) = launcher.get_untracked() {
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
                    <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" />
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
    view! {
        <header class="cw-header">
            <span class="cw-avatar" aria-hidden="true">
                {initial}
                {picture.map(|url| view! { <img src=url alt="" /> })}
            </span>
            <h2 id="cw-title" class="cw-title">
                <span class="cw-visually-hidden">{chat.strings.chat_with} " "</span>
                {name}
            </h2>
            <button class="cw-close" aria-label=chat.strings.close_chat on:click=move |_| chat.close()>
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <path d="M6 6l12 12M18 6L6 18" />
                </svg>
            </button>
        </header>
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
    // The effect's value is what it has shown: (generation, transcript lines, live lines).
    Effect::new(move |shown: Option<(usize, usize, usize)>| {
        let (generation, revealed) = (chat.generation.get(), chat.revealed.get());
        let live_count = chat.live.lines.with(Vec::len);
        let (mut was, mut lines, mut live) = shown.unwrap_or((usize::MAX, 0, 0));
        let (Some(log), Some(document)) = (log.get(), document_of(&scroller)) else {
            return (was, lines, live);
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
        (was, lines, live_count)
    });
    view! {
        // Focusable, so keyboard users can scroll the conversation.
        <div class="cw-scroll" tabindex="0" node_ref=scroller>
            <div class="cw-log" role="log" aria-live="polite" aria-relevant="additions" node_ref=log></div>
            <div class="cw-typing" role="status" hidden=move || chat.settled()>
                <span class="cw-visually-hidden">{chat.bot_name()} " " {chat.strings.typing}</span>
                <span class="cw-dot" aria-hidden="true"></span>
                <span class="cw-dot" aria-hidden="true"></span>
                <span class="cw-dot" aria-hidden="true"></span>
            </div>
        </div>
    }
}

fn document_of(node: &NodeRef<html::Div>) -> Option<web_sys::Document> {
    node.get_untracked()?.owner_document()
}

/// What the page has been told so far.
#[derive(Clone, Copy, PartialEq)]
struct Told {
    /// The stream's generation (it restarts on `identify` or start over).
    generation: usize,
    /// Transcript lines told.
    lines: usize,
    /// Engine events told.
    events: usize,
    /// Live-chat lines told.
    live: usize,
}

/// Tells the page each message as the visitor sees it, with the engine's events in
/// their place among them (a visitor's answer before the `engaged` it causes, the last
/// bot line before `completed`), and counts messages that arrive while the panel is
/// closed.
fn tell_messages(chat: Chat, before: Told) -> Told {
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
        // `[from, text]`: the loader makes it `{ from, text }`.
        chat.emit("message", js_sys::Array::of2(&from.into(), &text.into()).into());
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
                    EventKind::LeadCaptured => ("leadCaptured", storage::map_to_js(&s.captured)),
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
