//! The slot rules hold in every IANA zone over a whole year, daylight saving included:
//! each host zone paired with another visitor zone, every slot offered is inside the
//! host's working hours in the host's zone, starts on a clean step in the visitor's
//! zone, and round-trips visitor-local → UTC → visitor-local.

use chinwag_scheduling::{slots, Availability, Host, Rules};
use jiff::tz::{self, AmbiguousOffset, TimeZone};
use jiff::Timestamp;

const WEEK: &str = r#"{"mon":[{"start":"09:00","end":"12:00"},{"start":"13:00","end":"17:30"}],
    "tue":[{"start":"09:00","end":"17:30"}],"wed":[{"start":"08:15","end":"11:45"}],
    "thu":[{"start":"09:00","end":"17:30"}],"fri":[{"start":"10:00","end":"16:00"}],
    "sat":[{"start":"10:00","end":"14:00"}]}"#;

#[test]
fn every_zone_over_a_year() {
    let names: Vec<String> = tz::db().available().map(|n| n.as_str().to_owned()).collect();
    assert!(
        names.len() > 400,
        "the bundled IANA database: {} zones",
        names.len()
    );
    let now = "2026-01-01T00:00:00Z".parse::<Timestamp>().unwrap().as_second();
    let mut offered = 0usize;
    for (i, host_zone) in names.iter().enumerate() {
        let visitor_name = &names[(i * 7 + 3) % names.len()];
        let visitor = TimeZone::get(visitor_name).unwrap();
        let availability: Availability = serde_json::from_str(&format!(
            r#"{{"time_zone":"{host_zone}","weekly":{WEEK},"overrides":[{{"date":"2026-07-14","blocks":[]}}]}}"#
        ))
        .unwrap();
        let host_tz = availability.zone().unwrap();
        // Alternate steps so 15-minute offsets (Kathmandu, Chatham) meet coarse and fine grids.
        let step = [30, 15, 60][i % 3];
        let rules = Rules {
            length_minutes: 45,
            step_minutes: step,
            notice_minutes: 0,
            days_ahead: 365,
            ..Rules::default()
        };
        let host = Host {
            availability: &availability,
            busy: &[],
            meetings: &[],
        };
        let found = slots(&[host], &rules, now, &visitor);
        assert!(!found.is_empty(), "{host_zone}: no slot in a year");
        offered += found.len();
        for slot in &found {
            let at = Timestamp::from_second(slot.start).unwrap();
            let end = Timestamp::from_second(slot.end).unwrap();
            // Inside a working block, by the host's clock, on one local date.
            let (s, e) = (host_tz.to_datetime(at), host_tz.to_datetime(end));
            let blocks = availability.blocks_on(s.date());
            let minute = |t: jiff::civil::DateTime| (t.hour() as u16) * 60 + t.minute() as u16;
            let inside = e.date() == s.date()
                && blocks
                    .iter()
                    .any(|b| b.start.0 <= minute(s) && minute(e) <= b.end.0);
            assert!(
                inside,
                "{host_zone}: {at} to {end} is {s} to {e} there, outside {blocks:?}"
            );
            // A clean step in the visitor's zone.
            let local = visitor.to_datetime(at);
            assert!(
                local.second() == 0 && minute(local) % step as u16 == 0,
                "{visitor_name}: {local} is not on a {step}-minute step"
            );
            // Visitor-local → UTC → visitor-local.
            let back = match visitor.to_ambiguous_timestamp(local).offset() {
                AmbiguousOffset::Unambiguous { offset } => vec![offset],
                AmbiguousOffset::Fold { before, after } => vec![before, after],
                AmbiguousOffset::Gap { .. } => vec![],
            };
            assert!(
                back.iter().any(|o| o.to_timestamp(local).ok() == Some(at)),
                "{visitor_name}: {local} does not lead back to {at}"
            );
        }
    }
    println!("{offered} slots checked in {} zones", names.len());
}
