//! The metrics of docs/metrics.md, computed from the daily counts (which outlive the
//! raw marks) and, for times to answer, from the raw marks still kept. Pure functions
//! of what the store returns.

use super::store::Count;
use chinwag_dialogue::engine::card_at;
use chinwag_dialogue::{Card, ValidDialogue};
use serde::Serialize;
use std::collections::BTreeMap;

/// A dialogue's headline numbers over a range (or one day of it).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    pub triggered: i64,
    pub engaged: i64,
    pub completed: i64,
    /// Emails captured from visitors the page had not identified by email.
    pub people_acquired: i64,
    pub meetings_booked: i64,
    /// Runs that reached a live-chat card.
    pub live_chats: i64,
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
#[derive(Clone, Debug, PartialEq, Serialize)]
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
    times: &[(String, i64)],
) -> Vec<Step> {
    let mut sums: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for c in counts
        .iter()
        .filter(|c| c.version == version && !c.card.is_empty())
    {
        *sums.entry((c.card.as_str(), c.kind.as_str())).or_default() += c.count;
    }
    let mut by_card: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for (card, ms) in times {
        by_card.entry(card).or_default().push((*ms).max(0) as u64);
    }
    let mut steps = Vec::new();
    chinwag_dialogue::path::walk(&dialogue.stream, |path, card| {
        let path = path.to_string();
        let get = |kind| sums.get(&(path.as_str(), kind)).copied().unwrap_or(0);
        let (reached, answered) = (get("reached"), get("answered"));
        let waits = matches!(card, Card::Question(_) | Card::InfoCapture(_) | Card::Meeting(_));
        let mut times = by_card.get(path.as_str()).cloned().unwrap_or_default();
        times.sort_unstable();
        steps.push(Step {
            kind: card.kind_name(),
            label: label(dialogue, card),
            reached,
            answered,
            left: if waits { (reached - answered).max(0) } else { 0 },
            goals: get("goal"),
            median_ms: quantile(&times, 0.5),
            p90_ms: quantile(&times, 0.9),
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

/// The nearest-rank quantile of sorted values.
pub fn quantile(sorted: &[u64], q: f64) -> Option<u64> {
    let n = sorted.len();
    (n > 0).then(|| sorted[((q * n as f64).ceil() as usize).clamp(1, n) - 1])
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
    fn quantiles_take_the_nearest_rank() {
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[7], 0.9), Some(7));
        let ten: Vec<u64> = (1..=10).collect();
        assert_eq!((quantile(&ten, 0.5), quantile(&ten, 0.9)), (Some(5), Some(9)));
    }

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
