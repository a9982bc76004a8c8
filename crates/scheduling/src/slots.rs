//! Free slots: working hours ∩ free in the calendar − bookings − buffers, from now +
//! notice to the horizon, on a clean step in the visitor's zone.
//!
//! A slot `[start, end)` is offered by a host when
//! - it lies inside one of the host's working spans ([`Availability::working`]);
//! - `[start − buffer_before, end + buffer_after)` overlaps nothing busy: calendar
//!   events and the host's meetings (a meeting's buffers are its own business: two
//!   meetings may sit back to back only when both buffers are zero);
//! - the host has fewer than `daily_cap` meetings on that local date (host's zone);
//! - `start ≥ now + notice` and `start ≤ now + days_ahead`.
//!
//! Starts are the visitor's local times whose minute of the day is a multiple of
//! `step_minutes` (local times skipped by daylight saving are not offered; a repeated
//! hour offers both of its instants).

use crate::availability::{local_date, Availability};
use crate::interval::{clashes, merge, within, Interval};
use jiff::civil::{DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use serde::{Deserialize, Serialize};

/// A meeting card's and its site's rules.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    pub length_minutes: u32,
    /// Starts fall on multiples of this in the visitor's day.
    pub step_minutes: u32,
    pub buffer_before_minutes: u32,
    pub buffer_after_minutes: u32,
    /// No meeting sooner than this after now.
    pub notice_minutes: u32,
    /// How far ahead a visitor may book.
    pub days_ahead: u32,
    /// Most meetings per host per local day; none means no cap.
    pub daily_cap: Option<u32>,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            length_minutes: 30,
            step_minutes: 30,
            buffer_before_minutes: 0,
            buffer_after_minutes: 0,
            notice_minutes: 240,
            days_ahead: 30,
            daily_cap: None,
        }
    }
}

impl Rules {
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut need = |ok: bool, path: &str, message: &str| {
            if !ok {
                out.push((path.to_owned(), message.to_owned()));
            }
        };
        need(
            (5..=480).contains(&self.length_minutes),
            "length_minutes",
            "a meeting lasts between 5 and 480 minutes",
        );
        need(
            (5..=240).contains(&self.step_minutes) && 1440 % self.step_minutes == 0,
            "step_minutes",
            "the step divides a day and lies between 5 and 240 minutes (5, 10, 15, 20, 30, 60, …)",
        );
        need(
            self.buffer_before_minutes <= 240,
            "buffer_before_minutes",
            "at most 240 minutes",
        );
        need(
            self.buffer_after_minutes <= 240,
            "buffer_after_minutes",
            "at most 240 minutes",
        );
        need(
            self.notice_minutes <= 60 * 24 * 60,
            "notice_minutes",
            "at most 60 days",
        );
        need(
            (1..=365).contains(&self.days_ahead),
            "days_ahead",
            "between 1 and 365 days",
        );
        out
    }
}

/// One host as the slot computation sees it.
pub struct Host<'a> {
    pub availability: &'a Availability,
    /// Busy in the host's calendar (events, expanded).
    pub busy: &'a [Interval],
    /// The host's meetings booked here (they count toward the daily cap).
    pub meetings: &'a [Booked],
}

/// A meeting booked here, and the time it holds with the buffers it was booked with:
/// a new meeting may not start inside those buffers either (the database refuses it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Booked {
    pub meeting: Interval,
    pub held: Interval,
}

/// A start the visitor may pick, and which hosts are free for it (indices into the
/// hosts given, in their order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Slot {
    pub start: i64,
    pub end: i64,
    pub hosts: Vec<usize>,
}

/// Every slot at least one host can take, in time order. A host whose availability is
/// broken (an unknown zone) offers nothing.
pub fn slots(hosts: &[Host], rules: &Rules, now: i64, visitor_zone: &TimeZone) -> Vec<Slot> {
    let length = i64::from(rules.length_minutes) * 60;
    let from = now + i64::from(rules.notice_minutes) * 60;
    let to = now + i64::from(rules.days_ahead) * 86_400;
    let prepared: Vec<Option<Prepared>> = hosts
        .iter()
        .map(|h| Prepared::new(h, rules, from, to + length))
        .collect();
    let mut out = Vec::new();
    for start in starts(visitor_zone, rules.step_minutes, from, to) {
        let slot = Interval::new(start, start + length);
        let free: Vec<usize> = prepared
            .iter()
            .enumerate()
            .filter(|(_, p)| p.as_ref().is_some_and(|p| p.free(&slot)))
            .map(|(i, _)| i)
            .collect();
        if !free.is_empty() {
            out.push(Slot {
                start,
                end: slot.end,
                hosts: free,
            });
        }
    }
    out
}

/// Whether one host can take `[start, end)` under the rules now: the booking's own
/// check, run again inside the transaction that stores it.
pub fn host_is_free(host: &Host, rules: &Rules, now: i64, slot: Interval) -> bool {
    let earliest = now + i64::from(rules.notice_minutes) * 60;
    let latest = now + i64::from(rules.days_ahead) * 86_400;
    slot.start >= earliest
        && slot.start <= latest
        && Prepared::new(host, rules, slot.start - 86_400, slot.end + 86_400).is_some_and(|p| p.free(&slot))
}

/// How long a listing stays good: a start inside the notice by less than this may have
/// been offered a moment ago, and is refused as taken rather than as never offered.
pub const LISTING_GRACE_SECONDS: i64 = 15 * 60;

/// Why `start` is no time [`slots`] offers under the rules now, whatever the hosts'
/// days hold: off the step grid of the visitor's zone, passed, inside the notice (by
/// more than [`LISTING_GRACE_SECONDS`]) or past the horizon. `None`: a start a listing
/// could have offered (if it is not free, it was taken).
pub fn never_offered(rules: &Rules, now: i64, visitor_zone: &TimeZone, start: i64) -> Option<String> {
    let notice = i64::from(rules.notice_minutes) * 60;
    if starts(visitor_zone, rules.step_minutes, start, start) != [start] {
        Some(format!(
            "that time is not a start time: meetings start every {} minutes from midnight in the visitor's time zone",
            rules.step_minutes
        ))
    } else if start < now {
        Some("that time has passed".into())
    } else if start < now + notice - LISTING_GRACE_SECONDS {
        Some(format!(
            "that time is too soon: meetings are booked at least {} minutes ahead",
            rules.notice_minutes
        ))
    } else if start > now + i64::from(rules.days_ahead) * 86_400 {
        Some(format!(
            "that time is too far ahead: meetings are booked at most {} days ahead",
            rules.days_ahead
        ))
    } else {
        None
    }
}

struct Prepared {
    working: Vec<Interval>,
    busy: Vec<Interval>,
    /// Meetings with their own buffers: a slot (without its buffers) may not touch them.
    held: Vec<Interval>,
    zone: TimeZone,
    /// Meetings per host-local date, for the cap.
    per_day: Vec<(jiff::civil::Date, u32)>,
    cap: Option<u32>,
    before: i64,
    after: i64,
}

impl Prepared {
    fn new(host: &Host, rules: &Rules, from: i64, to: i64) -> Option<Prepared> {
        let zone = host.availability.zone().ok()?;
        let working = host.availability.working(from, to).ok()?;
        let busy = merge(
            host.busy
                .iter()
                .copied()
                .chain(host.meetings.iter().map(|b| b.meeting))
                .collect(),
        );
        let held = merge(host.meetings.iter().map(|b| b.held).collect());
        let mut per_day: Vec<(jiff::civil::Date, u32)> = Vec::new();
        for booked in host.meetings {
            if let Some(date) = local_date(&zone, booked.meeting.start) {
                match per_day.iter_mut().find(|(d, _)| *d == date) {
                    Some((_, n)) => *n += 1,
                    None => per_day.push((date, 1)),
                }
            }
        }
        Some(Prepared {
            working,
            busy,
            held,
            zone,
            per_day,
            cap: rules.daily_cap,
            before: i64::from(rules.buffer_before_minutes) * 60,
            after: i64::from(rules.buffer_after_minutes) * 60,
        })
    }

    fn free(&self, slot: &Interval) -> bool {
        within(&self.working, slot)
            && !clashes(
                &self.busy,
                &Interval::new(slot.start - self.before, slot.end + self.after),
            )
            && !clashes(&self.held, slot)
            && self.cap.is_none_or(|cap| {
                let date = local_date(&self.zone, slot.start);
                self.per_day
                    .iter()
                    .find(|(d, _)| Some(*d) == date)
                    .map_or(0, |(_, n)| *n)
                    < cap
            })
    }
}

/// Instants in `[from, to]` whose local time in `zone` is a multiple of `step` minutes.
fn starts(zone: &TimeZone, step: u32, from: i64, to: i64) -> Vec<i64> {
    let step = step.max(1);
    let (Some(first), Some(last)) = (local_date(zone, from), local_date(zone, to)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut date = first;
    while date <= last {
        for minute in (0..1440).step_by(step as usize) {
            let Ok(time) = Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0) else {
                continue;
            };
            let dt = DateTime::from_parts(date, time);
            let ambiguous = zone.to_ambiguous_timestamp(dt);
            let mut push = |offset: jiff::tz::Offset| {
                if let Ok(at) = offset.to_timestamp(dt) {
                    out.push(at.as_second());
                }
            };
            match ambiguous.offset() {
                AmbiguousOffset::Unambiguous { offset } => push(offset),
                AmbiguousOffset::Gap { .. } => {}
                AmbiguousOffset::Fold { before, after } => {
                    push(before);
                    push(after);
                }
            }
        }
        let Ok(next) = date.tomorrow() else { break };
        date = next;
    }
    out.retain(|at| (from..=to).contains(at));
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn at(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_second()
    }

    fn nine_to_five(zone: &str) -> Availability {
        let day = r#"[{"start":"09:00","end":"17:00"}]"#;
        serde_json::from_str(&format!(
            r#"{{"time_zone":"{zone}","weekly":{{"mon":{day},"tue":{day},"wed":{day},"thu":{day},"fri":{day}}}}}"#
        ))
        .unwrap()
    }

    fn rules() -> Rules {
        Rules {
            notice_minutes: 0,
            days_ahead: 1,
            ..Rules::default()
        }
    }

    #[test]
    fn a_free_day_offers_every_step_inside_working_hours() {
        let a = nine_to_five("UTC");
        let host = Host {
            availability: &a,
            busy: &[],
            meetings: &[],
        };
        let s = slots(&[host], &rules(), at("2026-12-01T00:00:00Z"), &TimeZone::UTC);
        assert_eq!(s.len(), 16, "09:00 to 16:30, every 30 minutes");
        assert_eq!(s[0].start, at("2026-12-01T09:00:00Z"));
        assert_eq!(s[15].end, at("2026-12-01T17:00:00Z"));
    }

    #[test]
    fn busy_time_and_buffers_remove_slots() {
        let a = nine_to_five("UTC");
        let busy = [Interval::new(
            at("2026-12-01T10:00:00Z"),
            at("2026-12-01T11:00:00Z"),
        )];
        let host = Host {
            availability: &a,
            busy: &busy,
            meetings: &[],
        };
        let r = Rules {
            buffer_before_minutes: 15,
            buffer_after_minutes: 15,
            ..rules()
        };
        let s = slots(&[host], &r, at("2026-12-01T00:00:00Z"), &TimeZone::UTC);
        let starts: Vec<i64> = s.iter().map(|s| s.start).collect();
        // 09:30 would end at 10:00 + 15 min after; 11:00 would start 15 min after the event.
        assert!(starts.contains(&at("2026-12-01T09:00:00Z")));
        for gone in ["09:30", "10:00", "10:30", "11:00"] {
            assert!(!starts.contains(&at(&format!("2026-12-01T{gone}:00Z"))), "{gone}");
        }
        assert!(starts.contains(&at("2026-12-01T11:30:00Z")));
    }

    #[test]
    fn a_meetings_own_buffer_after_is_kept_with_no_buffer_before() {
        // Booked with 15 minutes after it; the rules now have none before: 10:30 is
        // inside that meeting's buffer, which the database refuses, so it is not offered.
        let a = nine_to_five("UTC");
        let meeting = Interval::new(at("2026-12-01T10:00:00Z"), at("2026-12-01T10:30:00Z"));
        let meetings = [Booked {
            meeting,
            held: Interval::new(meeting.start, meeting.end + 15 * 60),
        }];
        let host = Host {
            availability: &a,
            busy: &[],
            meetings: &meetings,
        };
        let r = Rules {
            step_minutes: 15,
            buffer_after_minutes: 15,
            ..rules()
        };
        let s = slots(&[host], &r, at("2026-12-01T00:00:00Z"), &TimeZone::UTC);
        let starts: Vec<i64> = s.iter().map(|s| s.start).collect();
        assert!(!starts.contains(&at("2026-12-01T10:30:00Z")));
        assert!(starts.contains(&at("2026-12-01T10:45:00Z")));
        // 09:30 ends at 10:00, and its own 15 minutes after reach into the meeting.
        assert!(!starts.contains(&at("2026-12-01T09:30:00Z")));
        assert!(starts.contains(&at("2026-12-01T09:15:00Z")));
    }

    #[test]
    fn notice_and_daily_cap() {
        let a = nine_to_five("UTC");
        let meeting = Interval::new(at("2026-12-01T09:00:00Z"), at("2026-12-01T09:30:00Z"));
        let meetings = [Booked {
            meeting,
            held: meeting,
        }];
        let host = Host {
            availability: &a,
            busy: &[],
            meetings: &meetings,
        };
        let r = Rules {
            daily_cap: Some(1),
            days_ahead: 2,
            ..rules()
        };
        let s = slots(&[host], &r, at("2026-12-01T00:00:00Z"), &TimeZone::UTC);
        assert!(
            s.iter().all(|s| s.start >= at("2026-12-02T00:00:00Z")),
            "Tuesday is full"
        );
        let host = Host {
            availability: &a,
            busy: &[],
            meetings: &[],
        };
        let r = Rules {
            notice_minutes: 60 * 12,
            ..rules()
        };
        let s = slots(&[host], &r, at("2026-12-01T00:00:00Z"), &TimeZone::UTC);
        assert_eq!(s[0].start, at("2026-12-01T12:00:00Z"));
    }

    #[test]
    fn a_team_slot_names_every_free_host() {
        let (a, b) = (nine_to_five("UTC"), nine_to_five("America/New_York"));
        let hosts = [
            Host {
                availability: &a,
                busy: &[],
                meetings: &[],
            },
            Host {
                availability: &b,
                busy: &[],
                meetings: &[],
            },
        ];
        let s = slots(&hosts, &rules(), at("2026-12-01T00:00:00Z"), &TimeZone::UTC);
        let at_15 = s.iter().find(|s| s.start == at("2026-12-01T15:00:00Z")).unwrap();
        assert_eq!(at_15.hosts, vec![0, 1], "10:00 in New York");
        let at_9 = s.iter().find(|s| s.start == at("2026-12-01T09:00:00Z")).unwrap();
        assert_eq!(at_9.hosts, vec![0]);
    }

    #[test]
    fn starts_are_clean_in_the_visitors_zone() {
        let a = nine_to_five("UTC");
        let host = Host {
            availability: &a,
            busy: &[],
            meetings: &[],
        };
        let nepal = TimeZone::get("Asia/Kathmandu").unwrap(); // UTC+05:45
        let s = slots(&[host], &rules(), at("2026-12-01T00:00:00Z"), &nepal);
        assert_eq!(s[0].start, at("2026-12-01T09:15:00Z"), "15:00 in Kathmandu");
    }

    #[test]
    fn a_start_never_offered_says_why_and_every_offered_start_passes() {
        let a = nine_to_five("UTC");
        let host = Host {
            availability: &a,
            busy: &[],
            meetings: &[],
        };
        let r = Rules {
            notice_minutes: 60,
            days_ahead: 2,
            ..rules()
        };
        let now = at("2026-12-01T08:10:00Z");
        let nepal = TimeZone::get("Asia/Kathmandu").unwrap();
        for zone in [TimeZone::UTC, nepal.clone()] {
            for s in slots(std::slice::from_ref(&host), &r, now, &zone) {
                assert_eq!(never_offered(&r, now, &zone, s.start), None);
            }
        }
        let why = |zone: &TimeZone, start: &str| never_offered(&r, now, zone, at(start)).unwrap_or_default();
        assert!(why(&TimeZone::UTC, "2026-12-01T10:10:00Z").contains("not a start time"));
        assert!(why(&nepal, "2026-12-01T10:00:00Z").contains("not a start time"));
        assert!(why(&TimeZone::UTC, "2026-12-01T08:00:00Z").contains("passed"));
        assert!(why(&TimeZone::UTC, "2026-12-01T08:30:00Z").contains("too soon"));
        assert_eq!(
            why(&TimeZone::UTC, "2026-12-01T09:00:00Z"),
            "",
            "inside the listing's grace"
        );
        assert!(why(&TimeZone::UTC, "2026-12-03T09:00:00Z").contains("too far ahead"));
        assert_eq!(why(&TimeZone::UTC, "2026-12-03T08:00:00Z"), "");
    }

    #[test]
    fn rules_have_limits() {
        let r = Rules {
            step_minutes: 7,
            length_minutes: 2,
            ..Rules::default()
        };
        let paths: Vec<String> = r.problems().into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["length_minutes", "step_minutes"]);
    }
}
