//! The card kinds. Each file holds one kind's model and its own validation,
//! side by side; the engine decides how the stream moves between them.

mod branch;
mod de;
mod flow;
mod goal;
mod info_capture;
mod live_chat;
mod meeting;
mod message;
mod question;

pub use branch::Branch;
pub use flow::{End, Goto};
pub use goal::{Goal, MAX_GOAL_NAME};
pub use info_capture::{Field, FieldKind, InfoCapture};
pub use live_chat::LiveChat;
pub use meeting::{Hosts, Meeting};
pub use message::{Image, LinkButton, Message};
pub use question::{AnswerOption, FreeText, Question};

use crate::check::Checker;

/// Which list of cards a step goes into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum List {
    /// The dialogue's top-level stream.
    Stream,
    /// The branch of a question's answer, by answer index.
    Answer(usize),
    /// The branch after a question's free-text answer.
    FreeText,
    /// A branch card's `then` (condition holds).
    Then,
    /// A branch card's `else`.
    Else,
}

// Read by a hand-written deserializer (`de.rs`) rather than serde's internally tagged
// enums, which buffer every card: that keeps exact error paths and saves the widget
// many kilobytes.
/// One step of a stream, tagged by `type`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Card {
    Message(Message),
    Question(Question),
    InfoCapture(InfoCapture),
    Branch(Branch),
    LiveChat(LiveChat),
    Meeting(Meeting),
    Goto(Goto),
    End(End),
    Goal(Goal),
}

impl Card {
    /// The optional id that `goto` cards jump to.
    pub fn id(&self) -> Option<&str> {
        match self {
            Card::Message(c) => c.id.as_deref(),
            Card::Question(c) => c.id.as_deref(),
            Card::InfoCapture(c) => c.id.as_deref(),
            Card::Branch(c) => c.id.as_deref(),
            Card::LiveChat(c) => c.id.as_deref(),
            Card::Meeting(c) => c.id.as_deref(),
            Card::Goto(c) => c.id.as_deref(),
            Card::End(c) => c.id.as_deref(),
            Card::Goal(c) => c.id.as_deref(),
        }
    }

    /// The card's `type` as written in the file.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Card::Message(_) => "message",
            Card::Question(_) => "question",
            Card::InfoCapture(_) => "info_capture",
            Card::Branch(_) => "branch",
            Card::LiveChat(_) => "live_chat",
            Card::Meeting(_) => "meeting",
            Card::Goto(_) => "goto",
            Card::End(_) => "end",
            Card::Goal(_) => "goal",
        }
    }

    /// The nested lists of cards this card opens.
    pub fn lists(&self) -> Vec<(List, &[Card])> {
        match self {
            Card::Question(q) => {
                let answers = q
                    .answers
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (List::Answer(i), &a.then[..]));
                answers
                    .chain(q.free_text.iter().map(|f| (List::FreeText, &f.then[..])))
                    .collect()
            }
            Card::Branch(b) => vec![(List::Then, &b.then[..]), (List::Else, &b.otherwise[..])],
            _ => Vec::new(),
        }
    }

    pub fn list(&self, list: List) -> Option<&[Card]> {
        self.lists()
            .into_iter()
            .find(|(l, _)| *l == list)
            .map(|(_, cards)| cards)
    }

    pub(crate) fn check(&self, at: &str, c: &mut Checker) {
        match self {
            Card::Message(card) => card.check(at, c),
            Card::Question(card) => card.check(at, c),
            Card::InfoCapture(card) => card.check(at, c),
            Card::Branch(card) => card.check(at, c),
            Card::LiveChat(card) => card.check(at, c),
            Card::Meeting(card) => card.check(at, c),
            Card::Goto(card) => card.check(at, c),
            Card::End(card) => card.check(at, c),
            Card::Goal(card) => card.check(at, c),
        }
    }
}
