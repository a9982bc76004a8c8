//! Who gets a new conversation: a pure function of the card's route, the agents (their
//! status, and their open chats against their capacity), and the stored round-robin
//! positions. No I/O, so it is tested
//! exhaustively; the caller stores the position it returns.

use chinwag_dialogue::{Route, Target, VisitorContext};
use chinwag_protocol::AgentStatus;
use std::collections::{BTreeMap, BTreeSet};

/// An agent as routing sees them; the data layer reads them (`db::routing_agents`).
pub use crate::db::Candidate as Agent;

/// A round-robin pool: everyone, or one team. Its stored position is the agent who got
/// the pool's previous conversation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pool {
    Everyone,
    Team(String),
}

impl Pool {
    /// The key under which the position is stored.
    pub fn key(&self) -> String {
        match self {
            Pool::Everyone => "*".into(),
            Pool::Team(team) => format!("team:{team}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Give it to `agent`; when it came from a pool, store `agent` as its position.
    Assign { agent: String, pool: Option<Pool> },
    /// Show the fallback; the conversation waits unassigned in the inbox.
    Fallback(Why),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    NoRuleMatched,
    NobodyAvailable,
    /// Someone available could take it, but every one of them is at capacity: it waits
    /// in the queue.
    AtCapacity,
    /// The team is outside its business hours (docs/inbox.md, "Business hours").
    OutsideHours,
}

/// Decides who gets the conversation. `agents` may come in any order: round robin
/// walks them by id, a stable order.
/// `verified` is the visitor with only the attributes an identity token vouched for:
/// rules marked `verified` decide on it (pass it as `visitor` too when the site
/// requires verification for every rule).
pub fn route(
    route: &Route,
    visitor: &VisitorContext,
    verified: &VisitorContext,
    agents: &[Agent],
    positions: &BTreeMap<String, String>,
    closed: &BTreeSet<String>,
) -> Decision {
    let target = match route {
        Route::RoundRobin => return round_robin(Pool::Everyone, agents, positions),
        Route::Agent { agent } => Target::Agent(agent.clone()),
        Route::Team { team } => Target::Team(team.clone()),
        Route::Rules { rules } => match rules
            .iter()
            .find(|rule| rule.when.holds(if rule.verified { verified } else { visitor }))
        {
            Some(rule) => rule.to.clone(),
            None => return Decision::Fallback(Why::NoRuleMatched),
        },
    };
    match target {
        Target::Agent(id) => match agents
            .iter()
            .find(|a| a.id == id && a.status == AgentStatus::Available)
        {
            Some(a) if a.has_room() => Decision::Assign {
                agent: id,
                pool: None,
            },
            Some(_) => Decision::Fallback(Why::AtCapacity),
            None => Decision::Fallback(Why::NobodyAvailable),
        },
        Target::Team(team) if closed.contains(&team) => Decision::Fallback(Why::OutsideHours),
        Target::Team(team) => round_robin(Pool::Team(team), agents, positions),
    }
}

/// The pool's members in the order round robin tries them for its next conversation:
/// by id, starting after whoever got the previous one (what the console's routing
/// view shows, and what `round_robin` walks).
pub fn order<'a>(pool: &Pool, agents: &'a [Agent], positions: &BTreeMap<String, String>) -> Vec<&'a Agent> {
    let mut members: Vec<&Agent> = agents
        .iter()
        .filter(|a| match pool {
            Pool::Everyone => true,
            Pool::Team(team) => a.teams.contains(team),
        })
        .collect();
    members.sort_by(|a, b| a.id.cmp(&b.id));
    let previous = positions.get(&pool.key());
    let start = previous.map_or(0, |p| members.iter().position(|a| a.id > *p).unwrap_or(0));
    let len = members.len();
    members.rotate_left(start.min(len));
    members
}

/// The next available member with room; when every available member is at capacity,
/// the chat waits in the queue.
fn round_robin(pool: Pool, agents: &[Agent], positions: &BTreeMap<String, String>) -> Decision {
    let available: Vec<&Agent> = order(&pool, agents, positions)
        .into_iter()
        .filter(|a| a.status == AgentStatus::Available)
        .collect();
    match available.iter().find(|a| a.has_room()) {
        Some(agent) => Decision::Assign {
            agent: agent.id.clone(),
            pool: Some(pool),
        },
        None if available.is_empty() => Decision::Fallback(Why::NobodyAvailable),
        None => Decision::Fallback(Why::AtCapacity),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_starts_after_whoever_got_the_last_chat() {
        let agent = |id: &str, teams: &[&str]| Agent {
            id: id.into(),
            status: AgentStatus::Available,
            teams: teams.iter().map(|t| t.to_string()).collect(),
            open_chats: 0,
            max_chats: 5,
        };
        let agents = [
            agent("cy", &["sales"]),
            agent("ana", &[]),
            agent("ben", &["sales"]),
            agent("alice", &["sales"]),
        ];
        let ids = |pool: &Pool, positions: &BTreeMap<String, String>| -> Vec<String> {
            order(pool, &agents, positions)
                .iter()
                .map(|a| a.id.clone())
                .collect()
        };
        let after_ben = BTreeMap::from([
            ("*".to_string(), "ben".to_string()),
            ("team:sales".to_string(), "cy".to_string()),
        ]);
        assert_eq!(
            ids(&Pool::Everyone, &BTreeMap::new()),
            ["alice", "ana", "ben", "cy"]
        );
        assert_eq!(ids(&Pool::Everyone, &after_ben), ["cy", "alice", "ana", "ben"]);
        assert_eq!(
            ids(&Pool::Team("sales".into()), &after_ben),
            ["alice", "ben", "cy"],
            "after the last, from the start"
        );
    }
    use chinwag_dialogue::{Condition, Rule};
    use proptest::prelude::*;

    fn agent(id: &str, status: AgentStatus, teams: &[&str]) -> Agent {
        Agent {
            id: id.into(),
            status,
            teams: teams.iter().map(|t| t.to_string()).collect(),
            open_chats: 0,
            max_chats: 5,
        }
    }

    /// Runs `n` conversations through `route`, storing positions as the server does.
    fn assign_many(r: &Route, agents: &[Agent], n: usize) -> Vec<Decision> {
        let mut positions = BTreeMap::new();
        (0..n)
            .map(|_| {
                let d = route(
                    r,
                    &VisitorContext::default(),
                    &VisitorContext::default(),
                    agents,
                    &positions,
                    &BTreeSet::new(),
                );
                if let Decision::Assign {
                    agent,
                    pool: Some(pool),
                } = &d
                {
                    positions.insert(pool.key(), agent.clone());
                }
                d
            })
            .collect()
    }

    fn assigned(decisions: &[Decision]) -> Vec<String> {
        decisions
            .iter()
            .filter_map(|d| match d {
                Decision::Assign { agent, .. } => Some(agent.clone()),
                Decision::Fallback(_) => None,
            })
            .collect()
    }

    proptest! {
        /// Over N available agents, N consecutive chats reach each exactly once, in any
        /// input order; away and offline agents are skipped.
        #[test]
        fn round_robin_is_fair(statuses in prop::collection::vec(0u8..3, 1..8), shuffle in any::<u64>()) {
            let mut agents: Vec<Agent> = statuses.iter().enumerate().map(|(i, s)| {
                let status = [AgentStatus::Available, AgentStatus::Away, AgentStatus::Offline][*s as usize];
                agent(&format!("a{i}"), status, &[])
            }).collect();
            let turn = (shuffle % agents.len() as u64) as usize;
            agents.rotate_left(turn);
            let available: Vec<String> = {
                let mut v: Vec<String> = agents.iter().filter(|a| a.status == AgentStatus::Available).map(|a| a.id.clone()).collect();
                v.sort();
                v
            };
            let decisions = assign_many(&Route::RoundRobin, &agents, available.len() * 2);
            if available.is_empty() {
                prop_assert!(decisions.iter().all(|d| *d == Decision::Fallback(Why::NobodyAvailable)));
            } else {
                let got = assigned(&decisions);
                let mut first_round = got[..available.len()].to_vec();
                first_round.sort();
                prop_assert_eq!(&first_round, &available, "each exactly once");
                prop_assert_eq!(&got[..available.len()], &got[available.len()..], "then the same order again");
            }
        }

        /// Team routing never picks a non-member, and is fair among available members.
        #[test]
        fn team_routing_stays_in_the_team(memberships in prop::collection::vec((any::<bool>(), any::<bool>()), 1..8)) {
            let agents: Vec<Agent> = memberships.iter().enumerate().map(|(i, (sales, available))| {
                let status = if *available { AgentStatus::Available } else { AgentStatus::Away };
                agent(&format!("a{i}"), status, if *sales { &["sales"] } else { &["support"] })
            }).collect();
            let members: Vec<&Agent> = agents.iter().filter(|a| a.teams == ["sales"] && a.status == AgentStatus::Available).collect();
            let decisions = assign_many(&Route::Team { team: "sales".into() }, &agents, members.len().max(1) * 2);
            for id in assigned(&decisions) {
                prop_assert!(members.iter().any(|m| m.id == id), "{} is not an available sales member", id);
            }
            if members.is_empty() {
                prop_assert_eq!(&decisions[0], &Decision::Fallback(Why::NobodyAvailable));
            }
        }
    }

    #[test]
    fn round_robin_continues_after_the_previous_agent() {
        let agents = [
            agent("ana", AgentStatus::Available, &[]),
            agent("ben", AgentStatus::Away, &[]),
            agent("cy", AgentStatus::Available, &[]),
        ];
        let after = |previous: &str| {
            let positions = BTreeMap::from([("*".to_string(), previous.to_string())]);
            let nobody = VisitorContext::default();
            route(
                &Route::RoundRobin,
                &nobody,
                &nobody,
                &agents,
                &positions,
                &BTreeSet::new(),
            )
        };
        let cy = Decision::Assign {
            agent: "cy".into(),
            pool: Some(Pool::Everyone),
        };
        assert_eq!(after("ana"), cy, "ben is away");
        // The previous agent may have left since: continue from where they were.
        assert_eq!(after("bob"), cy);
    }

    #[test]
    fn a_specific_agent_or_the_fallback() {
        let agents = [
            agent("ana", AgentStatus::Available, &[]),
            agent("ben", AgentStatus::Offline, &[]),
        ];
        let to = |id: &str| {
            route(
                &Route::Agent { agent: id.into() },
                &VisitorContext::default(),
                &VisitorContext::default(),
                &agents,
                &BTreeMap::new(),
                &BTreeSet::new(),
            )
        };
        assert_eq!(
            to("ana"),
            Decision::Assign {
                agent: "ana".into(),
                pool: None
            }
        );
        assert_eq!(to("ben"), Decision::Fallback(Why::NobodyAvailable));
        assert_eq!(to("nobody"), Decision::Fallback(Why::NobodyAvailable));
    }

    #[test]
    fn rules_are_tried_in_order_and_the_first_match_wins() {
        let agents = [
            agent("ana", AgentStatus::Available, &["enterprise"]),
            agent("ben", AgentStatus::Available, &[]),
        ];
        let rule = |when: Condition, to: Target| Rule {
            when,
            to,
            verified: false,
        };
        let rules = Route::Rules {
            rules: vec![
                rule(Condition::IsNotEmpty("vip".into()), Target::Agent("ben".into())),
                rule(
                    Condition::IsNotEmpty("email".into()),
                    Target::Team("enterprise".into()),
                ),
            ],
        };
        let visitor = |pairs: &[(&str, &str)]| VisitorContext {
            attributes: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        };
        let run = |v: VisitorContext| {
            route(
                &rules,
                &v,
                &VisitorContext::default(),
                &agents,
                &BTreeMap::new(),
                &BTreeSet::new(),
            )
        };
        assert_eq!(
            run(visitor(&[("vip", "y"), ("email", "a@b.co")])),
            Decision::Assign {
                agent: "ben".into(),
                pool: None
            }
        );
        assert_eq!(
            run(visitor(&[("email", "a@b.co")])),
            Decision::Assign {
                agent: "ana".into(),
                pool: Some(Pool::Team("enterprise".into()))
            }
        );
        assert_eq!(run(visitor(&[])), Decision::Fallback(Why::NoRuleMatched));
    }

    #[test]
    fn a_verified_rule_ignores_what_only_the_page_says() {
        let agents = [
            agent("ana", AgentStatus::Available, &["enterprise"]),
            agent("ben", AgentStatus::Available, &[]),
        ];
        let big = Condition::Equals(chinwag_dialogue::condition::Comparison {
            attribute: "company_size".into(),
            value: "More than 1000".into(),
        });
        let rules = Route::Rules {
            rules: vec![Rule {
                when: big,
                to: Target::Team("enterprise".into()),
                verified: true,
            }],
        };
        let said = VisitorContext {
            attributes: BTreeMap::from([("company_size".into(), "More than 1000".into())]),
            ..Default::default()
        };
        // Typed into the browser console: not verified, no enterprise team.
        let d = route(
            &rules,
            &said,
            &VisitorContext::default(),
            &agents,
            &BTreeMap::new(),
            &BTreeSet::new(),
        );
        assert_eq!(d, Decision::Fallback(Why::NoRuleMatched));
        // Vouched for by the site's backend.
        let d = route(&rules, &said, &said, &agents, &BTreeMap::new(), &BTreeSet::new());
        assert_eq!(
            d,
            Decision::Assign {
                agent: "ana".into(),
                pool: Some(Pool::Team("enterprise".into()))
            }
        );
    }

    /// An agent at capacity is passed over; when every available agent is, the chat
    /// waits in the queue (not "nobody available"); an agent away is not "at capacity".
    #[test]
    fn agents_at_capacity_are_passed_over_and_a_full_house_queues() {
        let full = |id: &str| Agent {
            open_chats: 5,
            ..agent(id, AgentStatus::Available, &["sales"])
        };
        let one_left = Agent {
            open_chats: 4,
            ..agent("cy", AgentStatus::Available, &["sales"])
        };
        let everyone = [full("ana"), full("ben"), one_left.clone()];
        let none = BTreeMap::new();
        let nobody = VisitorContext::default();
        let to = |r: &Route, agents: &[Agent]| route(r, &nobody, &nobody, agents, &none, &BTreeSet::new());
        assert_eq!(
            to(&Route::RoundRobin, &everyone),
            Decision::Assign {
                agent: "cy".into(),
                pool: Some(Pool::Everyone)
            }
        );
        let cy_full = [full("ana"), full("ben"), full("cy")];
        assert_eq!(
            to(&Route::RoundRobin, &cy_full),
            Decision::Fallback(Why::AtCapacity)
        );
        let team = Route::Team { team: "sales".into() };
        assert_eq!(to(&team, &cy_full), Decision::Fallback(Why::AtCapacity));
        let ben = Route::Agent { agent: "ben".into() };
        assert_eq!(to(&ben, &everyone), Decision::Fallback(Why::AtCapacity));
        // Full and away: nobody is available, whatever their chats.
        let away = [Agent {
            status: AgentStatus::Away,
            ..full("ben")
        }];
        assert_eq!(to(&ben, &away), Decision::Fallback(Why::NobodyAvailable));
        assert_eq!(
            to(&Route::RoundRobin, &away),
            Decision::Fallback(Why::NobodyAvailable)
        );
        // A capacity of zero takes nothing.
        let zero = [Agent {
            max_chats: 0,
            ..agent("ben", AgentStatus::Available, &[])
        }];
        assert_eq!(to(&ben, &zero), Decision::Fallback(Why::AtCapacity));
    }

    #[test]
    fn a_team_outside_its_hours_takes_no_chat_whoever_is_available() {
        let agents = [
            agent("ana", AgentStatus::Available, &["sales"]),
            agent("ben", AgentStatus::Available, &["billing"]),
        ];
        let nobody = VisitorContext::default();
        let closed = BTreeSet::from(["sales".to_string()]);
        let to = |r: &Route| route(r, &nobody, &nobody, &agents, &BTreeMap::new(), &closed);
        let sales = Route::Team { team: "sales".into() };
        assert_eq!(to(&sales), Decision::Fallback(Why::OutsideHours));
        // Another team, round robin over everyone and one agent by name are not held
        // to a team's hours.
        let billing = Route::Team {
            team: "billing".into(),
        };
        assert!(matches!(to(&billing), Decision::Assign { agent, .. } if agent == "ben"));
        assert!(matches!(to(&Route::RoundRobin), Decision::Assign { .. }));
        let ana = Route::Agent { agent: "ana".into() };
        assert!(matches!(to(&ana), Decision::Assign { agent, .. } if agent == "ana"));
        // A rule that sends to a closed team, too.
        let rules = Route::Rules {
            rules: vec![chinwag_dialogue::Rule {
                when: chinwag_dialogue::Condition::PageUrlMatches("*".into()),
                to: Target::Team("sales".into()),
                verified: false,
            }],
        };
        assert_eq!(to(&rules), Decision::Fallback(Why::OutsideHours));
    }
}
