//! What a run did, for the metrics (docs/metrics.md): one ordered list the widget
//! reports as it grows, with the times passed in.

/// One thing that happened in a run.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Mark {
    pub kind: MarkKind,
    /// The card's path (`stream[1].answers[0].then[2]`) for `reached`, `answered` and
    /// `goal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<String>,
    pub at: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    /// The dialogue started (first in every run).
    Triggered,
    /// The stream came to a card: shown, or passed through (branch, goto, goal).
    Reached,
    /// The visitor answered the card they were at.
    Answered,
    /// The visitor answered for the first time.
    Engaged,
    /// The visitor gave an email address.
    Lead,
    /// A goal card was passed (once per goal card per run).
    Goal,
    /// An end card, the end of the stream, or a live chat was reached.
    Completed,
    /// The visitor dismissed the dialogue.
    Closed,
}

impl MarkKind {
    pub const ALL: [MarkKind; 8] = [
        MarkKind::Triggered,
        MarkKind::Reached,
        MarkKind::Answered,
        MarkKind::Engaged,
        MarkKind::Lead,
        MarkKind::Goal,
        MarkKind::Completed,
        MarkKind::Closed,
    ];

    /// Its name on the wire and in the database.
    pub fn name(self) -> &'static str {
        match self {
            MarkKind::Triggered => "triggered",
            MarkKind::Reached => "reached",
            MarkKind::Answered => "answered",
            MarkKind::Engaged => "engaged",
            MarkKind::Lead => "lead",
            MarkKind::Goal => "goal",
            MarkKind::Completed => "completed",
            MarkKind::Closed => "closed",
        }
    }

    pub fn from_name(name: &str) -> Option<MarkKind> {
        MarkKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether a mark of this kind names a card.
    pub fn has_card(self) -> bool {
        matches!(self, MarkKind::Reached | MarkKind::Answered | MarkKind::Goal)
    }
}

/// What a run's marks so far allow next. The server keeps one per run and checks every
/// reported mark with [`Run::take`]: the widget's engine only ever makes marks that
/// pass (a property test says so), so a refused mark is a forged or broken report.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Run {
    /// Marks taken.
    pub count: u32,
    /// The last mark's time.
    pub at: u64,
    /// The card the stream came to last, until it is answered, and when.
    pub waiting: Option<String>,
    #[serde(default)]
    pub since: u64,
    /// The once-per-run kinds seen, and the goal cards passed.
    pub seen: Vec<String>,
}

/// Why a mark cannot come next.
pub type MarkProblem = String;

impl Run {
    /// Takes `mark` as the run's next, or says why it cannot be. For an answer, gives
    /// the time it took (ms since the card was reached).
    pub fn take(&mut self, dialogue: &crate::ValidDialogue, mark: &Mark) -> Result<Option<u64>, MarkProblem> {
        use crate::Card;
        let kind = mark.kind;
        let first = self.count == 0;
        if first != (kind == MarkKind::Triggered) {
            return Err("a run starts with triggered, and only once".into());
        }
        if mark.at < self.at {
            return Err("marks come in the order they happened".into());
        }
        if self.has("completed") && kind != MarkKind::Closed {
            return Err(format!("{} after completed", kind.name()));
        }
        let card = match (&mark.card, kind.has_card()) {
            (Some(path), true) => {
                let card =
                    card_at(dialogue, path).ok_or_else(|| format!("no card {path} in this version"))?;
                Some((path.as_str(), card))
            }
            (None, false) => None,
            (Some(_), false) => return Err(format!("{} names no card", kind.name())),
            (None, true) => return Err(format!("{} needs a card", kind.name())),
        };
        let mut took = None;
        match (kind, card) {
            (MarkKind::Reached, Some((path, card))) => {
                let waits = matches!(
                    card,
                    Card::Question(_) | Card::InfoCapture(_) | Card::Meeting(_) | Card::LiveChat(_)
                );
                self.waiting = waits.then(|| path.to_owned());
                self.since = mark.at;
            }
            (MarkKind::Answered, Some((path, card))) => {
                let answerable = matches!(card, Card::Question(_) | Card::InfoCapture(_) | Card::Meeting(_));
                if !answerable || self.waiting.as_deref() != Some(path) {
                    return Err(format!(
                        "answered {path}, which is not the card the visitor is at"
                    ));
                }
                self.waiting = None;
                self.seen.push("answered".into());
                took = Some(mark.at - self.since);
            }
            (MarkKind::Goal, Some((path, card))) => {
                let key = format!("goal {path}");
                if !matches!(card, Card::Goal(_)) || self.has(&key) {
                    return Err(format!("{path} is not a goal card not yet passed"));
                }
                self.seen.push(key);
            }
            (MarkKind::Engaged | MarkKind::Lead, None) if !self.has("answered") => {
                return Err(format!("{} before any answer", kind.name()));
            }
            (_, None) if kind != MarkKind::Triggered => {
                if self.has(kind.name()) {
                    return Err(format!("{} twice", kind.name()));
                }
                self.seen.push(kind.name().into());
            }
            _ => {}
        }
        self.count += 1;
        self.at = mark.at;
        Ok(took)
    }

    fn has(&self, key: &str) -> bool {
        self.seen.iter().any(|s| s == key)
    }
}

/// The card at a path written as [`CardPath`] displays it.
pub fn card_at<'d>(dialogue: &'d crate::ValidDialogue, path: &str) -> Option<&'d crate::Card> {
    let mut found = None;
    crate::path::walk(&dialogue.stream, |at, card| {
        if found.is_none() && at.to_string() == path {
            found = Some(card);
        }
    });
    found
}
