//! Team reports (docs/reports.md, where every figure is defined once): per period, per
//! agent and per team, conversations, first response and resolution times (median and
//! 90th percentile), ratings and missed chats. A pure function of the conversations
//! and their stored events (`store.rs` reads them); the routes answer JSON and CSV.

pub mod routes;
pub mod store;

use serde::Serialize;
use std::collections::BTreeMap;

/// What a conversation's events say, for reports.
#[derive(Clone, Debug, PartialEq)]
pub enum Seen {
    Assigned(String),
    Unassigned,
    /// An agent's message (to the visitor; notes are not answers).
    AgentMessage,
    Closed,
    Reopened,
}

/// A conversation as reports read it.
#[derive(Clone, Debug, Default)]
pub struct Conversation {
    /// When it was handed over (milliseconds since the Unix epoch).
    pub created_at: u64,
    /// The team its live-chat card routed to, when a team card did.
    pub team: Option<String>,
    /// The visitor's rating, 1 to 5.
    pub rating: Option<u8>,
    /// Its events in order, with their times.
    pub events: Vec<(u64, Seen)>,
}

/// Times in seconds: how many, the median and the 90th percentile (nearest rank).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Spread {
    pub count: usize,
    pub median_s: Option<f64>,
    pub p90_s: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Ratings {
    pub count: usize,
    pub average: Option<f64>,
    /// How many of each score, 1 to 5.
    pub scores: [usize; 5],
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    pub conversations: usize,
    /// Answered by an agent at least once.
    pub answered: usize,
    /// Never answered by an agent.
    pub missed: usize,
    pub first_response: Spread,
    pub resolution: Spread,
    pub ratings: Ratings,
}

/// One agent's or team's figures (`id` empty: none, such as chats nobody was assigned
/// or no team card routed).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub stats: Stats,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Day {
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    pub conversations: usize,
    pub missed: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub overall: Stats,
    pub agents: Vec<Group>,
    pub teams: Vec<Group>,
    pub days: Vec<Day>,
}

/// What one conversation adds to a group.
struct Counted {
    /// The agent it counts for: who first answered, else who had it last.
    agent: Option<String>,
    first_response_ms: Option<u64>,
    resolution_ms: Option<u64>,
}

fn count(c: &Conversation) -> Counted {
    let mut assignee: Option<String> = None;
    // The first answer: when, and who had the chat then.
    let mut first: Option<(u64, Option<String>)> = None;
    let mut closed_at: Option<u64> = None;
    for (at, seen) in &c.events {
        match seen {
            Seen::Assigned(agent) => assignee = Some(agent.clone()),
            // A chat given back to nobody still counts for whoever had it last.
            Seen::Unassigned => {}
            Seen::AgentMessage if first.is_none() => first = Some((*at, assignee.clone())),
            Seen::AgentMessage => {}
            Seen::Closed => closed_at = Some(*at),
            Seen::Reopened => closed_at = None,
        }
    }
    let since = |at: u64| at.saturating_sub(c.created_at);
    Counted {
        agent: first
            .as_ref()
            .map_or(assignee.clone(), |(_, who)| who.clone().or(assignee)),
        first_response_ms: first.map(|(at, _)| since(at)),
        resolution_ms: closed_at.map(since),
    }
}

/// The value at `share` (0.5, 0.9) of sorted `values`, by nearest rank.
fn rank(sorted: &[f64], share: f64) -> Option<f64> {
    let n = sorted.len();
    (n > 0).then(|| sorted[((share * n as f64).ceil() as usize).clamp(1, n) - 1])
}

fn spread(mut seconds: Vec<f64>) -> Spread {
    seconds.sort_by(f64::total_cmp);
    Spread {
        count: seconds.len(),
        median_s: rank(&seconds, 0.5),
        p90_s: rank(&seconds, 0.9),
    }
}

fn stats<'a>(items: impl Iterator<Item = (&'a Conversation, &'a Counted)>) -> Stats {
    let (mut s, mut first, mut resolution) = (Stats::default(), Vec::new(), Vec::new());
    let mut total = 0;
    for (c, counted) in items {
        s.conversations += 1;
        match counted.first_response_ms {
            Some(ms) => {
                s.answered += 1;
                first.push(ms as f64 / 1000.0);
            }
            None => s.missed += 1,
        }
        if let Some(ms) = counted.resolution_ms {
            resolution.push(ms as f64 / 1000.0);
        }
        if let Some(score) = c.rating.filter(|s| (1..=5).contains(s)) {
            s.ratings.count += 1;
            s.ratings.scores[usize::from(score) - 1] += 1;
            total += usize::from(score);
        }
    }
    s.ratings.average = (s.ratings.count > 0).then(|| total as f64 / s.ratings.count as f64);
    s.first_response = spread(first);
    s.resolution = spread(resolution);
    s
}

/// The report over `conversations` (those handed over in the period); `agents` and
/// `teams` name the ids (an id no longer known shows as itself).
pub fn report(
    conversations: &[Conversation],
    agents: &BTreeMap<String, String>,
    teams: &BTreeMap<String, String>,
) -> Report {
    let counted: Vec<Counted> = conversations.iter().map(count).collect();
    let all = || conversations.iter().zip(&counted);
    let groups = |key: &dyn Fn(&Conversation, &Counted) -> Option<String>,
                  names: &BTreeMap<String, String>,
                  none: &str| {
        let mut ids: Vec<Option<String>> = all().map(|(c, n)| key(c, n)).collect();
        ids.sort();
        ids.dedup();
        ids.into_iter()
            .map(|id| Group {
                name: id.as_ref().map_or(none.to_owned(), |id| {
                    names.get(id).cloned().unwrap_or_else(|| id.clone())
                }),
                stats: stats(all().filter(|(c, n)| key(c, n) == id)),
                id: id.unwrap_or_default(),
            })
            .collect::<Vec<_>>()
    };
    let mut days: BTreeMap<String, Day> = BTreeMap::new();
    for (c, n) in all() {
        let day = jiff::Timestamp::from_millisecond(c.created_at as i64)
            .map(|t| t.strftime("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let entry = days.entry(day.clone()).or_insert(Day {
            day,
            conversations: 0,
            missed: 0,
        });
        entry.conversations += 1;
        entry.missed += usize::from(n.first_response_ms.is_none());
    }
    Report {
        overall: stats(all()),
        agents: groups(&|_, n| n.agent.clone(), agents, "Nobody (never assigned)"),
        teams: groups(&|c, _| c.team.clone(), teams, "No team (not a team card)"),
        days: days.into_values().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: u64 = 60_000;

    fn chat(team: Option<&str>, rating: Option<u8>, events: Vec<(u64, Seen)>) -> Conversation {
        Conversation {
            created_at: 0,
            team: team.map(str::to_owned),
            rating,
            events,
        }
    }

    #[test]
    fn first_response_resolution_ratings_and_missed_chats_per_agent_and_team() {
        let ana = || Seen::Assigned("ana".into());
        let chats = vec![
            // Ana answers after 1 minute, closes after 10; rated 5.
            chat(
                Some("sales"),
                Some(5),
                vec![(0, ana()), (MIN, Seen::AgentMessage), (10 * MIN, Seen::Closed)],
            ),
            // Ana answers after 3 minutes; closed, reopened by the visitor, closed
            // again at 30: resolved at the last close. Rated 2.
            chat(
                Some("sales"),
                Some(2),
                vec![
                    (0, ana()),
                    (3 * MIN, Seen::AgentMessage),
                    (5 * MIN, Seen::AgentMessage),
                    (6 * MIN, Seen::Closed),
                    (20 * MIN, Seen::Reopened),
                    (30 * MIN, Seen::Closed),
                ],
            ),
            // Assigned to Ben, given back to nobody, never answered: missed, and his.
            chat(
                None,
                None,
                vec![
                    (0, Seen::Assigned("ben".into())),
                    (MIN, Seen::Unassigned),
                    (2 * MIN, Seen::Closed),
                ],
            ),
            // Nobody available: missed, no agent; closed then reopened: unresolved.
            chat(
                None,
                None,
                vec![
                    (0, Seen::Unassigned),
                    (MIN, Seen::Closed),
                    (2 * MIN, Seen::Reopened),
                ],
            ),
            // Transferred before the first answer: Ben answered, it counts for Ben.
            chat(
                Some("sales"),
                None,
                vec![
                    (0, ana()),
                    (MIN, Seen::Assigned("ben".into())),
                    (4 * MIN, Seen::AgentMessage),
                ],
            ),
        ];
        let names = BTreeMap::from([("ana".to_string(), "Ana Admin".to_string())]);
        let r = report(&chats, &names, &BTreeMap::new());
        let o = &r.overall;
        assert_eq!((o.conversations, o.answered, o.missed), (5, 3, 2));
        // First responses 1, 3, 4 minutes: median 3, p90 4 (nearest rank).
        assert_eq!(
            o.first_response,
            Spread {
                count: 3,
                median_s: Some(180.0),
                p90_s: Some(240.0)
            }
        );
        // Resolved: 10, 30 (the last close) and 2 minutes; the reopened one is not.
        assert_eq!(o.resolution.count, 3);
        assert_eq!(o.resolution.median_s, Some(600.0));
        assert_eq!(
            o.ratings,
            Ratings {
                count: 2,
                average: Some(3.5),
                scores: [0, 1, 0, 0, 1]
            }
        );

        let agent = |id: &str| r.agents.iter().find(|g| g.id == id).unwrap();
        assert_eq!(agent("ana").name, "Ana Admin");
        assert_eq!(agent("ana").stats.answered, 2);
        assert_eq!(agent("ben").name, "ben", "an unknown id shows as itself");
        assert_eq!((agent("ben").stats.answered, agent("ben").stats.missed), (1, 1));
        assert_eq!(agent("").stats.missed, 1, "missed with nobody assigned");
        let sales = r.teams.iter().find(|g| g.id == "sales").unwrap();
        assert_eq!(sales.stats.conversations, 3);
        assert_eq!(
            r.days,
            [Day {
                day: "1970-01-01".into(),
                conversations: 5,
                missed: 2
            }]
        );
    }

    #[test]
    fn percentiles_are_nearest_rank_and_empty_is_none() {
        assert_eq!(spread(vec![]), Spread::default());
        let s = spread((1..=10).map(f64::from).rev().collect());
        assert_eq!((s.median_s, s.p90_s), (Some(5.0), Some(9.0)));
        assert_eq!(spread(vec![7.0]).p90_s, Some(7.0));
    }
}
