//! The draft being edited, shared by the designer, the card panel and the file view:
//! its text is the one source (the file view edits it directly); the designer's edits
//! parse it, change it and write it back, each one undoable. It is parsed and
//! validated once per change, for every panel that reads it.

use super::stream_edit::{get, set, to_text};
use chinwag_dialogue::{Problem, ValidDialogue};
use leptos::prelude::*;
use serde_json::Value;

/// How many edits can be undone.
const UNDO_DEPTH: usize = 200;

#[derive(Clone, Copy)]
pub struct Draft {
    pub body: RwSignal<String>,
    /// The card the panel edits (a validator path).
    pub selected: RwSignal<Option<String>>,
    /// What the last edit said when it could not apply.
    pub note: RwSignal<Option<String>>,
    /// Counts edits that change the draft's shape (not typing in a field): the card
    /// panel is drawn again on these only, so a field being typed in keeps its focus.
    pub shape: RwSignal<u64>,
    /// The text as JSON (`None` while it is not JSON).
    json: Memo<Option<Value>>,
    /// The validator's verdict on the text (the same crate as the CLI and the server).
    pub checked: Memo<Result<ValidDialogue, Vec<Problem>>>,
    undo: RwSignal<Vec<String>>,
    redo: RwSignal<Vec<String>>,
    /// The field being typed in: one undo step per field, not per key.
    typing: StoredValue<Option<String>>,
}

impl Draft {
    pub fn new(body: RwSignal<String>) -> Draft {
        Draft {
            body,
            selected: RwSignal::new(None),
            note: RwSignal::new(None),
            shape: RwSignal::new(0),
            json: Memo::new(move |_| body.with(|b| serde_json::from_str(b).ok())),
            checked: Memo::new(move |_| body.with(|b| chinwag_dialogue::json::check(b))),
            undo: RwSignal::new(Vec::new()),
            redo: RwSignal::new(Vec::new()),
            typing: StoredValue::new(None),
        }
    }

    /// The draft as JSON, or `None` while its text is not JSON (the file view says why).
    pub fn value(self) -> Option<Value> {
        self.json.get()
    }

    /// Reads the JSON without cloning it (tracked).
    pub fn with_value<T>(self, f: impl FnOnce(Option<&Value>) -> T) -> T {
        self.json.with(|v| f(v.as_ref()))
    }

    /// The same as `value`, untracked.
    pub fn peek(self) -> Option<Value> {
        self.json.get_untracked()
    }

    /// The draft's text was replaced outside the designer (the file view, an import, a
    /// load): what the panel shows is drawn again.
    pub fn replaced(self) {
        self.typing.set_value(None);
        self.shape.update(|n| *n += 1);
    }

    fn remember(self) {
        let now = self.body.get_untracked();
        self.undo.update(|u| {
            u.push(now);
            if u.len() > UNDO_DEPTH {
                u.remove(0);
            }
        });
        self.redo.update(Vec::clear);
    }

    /// Applies a structural edit (one undo step); `Ok(Some(path))` selects that card.
    pub fn edit(self, change: impl FnOnce(&mut Value) -> Result<Option<String>, String>) {
        let Some(mut doc) = self
            .body
            .with_untracked(|b| serde_json::from_str::<Value>(b).ok())
        else {
            self.note.set(Some(
                "The file is not valid JSON: fix it in the file view first.".into(),
            ));
            return;
        };
        match change(&mut doc) {
            Ok(select) => {
                self.typing.set_value(None);
                self.remember();
                self.body.set(to_text(&doc));
                self.shape.update(|n| *n += 1);
                self.note.set(None);
                if let Some(path) = select {
                    self.selected.set(Some(path));
                }
            }
            Err(why) => self.note.set(Some(why)),
        }
    }

    /// Writes one field as it is typed: the first key in a field is an undo step.
    pub fn write(self, path: &str, value: Value) {
        let Some(mut doc) = self
            .body
            .with_untracked(|b| serde_json::from_str::<Value>(b).ok())
        else {
            return;
        };
        if let Err(why) = set(&mut doc, path, value) {
            self.note.set(Some(why));
            return;
        }
        if self.typing.get_value().as_deref() != Some(path) {
            self.remember();
            self.typing.set_value(Some(path.to_owned()));
        }
        self.body.set(to_text(&doc));
    }

    /// The value at `path` now (untracked: see `shape`).
    pub fn read(self, path: &str) -> Value {
        self.peek()
            .and_then(|d| get(&d, path).cloned())
            .unwrap_or(Value::Null)
    }

    pub fn can_undo(self) -> bool {
        self.undo.with(|u| !u.is_empty())
    }

    pub fn can_redo(self) -> bool {
        self.redo.with(|r| !r.is_empty())
    }

    pub fn undo(self) {
        Self::step(self.undo, self.redo, self.body);
        self.replaced();
    }

    pub fn redo(self) {
        Self::step(self.redo, self.undo, self.body);
        self.replaced();
    }

    /// Takes the last text off `from`, puts the current one on `to`.
    fn step(from: RwSignal<Vec<String>>, to: RwSignal<Vec<String>>, body: RwSignal<String>) {
        if let Some(text) = from.try_update(Vec::pop).flatten() {
            let now = body.get_untracked();
            to.update(|t| t.push(now));
            body.set(text);
        }
    }
}
