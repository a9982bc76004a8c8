//! What the visitor is asked now: the interactive part of the current card.
//! The card's own text is already in the transcript.

use crate::cards::{Card, FieldKind};
use crate::route::Route;
use crate::validate::ValidDialogue;

#[derive(Clone, Debug, PartialEq)]
pub enum Prompt {
    /// Answer buttons and, optionally, a text box.
    Question {
        answers: Vec<String>,
        free_text: Option<FreeTextPrompt>,
    },
    /// The fields still unknown.
    InfoCapture {
        fields: Vec<FieldPrompt>,
        submit_label: Option<String>,
    },
    /// A meeting offer; until booking exists, the visitor continues past it.
    Meeting { fallback: String, duration_minutes: u32 },
    /// The hand-off to a human: terminal for the bot part.
    LiveChat { route: Route, fallback: String },
    /// Nothing more to ask.
    Ended,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FreeTextPrompt {
    pub placeholder: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldPrompt {
    pub attribute: String,
    pub kind: FieldKind,
    /// The dialogue's label; `None` means the widget's built-in label for the kind.
    pub label: Option<String>,
    pub required: bool,
    /// The dialogue's error text; `None` means the widget's built-in message.
    pub error: Option<String>,
}

impl super::Stream {
    /// What to show for the current card.
    pub fn prompt(&self, dialogue: &ValidDialogue) -> Prompt {
        let resolve = |t: &crate::Text| self.resolve(dialogue, t);
        let Some(card) = self.current(dialogue) else {
            return Prompt::Ended;
        };
        match card {
            Card::Question(q) => Prompt::Question {
                answers: q.answers.iter().map(|a| resolve(&a.label)).collect(),
                free_text: q.free_text.as_ref().map(|f| FreeTextPrompt {
                    placeholder: f.placeholder.as_ref().map(resolve),
                }),
            },
            Card::InfoCapture(ic) => Prompt::InfoCapture {
                fields: self
                    .pending_fields(ic)
                    .map(|f| FieldPrompt {
                        attribute: f.attribute().to_owned(),
                        kind: f.kind,
                        label: f.label.as_ref().map(resolve),
                        required: f.required,
                        error: f.error.as_ref().map(resolve),
                    })
                    .collect(),
                submit_label: ic.submit_label.as_ref().map(resolve),
            },
            Card::Meeting(m) => Prompt::Meeting {
                fallback: resolve(&m.fallback),
                duration_minutes: m.duration_minutes,
            },
            Card::LiveChat(lc) => Prompt::LiveChat {
                route: lc.route.clone(),
                fallback: resolve(&lc.fallback),
            },
            _ => Prompt::Ended,
        }
    }
}
