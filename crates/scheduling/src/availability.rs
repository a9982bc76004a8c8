//! An agent's working hours: a time zone, weekly blocks and date overrides.
//!
//! ```json
//! {"time_zone": "Europe/Lisbon",
//!  "weekly": {"mon": [{"start": "09:00", "end": "12:30"}, {"start": "14:00", "end": "18:00"}]},
//!  "overrides": [{"date": "2026-12-24", "blocks": []}]}
//! ```
//!
//! A block boundary that falls in a daylight-saving gap moves past the gap; one in a
//! repeated hour takes its first occurrence (RFC 5545's rule, jiff's `compatible`).

use crate::interval::{merge, Interval};
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Availability {
    /// An IANA zone name, such as `America/Sao_Paulo`.
    pub time_zone: String,
    #[serde(default)]
    pub weekly: BTreeMap<Day, Vec<Block>>,
    /// Replace a date's weekly blocks; no blocks is a day off.
    #[serde(default)]
    pub overrides: Vec<DateOverride>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl From<Weekday> for Day {
    fn from(day: Weekday) -> Day {
        match day {
            Weekday::Monday => Day::Mon,
            Weekday::Tuesday => Day::Tue,
            Weekday::Wednesday => Day::Wed,
            Weekday::Thursday => Day::Thu,
            Weekday::Friday => Day::Fri,
            Weekday::Saturday => Day::Sat,
            Weekday::Sunday => Day::Sun,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub start: Clock,
    pub end: Clock,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateOverride {
    pub date: Date,
    pub blocks: Vec<Block>,
}

/// A wall-clock time as minutes after midnight, written `HH:MM`; `24:00` ends a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Clock(pub u16);

impl Clock {
    pub fn parse(text: &str) -> Option<Clock> {
        let (h, m) = text.split_once(':')?;
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        let ok = h.to_string().len() <= 2 && m < 60 && (h < 24 || (h == 24 && m == 0)) && text.len() == 5;
        ok.then_some(Clock(h * 60 + m))
    }
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for Clock {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Clock {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Clock, D::Error> {
        let text = String::deserialize(d)?;
        Clock::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("`{text}` is not a time of day (HH:MM, 00:00 to 24:00)"))
        })
    }
}

impl Availability {
    /// What is wrong, as `(path, message)`: unknown zone, empty or reversed blocks.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if TimeZone::get(&self.time_zone).is_err() {
            out.push((
                "time_zone".into(),
                format!("`{}` is not an IANA time zone", self.time_zone),
            ));
        }
        let mut check = |path: String, blocks: &[Block]| {
            for (i, b) in blocks.iter().enumerate() {
                if b.start >= b.end {
                    out.push((
                        format!("{path}[{i}]"),
                        format!("starts at {} but ends at {}", b.start, b.end),
                    ));
                }
            }
        };
        for (day, blocks) in &self.weekly {
            check(format!("weekly.{}", serde_json_day(*day)), blocks);
        }
        for (i, o) in self.overrides.iter().enumerate() {
            check(format!("overrides[{i}].blocks"), &o.blocks);
        }
        out
    }

    /// Whether `at` (Unix seconds) falls in the working hours: a team's business
    /// hours ask this (docs/inbox.md, "Business hours"). An unknown zone is closed.
    pub fn open_at(&self, at: i64) -> bool {
        self.working(at, at + 1)
            .is_ok_and(|spans| spans.iter().any(|s| s.start <= at && at < s.end))
    }

    /// The zone, or an error naming it.
    pub fn zone(&self) -> Result<TimeZone, String> {
        TimeZone::get(&self.time_zone).map_err(|_| format!("`{}` is not an IANA time zone", self.time_zone))
    }

    /// The blocks of one local date: its override, or its weekday's.
    pub fn blocks_on(&self, date: Date) -> &[Block] {
        match self.overrides.iter().find(|o| o.date == date) {
            Some(o) => &o.blocks,
            None => self
                .weekly
                .get(&Day::from(date.weekday()))
                .map_or(&[], Vec::as_slice),
        }
    }

    /// Working time between two instants, merged and sorted.
    pub fn working(&self, from: i64, to: i64) -> Result<Vec<Interval>, String> {
        let zone = self.zone()?;
        let (Some(first), Some(last)) = (local_date(&zone, from), local_date(&zone, to)) else {
            return Ok(Vec::new());
        };
        let mut spans = Vec::new();
        // A day before and after: a block may reach across midnight in UTC.
        let mut date = first.yesterday().unwrap_or(first);
        let end = last.tomorrow().unwrap_or(last);
        while date <= end {
            for block in self.blocks_on(date) {
                if let (Some(start), Some(stop)) =
                    (instant(&zone, date, block.start), instant(&zone, date, block.end))
                {
                    spans.push(Interval::new(start.max(from), stop.min(to)));
                }
            }
            let Ok(next) = date.tomorrow() else { break };
            date = next;
        }
        Ok(merge(spans))
    }
}

fn serde_json_day(day: Day) -> &'static str {
    match day {
        Day::Mon => "mon",
        Day::Tue => "tue",
        Day::Wed => "wed",
        Day::Thu => "thu",
        Day::Fri => "fri",
        Day::Sat => "sat",
        Day::Sun => "sun",
    }
}

/// The local date of an instant in a zone.
pub fn local_date(zone: &TimeZone, at: i64) -> Option<Date> {
    Some(zone.to_datetime(Timestamp::from_second(at).ok()?).date())
}

/// The instant of a wall-clock time on a local date (`24:00` is the next midnight).
pub fn instant(zone: &TimeZone, date: Date, clock: Clock) -> Option<i64> {
    let (date, minutes) = if clock.0 >= 24 * 60 {
        (date.tomorrow().ok()?, 0)
    } else {
        (date, clock.0)
    };
    let time = Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0).ok()?;
    let at = zone
        .to_ambiguous_timestamp(DateTime::from_parts(date, time))
        .compatible()
        .ok()?;
    Some(at.as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_at_follows_weekly_hours_holidays_and_daylight_saving() {
        let hours: Availability = serde_json::from_str(
            r#"{"time_zone":"Europe/Lisbon",
                "weekly":{"mon":[{"start":"09:00","end":"17:00"}],"sun":[{"start":"00:00","end":"24:00"}]},
                "overrides":[{"date":"2026-12-28","blocks":[]}]}"#,
        )
        .unwrap();
        let at = |text: &str| text.parse::<Timestamp>().unwrap().as_second();
        // Monday 2026-12-07, Lisbon is UTC in winter.
        assert!(!hours.open_at(at("2026-12-07T08:59:59Z")));
        assert!(hours.open_at(at("2026-12-07T09:00:00Z")));
        assert!(hours.open_at(at("2026-12-07T16:59:59Z")));
        assert!(!hours.open_at(at("2026-12-07T17:00:00Z")), "the end is not in");
        assert!(!hours.open_at(at("2026-12-08T10:00:00Z")), "no hours on Tuesday");
        assert!(
            !hours.open_at(at("2026-12-28T10:00:00Z")),
            "a holiday on a Monday"
        );
        // Summer time: 09:00 in Lisbon is 08:00 UTC.
        assert!(hours.open_at(at("2026-07-06T08:00:00Z")));
        assert!(!hours.open_at(at("2026-07-06T16:00:00Z")));
        // All of Sunday, to its last second.
        assert!(hours.open_at(at("2026-12-06T23:59:59Z")));
        let nowhere = Availability {
            time_zone: "Mars/Olympus".into(),
            ..hours
        };
        assert!(!nowhere.open_at(at("2026-12-07T10:00:00Z")));
    }

    fn lisbon() -> Availability {
        serde_json::from_str(
            r#"{"time_zone":"Europe/Lisbon",
                "weekly":{"mon":[{"start":"09:00","end":"12:30"},{"start":"14:00","end":"18:00"}],"sun":[{"start":"00:30","end":"03:00"}]},
                "overrides":[{"date":"2026-03-30","blocks":[]}]}"#,
        )
        .unwrap()
    }

    fn at(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_second()
    }

    #[test]
    fn clocks_read_and_write_as_hh_mm() {
        assert_eq!(Clock::parse("09:05"), Some(Clock(545)));
        assert_eq!(Clock::parse("24:00"), Some(Clock(1440)));
        for bad in ["9:05", "24:01", "12:60", "ab:cd", "12-00", "-1:00"] {
            assert_eq!(Clock::parse(bad), None, "{bad}");
        }
        assert_eq!(Clock(545).to_string(), "09:05");
    }

    #[test]
    fn weekly_blocks_follow_daylight_saving() {
        let a = lisbon();
        // Monday 2026-03-23 is winter time (UTC+0); Monday 2026-04-06 summer (UTC+1).
        let winter = a
            .working(at("2026-03-23T00:00:00Z"), at("2026-03-24T00:00:00Z"))
            .unwrap();
        assert_eq!(
            winter[0],
            Interval::new(at("2026-03-23T09:00:00Z"), at("2026-03-23T12:30:00Z"))
        );
        let summer = a
            .working(at("2026-04-06T00:00:00Z"), at("2026-04-07T00:00:00Z"))
            .unwrap();
        assert_eq!(
            summer[0],
            Interval::new(at("2026-04-06T08:00:00Z"), at("2026-04-06T11:30:00Z"))
        );
        assert_eq!(summer.len(), 2);
    }

    #[test]
    fn a_block_in_the_spring_gap_starts_after_it() {
        // Lisbon skips 01:00–02:00 on Sunday 2026-03-29: 00:30–03:00 local is 00:30Z–02:00Z.
        let spans = lisbon()
            .working(at("2026-03-29T00:00:00Z"), at("2026-03-30T00:00:00Z"))
            .unwrap();
        assert_eq!(
            spans,
            vec![Interval::new(
                at("2026-03-29T00:30:00Z"),
                at("2026-03-29T02:00:00Z")
            )]
        );
    }

    #[test]
    fn an_override_replaces_the_weekday() {
        let spans = lisbon()
            .working(at("2026-03-30T00:00:00Z"), at("2026-03-31T00:00:00Z"))
            .unwrap();
        assert_eq!(spans, vec![], "2026-03-30 is a day off");
    }

    #[test]
    fn problems_have_paths() {
        let mut a = lisbon();
        a.time_zone = "Mars/Olympus".into();
        a.weekly.insert(
            Day::Tue,
            vec![Block {
                start: Clock(600),
                end: Clock(540),
            }],
        );
        let problems = a.problems();
        assert_eq!(problems[0].0, "time_zone");
        assert_eq!(
            problems[1],
            ("weekly.tue[0]".into(), "starts at 10:00 but ends at 09:00".into())
        );
        let bad: Result<Availability, _> =
            serde_json::from_str(r#"{"time_zone":"UTC","weekly":{"mon":[{"start":"9","end":"10:00"}]}}"#);
        assert!(bad.unwrap_err().to_string().contains("`9` is not a time of day"));
    }
}
