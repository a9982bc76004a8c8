//! iCalendar (RFC 5545): the invitations we write, and the busy times we read from
//! calendars and feeds (recurring events expanded with the `rrule` crate, moved and
//! cancelled occurrences honoured, free and cancelled events skipped).

use chinwag_scheduling::Interval;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use std::fmt::Write;

/// What an invitation says.
pub struct Invitation<'a> {
    pub uid: &'a str,
    pub sequence: i64,
    pub method: Method,
    pub start: i64,
    pub end: i64,
    /// Times are written in this zone, with its VTIMEZONE.
    pub zone: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub organizer: (&'a str, &'a str),
    pub attendee: (&'a str, &'a str),
    pub now: i64,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Method {
    Request,
    Cancel,
    /// No method: an event stored in a calendar, or downloaded with "add to calendar".
    Publish,
}

impl Invitation<'_> {
    pub fn to_ics(&self) -> String {
        let tz = TimeZone::get(self.zone).unwrap_or(TimeZone::UTC);
        let zone = if tz == TimeZone::UTC {
            None
        } else {
            Some(self.zone)
        };
        let mut lines: Vec<String> = vec![
            "BEGIN:VCALENDAR".into(),
            "VERSION:2.0".into(),
            "PRODID:-//Chinwag//Meetings//EN".into(),
            "CALSCALE:GREGORIAN".into(),
        ];
        match self.method {
            Method::Request => lines.push("METHOD:REQUEST".into()),
            Method::Cancel => lines.push("METHOD:CANCEL".into()),
            Method::Publish => {}
        }
        if let Some(name) = zone {
            lines.extend(vtimezone(&tz, name, self.start, self.end));
        }
        let when = |at: i64| match zone {
            Some(name) => format!(";TZID={name}:{}", local(&tz, at)),
            None => format!(":{}", utc(at)),
        };
        lines.extend([
            "BEGIN:VEVENT".into(),
            format!("UID:{}", self.uid),
            format!("SEQUENCE:{}", self.sequence),
            format!("DTSTAMP:{}", utc(self.now)),
            format!("DTSTART{}", when(self.start)),
            format!("DTEND{}", when(self.end)),
            format!("SUMMARY:{}", text(self.summary)),
            format!("DESCRIPTION:{}", text(self.description)),
            format!(
                "STATUS:{}",
                if self.method == Method::Cancel {
                    "CANCELLED"
                } else {
                    "CONFIRMED"
                }
            ),
            format!(
                "ORGANIZER;CN={}:mailto:{}",
                param(self.organizer.0),
                self.organizer.1
            ),
            format!(
                "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{}",
                param(self.attendee.0),
                self.attendee.1
            ),
        ]);
        if !self.location.is_empty() {
            lines.push(format!("LOCATION:{}", text(self.location)));
        }
        lines.extend(["END:VEVENT".into(), "END:VCALENDAR".into()]);
        let mut out = String::new();
        for line in lines {
            fold(&mut out, &line);
        }
        out
    }
}

/// The observance in effect over the meeting (RFC 5545 needs one per TZID used): its
/// offset, and the offset before its last change.
fn vtimezone(tz: &TimeZone, name: &str, start: i64, end: i64) -> Vec<String> {
    let mut out = vec!["BEGIN:VTIMEZONE".into(), format!("TZID:{name}")];
    let Ok(at) = Timestamp::from_second(start) else {
        return out;
    };
    // Each observance that applies between the start and the end (a meeting may cross a change).
    let mut points = vec![at];
    if let Ok(until) = Timestamp::from_second(end) {
        points.extend(
            tz.following(at)
                .take_while(|t| t.timestamp() < until)
                .map(|t| t.timestamp()),
        );
    }
    for point in points {
        let offset = tz.to_offset(point);
        let change = tz
            .preceding(
                point
                    .checked_add(jiff::SignedDuration::from_secs(1))
                    .unwrap_or(point),
            )
            .next();
        let (since, before) = match &change {
            Some(c) => (
                c.timestamp(),
                tz.to_offset(
                    c.timestamp()
                        .checked_sub(jiff::SignedDuration::from_secs(1))
                        .unwrap_or(c.timestamp()),
                ),
            ),
            None => (Timestamp::UNIX_EPOCH, offset),
        };
        let kind = if change.as_ref().is_some_and(|c| c.dst().is_dst()) {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        out.extend([
            format!("BEGIN:{kind}"),
            // RFC 5545 3.6.5: an observance's DTSTART is the local time in effect
            // before the onset (its TZOFFSETFROM), not after it.
            format!("DTSTART:{}", before.to_datetime(since).strftime("%Y%m%dT%H%M%S")),
            format!("TZOFFSETFROM:{}", offset_text(before)),
            format!("TZOFFSETTO:{}", offset_text(offset)),
            format!("END:{kind}"),
        ]);
    }
    out.push("END:VTIMEZONE".into());
    out
}

fn offset_text(offset: jiff::tz::Offset) -> String {
    let s = offset.seconds();
    let sign = if s < 0 { '-' } else { '+' };
    let s = s.abs();
    format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
}

/// A UTC date-time as iCalendar and CalDAV write it: `20261201T100000Z`.
pub fn utc(at: i64) -> String {
    Timestamp::from_second(at).map_or_else(
        |_| "19700101T000000Z".into(),
        |t| t.strftime("%Y%m%dT%H%M%SZ").to_string(),
    )
}

fn local(tz: &TimeZone, at: i64) -> String {
    Timestamp::from_second(at).map_or_else(
        |_| "19700101T000000".into(),
        |t| tz.to_datetime(t).strftime("%Y%m%dT%H%M%S").to_string(),
    )
}

/// A TEXT value: backslash, semicolon, comma and newlines escaped.
fn text(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// A parameter value (a name): quoted, without quotes or control characters inside.
fn param(value: &str) -> String {
    let clean: String = value.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    format!("\"{clean}\"")
}

/// Lines end with CRLF and fold at 75 octets, never inside a character.
fn fold(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// One property: name, parameters, value (unfolded).
struct Property<'a> {
    name: String,
    params: Vec<(String, &'a str)>,
    value: &'a str,
}

impl Property<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim_matches('"'))
    }
}

fn unfold(ics: &str) -> String {
    ics.replace("\r\n ", "")
        .replace("\r\n\t", "")
        .replace("\n ", "")
        .replace("\n\t", "")
}

fn property(line: &str) -> Option<Property<'_>> {
    // The value starts at the first colon outside a quoted parameter.
    let mut quoted = false;
    let colon = line
        .char_indices()
        .find(|&(_, c)| {
            if c == '"' {
                quoted = !quoted;
            }
            c == ':' && !quoted
        })?
        .0;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next()?.trim().to_ascii_uppercase();
    let params = parts
        .filter_map(|p| p.split_once('=').map(|(k, v)| (k.trim().to_ascii_uppercase(), v)))
        .collect();
    Some(Property {
        name,
        params,
        value: value.trim_end_matches('\r'),
    })
}

/// A time as written: UTC, in a zone, floating (read in `fallback`), or a date.
fn instant(p: &Property, fallback: &TimeZone) -> Option<(i64, bool)> {
    let v = p.value.trim();
    if p.param("VALUE") == Some("DATE") || (v.len() == 8 && !v.contains('T')) {
        let date = Date::strptime("%Y%m%d", v).ok()?;
        let at = fallback
            .to_ambiguous_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
            .compatible()
            .ok()?;
        return Some((at.as_second(), true));
    }
    let (text, is_utc) = match v.strip_suffix('Z') {
        Some(t) => (t, true),
        None => (v, false),
    };
    let dt = DateTime::strptime("%Y%m%dT%H%M%S", text).ok()?;
    let tz = if is_utc {
        TimeZone::UTC
    } else {
        match p.param("TZID").and_then(zone_name) {
            Some(name) => TimeZone::get(&name).unwrap_or_else(|_| fallback.clone()),
            None => fallback.clone(),
        }
    };
    Some((
        tz.to_ambiguous_timestamp(dt).compatible().ok()?.as_second(),
        false,
    ))
}

/// The IANA name of a `TZID`: as written (`Europe/Lisbon`, or `/Europe/Lisbon` as some
/// servers prefix it), or Outlook's Windows name (`W. Europe Standard Time`); `None`
/// for a zone neither knows, which is then read in the agent's zone.
fn zone_name(tzid: &str) -> Option<String> {
    let tzid = tzid.trim().trim_start_matches('/');
    if TimeZone::get(tzid).is_ok() {
        return Some(tzid.to_owned());
    }
    super::windows_zones::iana(tzid).map(str::to_owned)
}

/// A rule whose `UNTIL` is a date (`20261231`, Google's all-day series) or a local time,
/// with it as UTC: the series reader takes only UTC once the start has a zone (RFC
/// 5545 asks for it), and refused the whole series. A date's end of day counts, as
/// UNTIL includes its day.
fn until_in_utc(rule: &str, zone: &TimeZone) -> String {
    let parts: Vec<String> = rule
        .split(';')
        .map(|part| {
            let Some(value) = part.strip_prefix("UNTIL=") else {
                return part.to_owned();
            };
            let local = match value.len() {
                8 => Date::strptime("%Y%m%d", value)
                    .ok()
                    .map(|d| d.to_datetime(jiff::civil::time(23, 59, 59, 0))),
                15 => DateTime::strptime("%Y%m%dT%H%M%S", value).ok(),
                _ => None,
            };
            match local.and_then(|l| zone.to_ambiguous_timestamp(l).compatible().ok()) {
                Some(at) => format!("UNTIL={}", at.strftime("%Y%m%dT%H%M%SZ")),
                None => part.to_owned(),
            }
        })
        .collect();
    parts.join(";")
}

/// `PT1H30M`, `P1D`, `P2W`: seconds.
fn duration(v: &str) -> Option<i64> {
    let v = v.trim().trim_start_matches('+');
    let body = v.strip_prefix('P')?;
    let (mut total, mut number) = (0i64, 0i64);
    for c in body.chars() {
        match c {
            '0'..='9' => number = number * 10 + i64::from(c as u8 - b'0'),
            'T' => {}
            'W' => (total, number) = (total + number * 604_800, 0),
            'D' => (total, number) = (total + number * 86_400, 0),
            'H' => (total, number) = (total + number * 3_600, 0),
            'M' => (total, number) = (total + number * 60, 0),
            'S' => (total, number) = (total + number, 0),
            _ => return None,
        }
    }
    Some(total)
}

struct Event<'a> {
    uid: &'a str,
    start: Option<Property<'a>>,
    end: Option<Property<'a>>,
    duration: Option<&'a str>,
    rules: Vec<&'a str>,
    exdates: Vec<Property<'a>>,
    rdates: Vec<Property<'a>>,
    recurrence_id: Option<Property<'a>>,
    free: bool,
}

/// Busy spans between `from` and `to` in every VEVENT of `ics`. Floating times and
/// all-day events are read in `zone` (the agent's).
pub fn busy(ics: &str, zone: &TimeZone, from: i64, to: i64) -> Vec<Interval> {
    let text = unfold(ics);
    let mut events: Vec<Event> = Vec::new();
    let mut current: Option<Event> = None;
    let mut depth = 0; // inside a VALARM or other sub-component of the event
    for line in text.lines() {
        let Some(p) = property(line) else { continue };
        match (p.name.as_str(), p.value.trim().to_ascii_uppercase().as_str()) {
            ("BEGIN", "VEVENT") => {
                current = Some(Event {
                    uid: "",
                    start: None,
                    end: None,
                    duration: None,
                    rules: vec![],
                    exdates: vec![],
                    rdates: vec![],
                    recurrence_id: None,
                    free: false,
                });
                depth = 0;
            }
            ("END", "VEVENT") => events.extend(current.take()),
            ("BEGIN", _) if current.is_some() => depth += 1,
            ("END", _) if current.is_some() => depth -= 1,
            _ => {}
        }
        let Some(e) = current.as_mut().filter(|_| depth == 0) else {
            continue;
        };
        match p.name.as_str() {
            "UID" => e.uid = p.value,
            "DTSTART" => e.start = Some(p),
            "DTEND" => e.end = Some(p),
            "DURATION" => e.duration = Some(p.value),
            "RRULE" => e.rules.push(p.value),
            "EXDATE" => e.exdates.push(p),
            "RDATE" => e.rdates.push(p),
            "RECURRENCE-ID" => e.recurrence_id = Some(p),
            "TRANSP" => e.free |= p.value.trim().eq_ignore_ascii_case("TRANSPARENT"),
            "STATUS" => e.free |= p.value.trim().eq_ignore_ascii_case("CANCELLED"),
            _ => {}
        }
    }
    // Occurrences moved or cancelled by an override (RECURRENCE-ID) leave the series.
    let moved: Vec<(&str, i64)> = events
        .iter()
        .filter_map(|e| Some((e.uid, instant(e.recurrence_id.as_ref()?, zone)?.0)))
        .collect();
    let mut out = Vec::new();
    for e in &events {
        let Some((start, all_day)) = e.start.as_ref().and_then(|p| instant(p, zone)) else {
            continue;
        };
        if e.free {
            continue;
        }
        let length = match (&e.end, e.duration) {
            (Some(end), _) => instant(end, zone).map_or(0, |(end, _)| end - start),
            (None, Some(d)) => duration(d).unwrap_or(0),
            (None, None) if all_day => 86_400,
            (None, None) => 0,
        };
        if length <= 0 {
            continue;
        }
        let mut starts = vec![start];
        if e.recurrence_id.is_none() && (!e.rules.is_empty() || !e.rdates.is_empty()) {
            starts = expand(e, zone, from - length, to);
        }
        for s in starts {
            let skipped =
                moved.iter().any(|(uid, at)| *uid == e.uid && *at == s) && e.recurrence_id.is_none();
            let span = Interval::new(s, s + length);
            if !skipped && span.end > from && span.start < to {
                out.push(span);
            }
        }
    }
    out.sort();
    out
}

/// A series' starts in the window, by the `rrule` crate: DTSTART, RRULEs, RDATEs and
/// EXDATEs handed over in its own text form.
fn expand(e: &Event, zone: &TimeZone, from: i64, to: i64) -> Vec<i64> {
    use chrono::TimeZone as _;
    let Some(start) = &e.start else { return vec![] };
    let mut spec = String::new();
    let line = |name: &str, p: &Property| -> String {
        match p.param("TZID").and_then(zone_name) {
            Some(tz) => format!("{name};TZID={tz}:{}", p.value.trim()),
            None if p.value.trim().ends_with('Z') => format!("{name}:{}", p.value.trim()),
            None => {
                // Floating, a date, or a zone nobody knows: in the agent's zone.
                let name_of_zone = zone.iana_name().unwrap_or("UTC");
                let value = p.value.trim();
                let value = if value.len() == 8 {
                    format!("{value}T000000")
                } else {
                    value.to_owned()
                };
                format!("{name};TZID={name_of_zone}:{value}")
            }
        }
    };
    let _ = writeln!(spec, "{}", line("DTSTART", start));
    // The zone the start is read in, for an UNTIL written without one.
    let start_zone = match start.param("TZID").and_then(zone_name) {
        Some(name) => TimeZone::get(&name).unwrap_or_else(|_| zone.clone()),
        None => zone.clone(),
    };
    for rule in &e.rules {
        let _ = writeln!(spec, "RRULE:{}", until_in_utc(rule.trim(), &start_zone));
    }
    for p in &e.exdates {
        let _ = writeln!(spec, "{}", line("EXDATE", p));
    }
    for p in &e.rdates {
        let _ = writeln!(spec, "{}", line("RDATE", p));
    }
    let Ok(set) = spec.trim_end().parse::<rrule::RRuleSet>() else {
        // A rule we cannot read: the first occurrence still counts.
        return instant(start, zone).map(|(s, _)| vec![s]).unwrap_or_default();
    };
    let (Some(after), Some(before)) = (
        rrule::Tz::UTC.timestamp_opt(from - 1, 0).single(),
        rrule::Tz::UTC.timestamp_opt(to, 0).single(),
    ) else {
        return vec![];
    };
    set.after(after)
        .before(before)
        .all(5_000)
        .dates
        .iter()
        .map(|d| d.timestamp())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_second()
    }

    const SERIES: &str = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:s\r\nDTSTART;TZID=Europe/Lisbon:20261019T100000\r\nDTEND;TZID=Europe/Lisbon:20261019T110000\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE;TZID=Europe/Lisbon:20261102T100000\r\nBEGIN:VALARM\r\nTRIGGER:-PT5M\r\nDTSTART:20000101T000000Z\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:s\r\nRECURRENCE-ID;TZID=Europe/Lisbon:20261109T100000\r\nDTSTART;TZID=Europe/Lisbon:20261109T150000\r\nDTEND;TZID=Europe/Lisbon:20261109T160000\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:free\r\nDTSTART:20261020T090000Z\r\nDTEND:20261020T100000Z\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:day\r\nDTSTART;VALUE=DATE:20261021\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn a_weekly_series_across_the_autumn_change_with_an_exception_and_a_move() {
        let lisbon = TimeZone::get("Europe/Lisbon").unwrap();
        let spans = busy(
            SERIES,
            &lisbon,
            at("2026-10-01T00:00:00Z"),
            at("2026-12-01T00:00:00Z"),
        );
        assert_eq!(
            spans,
            vec![
                // 10:00 Lisbon summer time (UTC+1), then winter time (UTC+0) after 25 October.
                Interval::new(at("2026-10-19T09:00:00Z"), at("2026-10-19T10:00:00Z")),
                // All day in the agent's zone: Lisbon's midnight is 23:00 UTC in summer.
                Interval::new(at("2026-10-20T23:00:00Z"), at("2026-10-21T23:00:00Z")),
                Interval::new(at("2026-10-26T10:00:00Z"), at("2026-10-26T11:00:00Z")),
                // 2 November excluded; 9 November moved to 15:00.
                Interval::new(at("2026-11-09T15:00:00Z"), at("2026-11-09T16:00:00Z")),
            ]
        );
    }

    #[test]
    fn an_outlook_series_in_a_windows_zone_is_busy_at_its_own_hours() {
        // Outlook and Exchange name zones the Windows way; the agent is in New York, so
        // reading them in the agent's zone would be six hours off.
        let outlook = "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:o\r\nDTSTART;TZID=\"W. Europe Standard Time\":20261019T100000\r\nDTEND;TZID=\"W. Europe Standard Time\":20261019T110000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEXDATE;TZID=W. Europe Standard Time:20261026T100000\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTART;TZID=Nowhere Standard Time:20261020T100000\r\nDTEND;TZID=Nowhere Standard Time:20261020T110000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let new_york = TimeZone::get("America/New_York").unwrap();
        let spans = busy(
            outlook,
            &new_york,
            at("2026-10-01T00:00:00Z"),
            at("2026-12-01T00:00:00Z"),
        );
        assert_eq!(
            spans,
            vec![
                // 10:00 in Berlin: UTC+2 until 25 October, UTC+1 after.
                Interval::new(at("2026-10-19T08:00:00Z"), at("2026-10-19T09:00:00Z")),
                // A zone nobody knows: read in the agent's zone, as before.
                Interval::new(at("2026-10-20T14:00:00Z"), at("2026-10-20T15:00:00Z")),
                // 26 October excluded; the series goes on past its first meeting.
                Interval::new(at("2026-11-02T09:00:00Z"), at("2026-11-02T10:00:00Z")),
            ]
        );
    }

    #[test]
    fn an_all_day_weekly_series_with_an_end_date_is_busy_every_week() {
        // Google writes an all-day series' end as a date: every Friday of it is busy.
        let fridays = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:f\r\nDTSTART;VALUE=DATE:20260102\r\nRRULE:FREQ=WEEKLY;UNTIL=20261231;BYDAY=FR\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:g\r\nDTSTART:20261005T090000\r\nDTEND:20261005T100000\r\nRRULE:FREQ=DAILY;UNTIL=20261006T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let utc = TimeZone::UTC;
        let spans = busy(
            fridays,
            &utc,
            at("2026-10-01T00:00:00Z"),
            at("2026-10-20T00:00:00Z"),
        );
        assert_eq!(
            spans,
            vec![
                Interval::new(at("2026-10-02T00:00:00Z"), at("2026-10-03T00:00:00Z")),
                // A floating daily series until a local time: both days.
                Interval::new(at("2026-10-05T09:00:00Z"), at("2026-10-05T10:00:00Z")),
                Interval::new(at("2026-10-06T09:00:00Z"), at("2026-10-06T10:00:00Z")),
                Interval::new(at("2026-10-09T00:00:00Z"), at("2026-10-10T00:00:00Z")),
                Interval::new(at("2026-10-16T00:00:00Z"), at("2026-10-17T00:00:00Z")),
            ]
        );
    }

    #[test]
    fn invitations_fold_escape_and_carry_their_zone() {
        let ics = Invitation {
            uid: "m1@chinwag",
            sequence: 2,
            method: Method::Request,
            start: at("2026-10-19T09:00:00Z"),
            end: at("2026-10-19T09:30:00Z"),
            zone: "Europe/Lisbon",
            summary: "Demo; with Ana, and a very long summary that goes on and on past seventy-five octets",
            description: "Line one\nline two",
            location: "",
            organizer: ("Ana \"A\" Lima", "ana@example.com"),
            attendee: ("Bo", "bo@example.com"),
            now: at("2026-10-01T00:00:00Z"),
        }
        .to_ics();
        assert!(ics.contains("METHOD:REQUEST\r\n") && ics.contains("SEQUENCE:2\r\n"));
        assert!(
            ics.contains("DTSTART;TZID=Europe/Lisbon:20261019T100000\r\n"),
            "{ics}"
        );
        assert!(ics.contains("TZOFFSETTO:+0100"), "{ics}");
        // Summer time began at 01:00 UTC on 29 March 2026: 01:00 by the clocks before it.
        assert!(ics.contains("DTSTART:20260329T010000\r\n"), "{ics}");
        assert!(ics.contains("DESCRIPTION:Line one\\nline two"));
        assert!(ics.contains("ORGANIZER;CN=\"Ana A Lima\":mailto:ana@example.com"));
        assert!(ics.lines().all(|l| l.len() <= 75), "{ics}");
        assert!(ics.contains("SUMMARY:Demo\\; with Ana\\, and"));
        // What we write, we read back at the same instants.
        let lisbon = TimeZone::get("Europe/Lisbon").unwrap();
        let back = busy(
            &ics,
            &lisbon,
            at("2026-10-01T00:00:00Z"),
            at("2026-11-01T00:00:00Z"),
        );
        assert_eq!(
            back,
            vec![Interval::new(
                at("2026-10-19T09:00:00Z"),
                at("2026-10-19T09:30:00Z")
            )]
        );
    }

    #[test]
    fn durations() {
        assert_eq!(duration("PT1H30M"), Some(5400));
        assert_eq!(duration("P1DT2H"), Some(93_600));
        assert_eq!(duration("P2W"), Some(1_209_600));
        assert_eq!(duration("1H"), None);
    }
}
