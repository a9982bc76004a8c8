//! The stream engine: a pure, deterministic state machine over a valid dialogue.
//!
//! [`Stream::start`] shows cards until one needs the visitor; [`Stream::answer`]
//! takes the visitor's reply and moves on. Messages, branches and gotos pass
//! without input. Time is passed in. The state serialises, so a page reload
//! resumes where the visitor stopped, and no input can make it panic.

mod marks;
mod prompt;
mod transcript;

pub use marks::{card_at, Mark, MarkKind, MarkProblem, Run};
pub use prompt::{FieldPrompt, FreeTextPrompt, Prompt};
pub use transcript::{Entry, Event, EventKind, ImageView, LinkView, Speaker};

use crate::cards::{Card, Field, InfoCapture, Question};
use crate::context::VisitorContext;
use crate::fields::{self, FieldProblem};
use crate::path::{CardPath, List};
use crate::text::Text;
use crate::validate::ValidDialogue;
use std::collections::BTreeMap;

/// Cards passed without input in one move before the engine gives up. Validation
/// rejects loops without input; this guard keeps a bad restore from spinning.
const MAX_SILENT_STEPS: usize = 10_000;

/// One visitor's run through one dialogue.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Stream {
    pub dialogue_id: String,
    pub visitor: VisitorContext,
    /// Attributes the visitor gave during this stream.
    pub captured: BTreeMap<String, String>,
    /// The card waiting for the visitor; `None` once the stream ended.
    position: Option<CardPath>,
    pub transcript: Vec<Entry>,
    pub events: Vec<Event>,
    /// What happened, for the metrics: only ever grows (see `marks.rs`).
    #[serde(default)]
    pub marks: Vec<Mark>,
    journal: Journal,
}

/// What it takes to rebuild a stream: how it started and every step the visitor took.
/// The engine is deterministic, so [`Stream::replay`] gives back the same stream; a
/// journal is much smaller to store (and to deserialise) than the stream itself.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Journal {
    pub dialogue_id: String,
    pub visitor: VisitorContext,
    pub started_at: u64,
    pub steps: Vec<Step>,
}

/// One thing the visitor did, with its time.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Answered(u64, Answer),
    Closed(u64),
    /// The host page identified the visitor after their first answer.
    Identified(u64, BTreeMap<String, String>),
}

/// Where the stream stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// A card waits for the visitor's answer.
    Waiting,
    /// The visitor reached live chat; the bot part is over.
    LiveChat,
    Ended,
}

/// The visitor's reply to the current card.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// An answer button, by index.
    Choice(usize),
    /// A typed answer to a question with `free_text`.
    Text(String),
    /// Info-capture values by attribute.
    Fields(BTreeMap<String, String>),
    /// Move past a card that offers something optional (a meeting).
    Continue,
}

/// Why an answer was refused; the stream is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnswerError {
    /// Nothing waits for an answer (ended, or live chat).
    NotWaiting,
    /// This kind of answer does not fit the current card.
    WrongKind,
    NoSuchAnswer,
    EmptyText,
    TooLong,
    /// Info-capture values refused, by attribute, in field order.
    Fields(Vec<(String, FieldProblem)>),
}

impl Stream {
    /// Starts the dialogue for a visitor and shows cards until one needs input.
    pub fn start(dialogue: &ValidDialogue, visitor: VisitorContext, now: u64) -> Stream {
        let journal = Journal {
            dialogue_id: dialogue.id.clone(),
            visitor: visitor.clone(),
            started_at: now,
            steps: Vec::new(),
        };
        let mut stream = Stream {
            dialogue_id: dialogue.id.clone(),
            visitor,
            captured: BTreeMap::new(),
            position: Some(CardPath::root(0)),
            transcript: Vec::new(),
            events: Vec::new(),
            marks: Vec::new(),
            journal,
        };
        stream.record(EventKind::Triggered, now);
        stream.advance(dialogue, now);
        stream
    }

    /// Checks that a saved stream belongs to this dialogue and points at a card
    /// that waits for the visitor; `None` means start afresh (the dialogue changed).
    pub fn restore(saved: Stream, dialogue: &ValidDialogue) -> Option<Stream> {
        let fits = saved.dialogue_id == dialogue.id
            && match &saved.position {
                None => true,
                Some(path) => matches!(
                    path.card(&dialogue.stream),
                    Some(Card::Question(_) | Card::InfoCapture(_) | Card::LiveChat(_) | Card::Meeting(_))
                ),
            };
        fits.then_some(saved)
    }

    /// Rebuilds a stream from its journal; `None` when the journal does not fit this
    /// dialogue any more (another dialogue, or an answer the changed dialogue refuses).
    pub fn replay(dialogue: &ValidDialogue, journal: Journal) -> Option<Stream> {
        if journal.dialogue_id != dialogue.id {
            return None;
        }
        let mut stream = Stream::start(dialogue, journal.visitor, journal.started_at);
        for step in journal.steps {
            match step {
                Step::Answered(at, answer) => stream.answer(dialogue, answer, at).ok()?,
                Step::Closed(at) => stream.close(at),
                Step::Identified(at, attributes) => {
                    stream.identify(dialogue, attributes, at);
                }
            }
        }
        Some(stream)
    }

    /// Everything needed to [`replay`](Stream::replay) this stream.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn status(&self, dialogue: &ValidDialogue) -> Status {
        match self.current(dialogue) {
            None => Status::Ended,
            Some(Card::LiveChat(_)) => Status::LiveChat,
            Some(_) => Status::Waiting,
        }
    }

    /// The current card's path, for previews and diagnostics.
    pub fn position(&self) -> Option<&CardPath> {
        self.position.as_ref()
    }

    /// Takes the visitor's answer, records it, and shows cards until the next one
    /// that needs input. On error nothing changes.
    pub fn answer(&mut self, dialogue: &ValidDialogue, answer: Answer, now: u64) -> Result<(), AnswerError> {
        let (Some(path), Some(card)) = (self.position.clone(), self.current(dialogue)) else {
            return Err(AnswerError::NotWaiting);
        };
        let here = path.to_string();
        let step = Step::Answered(now, answer.clone());
        let next = match (card, answer) {
            (Card::LiveChat(_), _) => return Err(AnswerError::NotWaiting),
            (Card::Question(q), Answer::Choice(i)) => {
                let option = q.answers.get(i).ok_or(AnswerError::NoSuchAnswer)?;
                let label = self.resolve(dialogue, &option.label);
                self.mark(MarkKind::Answered, Some(&path), now);
                self.say_visitor(here, label, now);
                enter(dialogue, &path, List::Answer(i))
            }
            (Card::Question(q), Answer::Text(text)) => {
                let free = q.free_text.as_ref().ok_or(AnswerError::WrongKind)?;
                let text = text.trim();
                if text.is_empty() {
                    return Err(AnswerError::EmptyText);
                }
                if text.chars().count() > fields::MAX_LEN {
                    return Err(AnswerError::TooLong);
                }
                // Said, then captured: the page hears the answer before what it caused.
                self.mark(MarkKind::Answered, Some(&path), now);
                self.say_visitor(here, text.to_owned(), now);
                self.capture(&free.attribute, text, now);
                enter(dialogue, &path, List::FreeText)
            }
            (Card::InfoCapture(ic), Answer::Fields(values)) => {
                let accepted = self.check_fields(ic, &values)?;
                let said: Vec<String> = accepted.iter().map(|(_, v)| v.clone()).collect();
                self.mark(MarkKind::Answered, Some(&path), now);
                self.say_visitor(here, said.join(" · "), now);
                for (attribute, value) in &accepted {
                    self.capture(attribute, value, now);
                }
                path.next(&dialogue.stream)
            }
            (Card::Meeting(_), Answer::Continue) => {
                self.mark(MarkKind::Answered, Some(&path), now);
                path.next(&dialogue.stream)
            }
            _ => return Err(AnswerError::WrongKind),
        };
        self.record(EventKind::Engaged, now);
        self.journal.steps.push(step);
        self.position = next;
        self.advance(dialogue, now);
        Ok(())
    }

    /// The visitor dismissed the dialogue. Recorded once; the visitor may reopen
    /// and carry on.
    pub fn close(&mut self, now: u64) {
        if self.record(EventKind::Closed, now) {
            self.journal.steps.push(Step::Closed(now));
        }
    }

    /// The host page told us who the visitor is (`identify`, `setAttributes`). Before
    /// the visitor's first answer the dialogue runs again from the start with them, so
    /// its opening branches see who the visitor is; after it they count from the next
    /// card on. Returns whether the transcript was rebuilt.
    pub fn identify(
        &mut self,
        dialogue: &ValidDialogue,
        attributes: BTreeMap<String, String>,
        now: u64,
    ) -> bool {
        if !self.has_event(EventKind::Engaged) {
            let mut journal = self.journal.clone();
            journal.visitor.attributes.extend(attributes);
            if let Some(again) = Stream::replay(dialogue, journal) {
                *self = again;
            }
            return true;
        }
        self.visitor.attributes.extend(attributes.clone());
        self.journal.steps.push(Step::Identified(now, attributes));
        false
    }

    pub fn has_event(&self, kind: EventKind) -> bool {
        self.events.iter().any(|e| e.kind == kind)
    }

    fn current<'d>(&self, dialogue: &'d ValidDialogue) -> Option<&'d Card> {
        self.position.as_ref()?.card(&dialogue.stream)
    }

    fn resolve(&self, dialogue: &ValidDialogue, text: &Text) -> String {
        text.resolve(&self.visitor.locale, &dialogue.default_locale)
            .to_owned()
    }

    /// Fields of an info-capture card still to ask.
    fn pending_fields<'c>(&self, card: &'c InfoCapture) -> impl Iterator<Item = &'c Field> + use<'c, '_> {
        card.fields
            .iter()
            .filter(|f| !(f.skip_if_known && self.visitor.is_known(f.attribute())))
    }

    fn check_fields(
        &self,
        card: &InfoCapture,
        values: &BTreeMap<String, String>,
    ) -> Result<Vec<(String, String)>, AnswerError> {
        let mut accepted = Vec::new();
        let mut refused = Vec::new();
        for field in self.pending_fields(card) {
            let raw = values.get(field.attribute()).map_or("", String::as_str);
            match fields::check(field.kind, field.required, raw) {
                Ok(Some(value)) => accepted.push((field.attribute().to_owned(), value)),
                Ok(None) => {}
                Err(problem) => refused.push((field.attribute().to_owned(), problem)),
            }
        }
        match refused.is_empty() {
            true => Ok(accepted),
            false => Err(AnswerError::Fields(refused)),
        }
    }

    fn capture(&mut self, attribute: &str, value: &str, now: u64) {
        self.visitor
            .attributes
            .insert(attribute.to_owned(), value.to_owned());
        self.captured.insert(attribute.to_owned(), value.to_owned());
        if attribute == "email" {
            self.record(EventKind::LeadCaptured, now);
        }
    }

    fn say_visitor(&mut self, card: String, text: String, at: u64) {
        self.transcript.push(Entry {
            at,
            speaker: Speaker::Visitor,
            card,
            text,
            image: None,
            button: None,
        });
    }

    fn say_bot(&mut self, dialogue: &ValidDialogue, card: &CardPath, text: &Text, at: u64) {
        let text = self.resolve(dialogue, text);
        self.transcript.push(Entry {
            at,
            speaker: Speaker::Bot,
            card: card.to_string(),
            text,
            image: None,
            button: None,
        });
    }

    /// Shows cards that need no input until one does, or the stream ends.
    fn advance(&mut self, dialogue: &ValidDialogue, now: u64) {
        for _ in 0..MAX_SILENT_STEPS {
            let Some(path) = self.position.clone() else { break };
            let Some(card) = path.card(&dialogue.stream) else {
                break;
            };
            let stream = &dialogue.stream;
            self.mark(MarkKind::Reached, Some(&path), now);
            self.position = match card {
                Card::Message(m) => {
                    self.say_bot(dialogue, &path, &m.text, now);
                    let entry = self.transcript.last_mut().expect("just pushed");
                    entry.image = m.image.as_ref().map(|i| ImageView {
                        url: i.url.clone(),
                        alt: i
                            .alt
                            .resolve(&self.visitor.locale, &dialogue.default_locale)
                            .to_owned(),
                    });
                    entry.button = m.button.as_ref().map(|b| LinkView {
                        label: b
                            .label
                            .resolve(&self.visitor.locale, &dialogue.default_locale)
                            .to_owned(),
                        url: b.url.clone(),
                    });
                    path.next(stream)
                }
                Card::Branch(b) => {
                    let list = if b.when.holds(&self.visitor) {
                        List::Then
                    } else {
                        List::Else
                    };
                    enter(dialogue, &path, list)
                }
                Card::Goto(g) => dialogue.find(&g.to).cloned(),
                Card::Goal(_) => {
                    let card = path.to_string();
                    let again = self
                        .marks
                        .iter()
                        .any(|m| m.kind == MarkKind::Goal && m.card.as_ref() == Some(&card));
                    if !again {
                        self.mark(MarkKind::Goal, Some(&path), now);
                    }
                    path.next(stream)
                }
                Card::End(e) => {
                    if let Some(text) = &e.text {
                        self.say_bot(dialogue, &path, text, now);
                    }
                    None
                }
                Card::InfoCapture(ic) if self.pending_fields(ic).next().is_none() => path.next(stream),
                Card::Question(Question { text, .. }) => {
                    return self.wait_at(dialogue, &path, Some(text), now)
                }
                Card::InfoCapture(ic) => return self.wait_at(dialogue, &path, ic.text.as_ref(), now),
                Card::Meeting(m) => return self.wait_at(dialogue, &path, m.text.as_ref(), now),
                Card::LiveChat(lc) => {
                    self.wait_at(dialogue, &path, lc.text.as_ref(), now);
                    return self.complete(now);
                }
            };
        }
        self.position = None;
        self.complete(now);
    }

    fn wait_at(&mut self, dialogue: &ValidDialogue, path: &CardPath, text: Option<&Text>, now: u64) {
        if let Some(text) = text {
            self.say_bot(dialogue, path, text, now);
        }
    }

    fn complete(&mut self, now: u64) {
        self.record(EventKind::Completed, now);
    }

    /// Records an event once; whether it is new. It remembers how many transcript
    /// lines came before it, so the widget tells lines and events in one order.
    fn record(&mut self, kind: EventKind, now: u64) -> bool {
        let new = !self.has_event(kind);
        if new {
            self.events.push(Event {
                kind,
                at: now,
                after: self.transcript.len(),
            });
            let mark = match kind {
                EventKind::Triggered => MarkKind::Triggered,
                EventKind::Engaged => MarkKind::Engaged,
                EventKind::LeadCaptured => MarkKind::Lead,
                EventKind::Completed => MarkKind::Completed,
                EventKind::Closed => MarkKind::Closed,
            };
            self.mark(mark, None, now);
        }
        new
    }

    fn mark(&mut self, kind: MarkKind, card: Option<&CardPath>, at: u64) {
        self.marks.push(Mark {
            kind,
            card: card.map(ToString::to_string),
            at,
        });
    }
}

/// The first card of `list` under `path`, or the card after `path` if that list is empty.
fn enter(dialogue: &ValidDialogue, path: &CardPath, list: List) -> Option<CardPath> {
    let child = path.child(list);
    match child.card(&dialogue.stream) {
        Some(_) => Some(child),
        None => path.next(&dialogue.stream),
    }
}
