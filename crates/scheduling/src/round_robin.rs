//! Which free host gets a booking, and why.
//!
//! - **Rotation** (Marketo's): hosts in a stored order; the next booking goes to the host
//!   after the one who took the last, skipping hosts who are not free at that time
//!   ("if agent three took the last meeting, agent four gets the next").
//! - **Equal distribution**: the free host with the fewest meetings this month relative
//!   to their weight; ties go in rotation order.
//!
//! The [`Pick`] is stored with the meeting, so the meetings list can say why.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    #[default]
    Rotation,
    EqualDistribution,
}

/// Why a host was passed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    /// Busy at that time (calendar, another meeting, outside working hours, buffers).
    NotFree,
    /// The host's calendar could not be read: never treated as free.
    CalendarUnreadable,
    /// Already at the daily cap.
    DailyCap,
}

/// One host in the stored order.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub host: String,
    /// `None` when free for the slot.
    pub unavailable: Option<Skip>,
    pub meetings_this_month: u32,
    /// Equal distribution only: a host of weight 2 takes twice the meetings.
    pub weight: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Passed {
    pub host: String,
    pub why: Skip,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Load {
    pub host: String,
    pub meetings_this_month: u32,
    pub weight: u32,
}

/// The chosen host and the reason, as stored with the meeting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pick {
    pub host: String,
    pub strategy: Strategy,
    /// The host's place in the order (0-based); the next rotation starts after it.
    pub position: usize,
    /// Who took the previous booking, if any.
    pub after: Option<String>,
    /// Hosts passed over, in the order they were considered.
    pub skipped: Vec<Passed>,
    /// Equal distribution: every free host's load when the choice was made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub load: Vec<Load>,
}

/// Picks a host among `order`; `last` is the position of the host who took the previous
/// booking (`None` at first). `None` when nobody is free.
pub fn pick(order: &[Candidate], last: Option<usize>, strategy: Strategy) -> Option<Pick> {
    let n = order.len();
    let first = last.map_or(0, |p| (p + 1) % n.max(1));
    let rotation: Vec<usize> = (0..n).map(|k| (first + k) % n).collect();
    let after = last.and_then(|p| order.get(p)).map(|c| c.host.clone());
    let chosen = match strategy {
        Strategy::Rotation => rotation
            .iter()
            .copied()
            .find(|&i| order[i].unavailable.is_none())?,
        Strategy::EqualDistribution => rotation
            .iter()
            .copied()
            .filter(|&i| order[i].unavailable.is_none())
            // a/wa < b/wb ⇔ a·wb < b·wa; `min_by` keeps the first of equals (rotation order).
            .min_by(|&a, &b| {
                let (a, b) = (&order[a], &order[b]);
                (u64::from(a.meetings_this_month) * u64::from(b.weight.max(1)))
                    .cmp(&(u64::from(b.meetings_this_month) * u64::from(a.weight.max(1))))
            })?,
    };
    let considered: &[usize] = match strategy {
        Strategy::Rotation => &rotation[..rotation.iter().position(|&i| i == chosen).unwrap_or(0)],
        Strategy::EqualDistribution => &rotation,
    };
    let skipped = considered
        .iter()
        .filter_map(|&i| {
            order[i].unavailable.map(|why| Passed {
                host: order[i].host.clone(),
                why,
            })
        })
        .collect();
    let load = match strategy {
        Strategy::Rotation => Vec::new(),
        Strategy::EqualDistribution => rotation
            .iter()
            .filter(|&&i| order[i].unavailable.is_none())
            .map(|&i| Load {
                host: order[i].host.clone(),
                meetings_this_month: order[i].meetings_this_month,
                weight: order[i].weight.max(1),
            })
            .collect(),
    };
    Some(Pick {
        host: order[chosen].host.clone(),
        strategy,
        position: chosen,
        after,
        skipped,
        load,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(free: &[bool]) -> Vec<Candidate> {
        free.iter()
            .enumerate()
            .map(|(i, &f)| Candidate {
                host: format!("agent{}", i + 1),
                unavailable: (!f).then_some(Skip::NotFree),
                meetings_this_month: 0,
                weight: 1,
            })
            .collect()
    }

    #[test]
    fn rotation_goes_round_from_the_last_host() {
        let order = hosts(&[true; 5]);
        // "If agent three took the last meeting, agent four gets the next, then five, then one."
        let mut last = Some(2);
        let mut got = Vec::new();
        for _ in 0..3 {
            let p = pick(&order, last, Strategy::Rotation).unwrap();
            last = Some(p.position);
            got.push(p.host);
        }
        assert_eq!(got, ["agent4", "agent5", "agent1"]);
        assert_eq!(pick(&order, None, Strategy::Rotation).unwrap().host, "agent1");
    }

    #[test]
    fn rotation_skips_hosts_who_are_not_free_and_says_so() {
        let mut order = hosts(&[true, true, true, false, true]);
        order[4].unavailable = Some(Skip::CalendarUnreadable);
        let p = pick(&order, Some(2), Strategy::Rotation).unwrap();
        assert_eq!(p.host, "agent1");
        assert_eq!(p.after.as_deref(), Some("agent3"));
        assert_eq!(
            p.skipped,
            [
                Passed {
                    host: "agent4".into(),
                    why: Skip::NotFree
                },
                Passed {
                    host: "agent5".into(),
                    why: Skip::CalendarUnreadable
                }
            ]
        );
        assert_eq!(pick(&hosts(&[false, false]), Some(0), Strategy::Rotation), None);
    }

    #[test]
    fn equal_distribution_evens_out_by_weight() {
        let mut order = hosts(&[true, true, true]);
        order[0].meetings_this_month = 4;
        order[1].meetings_this_month = 3;
        order[2].meetings_this_month = 5;
        order[2].weight = 2; // 5/2 < 3/1
        let p = pick(&order, None, Strategy::EqualDistribution).unwrap();
        assert_eq!(p.host, "agent3");
        assert_eq!(p.load.len(), 3);
        // Ties go in rotation order after the last host.
        let even = hosts(&[true, true, true]);
        assert_eq!(
            pick(&even, Some(0), Strategy::EqualDistribution).unwrap().host,
            "agent2"
        );
    }

    #[test]
    fn over_many_bookings_rotation_is_fair() {
        let order = hosts(&[true; 4]);
        let (mut last, mut count) = (None, [0; 4]);
        for _ in 0..400 {
            let p = pick(&order, last, Strategy::Rotation).unwrap();
            count[p.position] += 1;
            last = Some(p.position);
        }
        assert_eq!(count, [100; 4]);
    }
}
