//! Business hours per team (docs/inbox.md, "Business hours"): a time zone, weekly
//! hours and holidays (an availability, `crates/scheduling`). What they decide, as pure
//! functions of the stored hours, the agents and the time: which teams are closed now
//! (routing sends them no chat) and which can take one (the `team_available`
//! condition, and the widget's reply-time line).

pub mod routes;
pub mod store;

use crate::db::Candidate;
use chinwag_protocol::AgentStatus;
use chinwag_scheduling::Availability;
use std::collections::BTreeSet;

/// The teams with hours, as stored (a team without is always open).
pub type TeamHours = Vec<(String, Option<Availability>)>;

/// Teams outside their hours at `at` (Unix seconds).
pub fn closed(hours: &TeamHours, at: i64) -> BTreeSet<String> {
    hours
        .iter()
        .filter(|(_, h)| h.as_ref().is_some_and(|h| !h.open_at(at)))
        .map(|(team, _)| team.clone())
        .collect()
}

/// Teams someone can answer for at `at`: within their hours, with a member available
/// (capacity aside: a full team's chat waits in its queue, and is answered).
pub fn available(hours: &TeamHours, agents: &[Candidate], at: i64) -> BTreeSet<String> {
    let closed = closed(hours, at);
    hours
        .iter()
        .map(|(team, _)| team)
        .filter(|team| !closed.contains(*team))
        .filter(|team| {
            agents
                .iter()
                .any(|a| a.status == AgentStatus::Available && a.teams.contains(*team))
        })
        .cloned()
        .collect()
}

/// Whether `team` is within its hours at `at`; `None` when it has none (or is unknown):
/// the widget then shows no reply-time line.
pub fn within(hours: &TeamHours, team: &str, at: i64) -> Option<bool> {
    hours
        .iter()
        .find(|(t, _)| t == team)
        .and_then(|(_, h)| h.as_ref())
        .map(|h| h.open_at(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(id: &str, status: AgentStatus, teams: &[&str]) -> Candidate {
        Candidate {
            id: id.into(),
            status,
            teams: teams.iter().map(|t| t.to_string()).collect(),
            open_chats: 0,
            max_chats: 5,
        }
    }

    #[test]
    fn a_team_is_available_within_its_hours_with_someone_there() {
        let nine_to_five: Availability =
            serde_json::from_str(r#"{"time_zone":"UTC","weekly":{"mon":[{"start":"09:00","end":"17:00"}]}}"#)
                .unwrap();
        let hours: TeamHours = vec![
            ("sales".into(), Some(nine_to_five)),
            ("billing".into(), None),
            ("empty".into(), None),
        ];
        // Monday 2026-12-07 10:00 and 18:00 UTC.
        let (ten, six) = (1_796_637_600, 1_796_666_400);
        let agents = [
            agent("ana", AgentStatus::Available, &["sales"]),
            agent("ben", AgentStatus::Away, &["billing"]),
        ];
        assert_eq!(closed(&hours, ten), BTreeSet::new());
        assert_eq!(closed(&hours, six), BTreeSet::from(["sales".to_string()]));
        assert_eq!(
            available(&hours, &agents, ten),
            BTreeSet::from(["sales".to_string()])
        );
        assert!(
            available(&hours, &agents, six).is_empty(),
            "sales closed, billing away"
        );
        assert_eq!(within(&hours, "sales", ten), Some(true));
        assert_eq!(within(&hours, "sales", six), Some(false));
        assert_eq!(within(&hours, "billing", six), None, "no hours: no line");
    }
}
