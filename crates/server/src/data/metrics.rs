//! The metrics of docs/metrics.md, computed from the daily counts (which outlive the
//! raw marks) and, for times to answer, from the raw marks still kept. Pure functions
//! of what the store returns.

use super::histogram::{bucket_ms, quantile};
use super::store::Count;
use chinwag_dialogue::engine::card_at;
use chinwag_dialogue::{Card, ValidDialogue};
use serde::Serialize;
use std::collections::BTreeMap;

// The console's `GET /api/sites/{site}/dialogues/{id}/metrics` and the REST API's
// `GET /api/v1/dialogues/{id}/metrics` serialise this type, and the OpenAPI document
// describes it (schemars): the two cannot differ. tests/rest.rs checks an answer with
// counts in every part (days, goals, funnel steps with and without times) against it.
/// A dialogue's metrics over a range, the same numbers the console shows
/// (docs/metrics.md).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Metrics {
    /// The first day, YYYY-MM-DD.
    #[schemars(extend("format" = "date"))]
    pub from: String,
    /// The last day, YYYY-MM-DD.
    #[schemars(extend("format" = "date"))]
    pub to: String,
    pub totals: Totals,
    /// Each day with a count, oldest first.
    pub days: Vec<MetricsDay>,
    /// Goals reached, by name.
    pub goals: Vec<Goal>,
    /// The published versions with counts in the range, newest first.
    pub versions: Vec<i64>,
    /// The version the funnel shows (none without counts).
    pub version: Option<i64>,
    pub funnel: Vec<Step>,
}

/// One day's totals.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct MetricsDay {
    /// YYYY-MM-DD.
    #[schemars(extend("format" = "date"))]
    pub day: String,
    #[serde(flatten)]
    pub totals: Totals,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Goal {
    pub name: String,
    pub count: i64,
}

/// A dialogue's headline numbers over a range (or one day of it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Totals {
    /// Runs that started: the widget started the dialogue on the page and its launcher
    /// showed, whether or not the visitor opened the chat (openings are not counted).
    pub triggered: i64,
    /// Runs where the visitor answered at least one card.
    pub engaged: i64,
    /// Runs that reached an end card, the end of the stream, or live chat.
    pub completed: i64,
    /// Emails captured from visitors the page had not identified by email.
    pub people_acquired: i64,
    /// Meetings booked from this dialogue's meeting cards (0 when filtered by version,
    /// visitors or language: meetings do not record them).
    pub meetings_booked: i64,
    /// Runs that reached a live-chat card.
    pub live_chats: i64,
    /// Goal cards passed, once per goal card per run.
    pub goals_reached: i64,
    /// Engaged / triggered (none when nothing triggered).
    pub engagement_rate: Option<f64>,
    /// People acquired / engaged.
    pub conversion_rate: Option<f64>,
}

impl Totals {
    fn add(&mut self, count: &Count, live_chat_cards: &[(i64, String)]) {
        let n = count.count;
        match count.kind.as_str() {
            "triggered" => self.triggered += n,
            "engaged" => self.engaged += n,
            "completed" => self.completed += n,
            "lead" if !count.known => self.people_acquired += n,
            "goal" => self.goals_reached += n,
            "reached" if live_chat_cards.contains(&(count.version, count.card.clone())) => {
                self.live_chats += n
            }
            _ => {}
        }
    }

    fn rates(mut self) -> Totals {
        let ratio = |a: i64, b: i64| (b > 0).then(|| a as f64 / b as f64);
        self.engagement_rate = ratio(self.engaged, self.triggered);
        self.conversion_rate = ratio(self.people_acquired, self.engaged);
        self
    }
}

/// Adds up counts into totals, overall and per day. Leads in runs of identified
/// visitors are not new people. `live_chat_cards` are the (version, path) of live-chat
/// cards; `meetings` the days of meetings booked.
pub fn totals(
    counts: &[Count],
    live_chat_cards: &[(i64, String)],
    meetings: &[String],
) -> (Totals, BTreeMap<String, Totals>) {
    let mut all = Totals::default();
    let mut days: BTreeMap<String, Totals> = BTreeMap::new();
    for count in counts {
        all.add(count, live_chat_cards);
        days.entry(count.day.clone())
            .or_default()
            .add(count, live_chat_cards);
    }
    for day in meetings {
        all.meetings_booked += 1;
        days.entry(day.clone()).or_default().meetings_booked += 1;
    }
    let days = days.into_iter().map(|(d, t)| (d, t.rates())).collect();
    (all.rates(), days)
}

/// One card's line in the funnel of one version.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Step {
    pub card: String,
    pub kind: &'static str,
    /// What the card says first (in the dialogue's default language), or its goal's name.
    pub label: String,
    /// Arrivals: a card reached twice in one run (a loop) counts twice.
    pub reached: i64,
    /// Answers given here (cards that wait for the visitor).
    pub answered: i64,
    /// Arrivals not answered: the visitor went away here (or is still here). Cards that
    /// pass without input, live chat and the end leave nobody behind.
    pub left: i64,
    pub goals: i64,
    pub median_ms: Option<u64>,
    pub p90_ms: Option<u64>,
}

/// The funnel of one version: every card in reading order (each branch's cards under
/// their own paths, so a drop-off shows where it happened), with its counts and times.
pub fn funnel(
    dialogue: &ValidDialogue,
    version: i64,
    counts: &[Count],
    times: &[(String, i64, i64)],
) -> Vec<Step> {
    let mut sums: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for c in counts
        .iter()
        .filter(|c| c.version == version && !c.card.is_empty())
    {
        *sums.entry((c.card.as_str(), c.kind.as_str())).or_default() += c.count;
    }
    let mut by_card: BTreeMap<&str, Vec<(i64, i64)>> = BTreeMap::new();
    for (card, bucket, n) in times {
        by_card.entry(card).or_default().push((*bucket, *n));
    }
    let mut steps = Vec::new();
    chinwag_dialogue::path::walk(&dialogue.stream, |path, card| {
        let path = path.to_string();
        let get = |kind| sums.get(&(path.as_str(), kind)).copied().unwrap_or(0);
        let (reached, answered) = (get("reached"), get("answered"));
        let waits = matches!(card, Card::Question(_) | Card::InfoCapture(_) | Card::Meeting(_));
        let mut times = by_card.get(path.as_str()).cloned().unwrap_or_default();
        times.sort_unstable();
        let quantile = |q| quantile(&times, q).map(bucket_ms);
        steps.push(Step {
            kind: card.kind_name(),
            label: label(dialogue, card),
            reached,
            answered,
            left: if waits { (reached - answered).max(0) } else { 0 },
            goals: get("goal"),
            median_ms: quantile(0.5),
            p90_ms: quantile(0.9),
            card: path,
        });
    });
    steps
}

/// A card's first words, for people reading the funnel.
fn label(dialogue: &ValidDialogue, card: &Card) -> String {
    let text = match card {
        Card::Message(c) => Some(&c.text),
        Card::Question(c) => Some(&c.text),
        Card::InfoCapture(c) => c.text.as_ref(),
        Card::LiveChat(c) => c.text.as_ref(),
        Card::Meeting(c) => c.text.as_ref(),
        Card::End(c) => c.text.as_ref(),
        Card::Goal(g) => return g.name.clone(),
        Card::Goto(g) => return format!("→ {}", g.to),
        Card::Branch(_) => None,
    };
    text.map(|t| {
        t.resolve(&dialogue.default_locale, &dialogue.default_locale)
            .to_owned()
    })
    .unwrap_or_default()
}

/// The paths of a version's live-chat cards.
pub fn live_chat_cards(dialogue: &ValidDialogue) -> Vec<String> {
    let mut found = Vec::new();
    chinwag_dialogue::path::walk(&dialogue.stream, |path, card| {
        if matches!(card, Card::LiveChat(_)) {
            found.push(path.to_string());
        }
    });
    found
}

/// The goal name at a path, for the goals' list.
pub fn goal_name(dialogue: &ValidDialogue, path: &str) -> Option<String> {
    match card_at(dialogue, path)? {
        Card::Goal(g) => Some(g.name.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_divide_only_what_happened() {
        let count = |kind: &str, n| Count {
            dialogue: "d".into(),
            version: 1,
            day: "2026-11-28".into(),
            kind: kind.into(),
            card: String::new(),
            known: false,
            count: n,
        };
        let (all, days) = totals(
            &[count("triggered", 4), count("engaged", 2), count("lead", 1)],
            &[],
            &[],
        );
        assert_eq!((all.engagement_rate, all.conversion_rate), (Some(0.5), Some(0.5)));
        assert_eq!(days.len(), 1);
        let (none, _) = totals(&[], &[], &[]);
        assert_eq!((none.engagement_rate, none.conversion_rate), (None, None));
    }
}
