//! Slot computation for a 10-host team over 30 days, each host in another zone with a
//! busy calendar (an event every working morning) and a few meetings. Prints the median
//! of 21 runs. `cargo run --release -p chinwag-scheduling --example bench`

use chinwag_scheduling::{slots, Availability, Booked, Host, Interval, Rules};
use jiff::tz::TimeZone;
use std::time::Instant;

fn main() {
    let zones = [
        "Europe/Lisbon",
        "America/Sao_Paulo",
        "Europe/Rome",
        "Europe/Stockholm",
        "Asia/Shanghai",
        "America/New_York",
        "Asia/Kolkata",
        "Australia/Sydney",
        "America/Los_Angeles",
        "Asia/Kathmandu",
    ];
    let now = 1_795_000_000; // 2026-11-19
    let day = r#"[{"start":"09:00","end":"12:00"},{"start":"13:00","end":"18:00"}]"#;
    let availabilities: Vec<Availability> = zones
        .iter()
        .map(|z| {
            serde_json::from_str(&format!(
                r#"{{"time_zone":"{z}","weekly":{{"mon":{day},"tue":{day},"wed":{day},"thu":{day},"fri":{day}}}}}"#
            ))
            .unwrap()
        })
        .collect();
    let busy: Vec<Vec<Interval>> = (0..10)
        .map(|h| {
            (0..30)
                .map(|d| Interval::new(now + d * 86_400 + h * 3_600, now + d * 86_400 + h * 3_600 + 5_400))
                .collect()
        })
        .collect();
    let meetings: Vec<Vec<Booked>> = (0..10)
        .map(|h| {
            (0..8)
                .map(|d| {
                    let meeting = Interval::new(
                        now + d * 3 * 86_400 + 7_200 + h * 600,
                        now + d * 3 * 86_400 + 9_000 + h * 600,
                    );
                    // Booked with the rules' 10 minutes on either side.
                    Booked {
                        meeting,
                        held: Interval::new(meeting.start - 600, meeting.end + 600),
                    }
                })
                .collect()
        })
        .collect();
    let hosts: Vec<Host> = (0..10)
        .map(|i| Host {
            availability: &availabilities[i],
            busy: &busy[i],
            meetings: &meetings[i],
        })
        .collect();
    let rules = Rules {
        length_minutes: 30,
        step_minutes: 15,
        buffer_before_minutes: 10,
        buffer_after_minutes: 10,
        notice_minutes: 240,
        days_ahead: 30,
        daily_cap: Some(6),
    };
    let visitor = TimeZone::get("America/Chicago").unwrap();
    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..21 {
        let start = Instant::now();
        count = slots(&hosts, &rules, now, &visitor).len();
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "10 hosts, 30 days, 15-minute steps: {count} slots in {:.2} ms (median of 21 runs)",
        times[10].as_secs_f64() * 1000.0
    );
}
