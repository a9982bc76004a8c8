//! The widget's state, [`Chat`]: the dialogue and its stream, the panel, the live
//! chat and the host page's hooks. Every card works through it (context); the views
//! are in `widget.rs`.

use crate::clock::now;
use crate::effect::effect;
use crate::live::{Handoff, LiveSession};
use crate::options::{Emit, Placement, Typing, WidgetOptions};
use crate::storage;
use chinwag_dialogue::engine::{Answer, AnswerError, Prompt, Speaker};
use chinwag_dialogue::{Stream, ValidDialogue, VisitorContext};
use chinwag_site::Strings;
use leptos::leptos_dom::helpers::set_timeout;
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::time::Duration;
use wasm_bindgen::JsValue;

/// The widget's state, shared with every card through context. All fields are
/// cheap handles, so `Chat` is `Copy`.
#[derive(Clone, Copy)]
pub struct Chat {
    pub(crate) setup: StoredValue<Setup>,
    pub stream: RwSignal<Stream>,
    /// Transcript entries shown so far; the rest wait behind the typing indicator.
    pub revealed: RwSignal<usize>,
    /// Bumped when the stream restarts, so stale typing timers are ignored.
    pub(crate) generation: RwSignal<usize>,
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
    pub(crate) placement: Placement,
}

/// What stays fixed while the widget runs. One stored value rather than several:
/// each distinct signal type costs visitors bytes.
pub(crate) struct Setup {
    dialogue: ValidDialogue,
    pub(crate) visitor: VisitorContext,
    pub(crate) storage_key: Option<String>,
    pub(crate) greeting: Option<String>,
    /// A resumed stream's events were told to the page when they happened.
    pub(crate) told_before: usize,
}

pub struct Host {
    emit: Option<Emit>,
    pub server: Option<(String, String)>,
}

impl Chat {
    /// The state alone: `mount` starts what follows it (reports, storage, the host's
    /// callback, the live hand-off, other tabs).
    pub(crate) fn new(options: WidgetOptions) -> Chat {
        let WidgetOptions {
            dialogue,
            visitor,
            storage_key,
            typing,
            transport,
            placement,
            open,
            on_change: _, // taken by `mount`, which follows the changes
            strings,
            css: _,
            greeting,
            emit,
            server,
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
        Chat {
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
            live: LiveSession::new(strings, transport, server.clone()),
            strings,
            host: StoredValue::new_local(Host { emit, server }),
            typing,
            placement,
        }
    }

    /// Hands over to a person as soon as the stream stands at a live-chat card, with
    /// the panel open or closed (a reload mid-conversation must not go deaf).
    pub(crate) fn connect_live_when_due(self) {
        effect(move || {
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
            match due {
                Some((handoff, fallback)) => {
                    // Deleted at the visitor's request: nothing of it stays on screen or
                    // in storage; the dialogue begins again.
                    let on_erased = std::rc::Rc::new(move || self.start_over());
                    self.live.hand_over(handoff, fallback, on_erased);
                }
                None => self.live.withdraw(),
            }
        });
    }

    /// Another tab of this visitor moved the same dialogue on (its journal changed in
    /// localStorage): show the same here. Equal journals are left alone, so two tabs
    /// never echo each other.
    pub(crate) fn follow_other_tabs(self) {
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

    /// As `with_dialogue`, from a timer or a task that may outlive the widget: `None`
    /// once it was removed.
    pub fn try_with_dialogue<R>(&self, f: impl FnOnce(&ValidDialogue) -> R) -> Option<R> {
        self.setup.try_with_value(|setup| f(&setup.dialogue))
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
    pub(crate) fn schedule_reveal(self) {
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
