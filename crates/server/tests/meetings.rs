//! Meetings through the real server, a real CalDAV server (Radicale) and a real SMTP
//! server (aiosmtpd), both started here on loopback: busy times read (recurring events
//! across a daylight-saving change), no double booking under 50 concurrent visitors,
//! an event that appears after the listing, a broken calendar never free, round robin
//! with its reason, invitations with valid iCalendar parts, reschedule and cancel.

mod services;
mod support;

use chinwag_scheduling::Availability;
use chinwag_server::meetings::store;
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use serde_json::{json, Value};
use services::{Radicale, Smtp};
use std::path::Path;
use support::*;

const MEET_ANA: &str = r#"{"id":"meet-ana","name":"Meet Ana","stream":[
  {"type":"meeting","id":"solo","hosts":{"agents":["ana"]},"duration_minutes":30,"fallback":"No time free"}]}"#;
const MEET_TEAM: &str = r#"{"id":"meet-team","name":"Meet the team","stream":[
  {"type":"meeting","id":"pair","hosts":{"agents":["ana","ben"]},"duration_minutes":30,"fallback":"No time free"}]}"#;

const LISBON_TZ: &str = "BEGIN:VTIMEZONE\nTZID:Europe/Lisbon\nBEGIN:STANDARD\nDTSTART:19961027T020000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0000\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:19960331T010000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nTZOFFSETFROM:+0000\nTZOFFSETTO:+0100\nEND:DAYLIGHT\nEND:VTIMEZONE\n";

fn lisbon() -> TimeZone {
    TimeZone::get("Europe/Lisbon").unwrap()
}

/// A Lisbon wall-clock time as Unix seconds.
fn at(date: Date, hour: i8, minute: i8) -> i64 {
    lisbon()
        .to_timestamp(DateTime::from_parts(date, Time::new(hour, minute, 0, 0).unwrap()))
        .unwrap()
        .as_second()
}

fn today() -> Date {
    jiff::Timestamp::now().to_zoned_datetime(lisbon()).date()
}

/// The first `day` at least `after` days from today.
fn next(day: Weekday, after: i32) -> Date {
    let mut d = today().checked_add(jiff::Span::new().days(after)).unwrap();
    while d.weekday() != day {
        d = d.tomorrow().unwrap();
    }
    d
}

/// The dialogues, both agents working 09:00–17:00 Lisbon on weekdays, and the site's
/// meeting settings.
async fn setup(db: &Path, settings: Value) {
    let pool = support::db(db).await;
    for d in [MEET_ANA, MEET_TEAM] {
        chinwag_server::console::setup::put_dialogue(&pool, "demo", d)
            .await
            .unwrap();
    }
    let day = json!([{ "start": "09:00", "end": "17:00" }]);
    let availability: Availability = serde_json::from_value(json!({
        "time_zone": "Europe/Lisbon",
        "weekly": { "mon": day, "tue": day, "wed": day, "thu": day, "fri": day }
    }))
    .unwrap();
    for agent in ["ana", "ben"] {
        store::put_availability(&pool, agent, &availability)
            .await
            .unwrap();
    }
    store::put_settings(&pool, "demo", &settings.to_string())
        .await
        .unwrap();
    pool.close().await;
}

/// A booked meeting of `host` as the tests insert it directly, synced, no buffers.
fn booked(id: &str, host: &str, start: i64, end: i64) -> store::Meeting {
    store::Meeting {
        id: id.into(),
        site_id: "demo".into(),
        dialogue_id: "d".into(),
        card: "c".into(),
        host_id: host.into(),
        start_at: start,
        end_at: end,
        busy_from: start,
        busy_until: end,
        status: chinwag_server::meetings::store::Status::Booked,
        outcome: None,
        visitor_name: "V".into(),
        visitor_email: "v@example.com".into(),
        visitor_zone: "UTC".into(),
        locale: "en".into(),
        reason: json!({}),
        sequence: 0,
        transcript: json!([]),
        calendar_synced: true,
        created_at: 0,
        updated_at: 0,
    }
}

async fn connect_calendar(db: &Path, agent: &str, url: &str, user: &str, password: &str) {
    let pool = support::db(db).await;
    let sealer = chinwag_server::access::secrets::Sealer::new(SECRET);
    let calendar = store::StoredCalendar {
        kind: chinwag_server::meetings::store::CalendarKind::CalDav,
        url: url.into(),
        username: user.into(),
        sealed_password: sealer.seal(password),
        problem: None,
        checked_at: None,
    };
    store::put_calendar(&pool, agent, &calendar).await.unwrap();
    pool.close().await;
}

async fn slots(server: &Server, dialogue: &str, card: &str) -> Vec<i64> {
    let url = server.url(&format!(
        "/api/sites/demo/meetings/slots?dialogue={dialogue}&card={card}&zone=Europe/Lisbon"
    ));
    let response = reqwest::Client::new()
        .get(url)
        .header("origin", SITE_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_i64().unwrap())
        .collect()
}

async fn book(server: &Server, dialogue: &str, card: &str, start: i64, email: &str) -> (u16, Value) {
    let body = json!({ "dialogue": dialogue, "card": card, "start": start, "zone": "Europe/Lisbon", "locale": "pt-BR",
        "name": "Bea Costa", "email": email, "transcript": [["bot", "Pick a time"]] });
    let response = reqwest::Client::new()
        .post(server.url("/api/sites/demo/meetings"))
        .header("origin", SITE_ORIGIN)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn change(server: &Server, meeting: &Value, action: &str, start: Option<i64>) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(server.url(&format!(
            "/api/meetings/{}/{action}",
            meeting["id"].as_str().unwrap()
        )))
        .header("origin", SITE_ORIGIN)
        .json(&json!({ "token": meeting["token"], "start": start }))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

fn settings(days_ahead: u32) -> Value {
    json!({ "rules": { "notice_minutes": 0, "days_ahead": days_ahead, "step_minutes": 30 } })
}

#[tokio::test]
async fn busy_times_from_caldav_recurring_across_daylight_saving_are_not_offered() {
    let radicale = Radicale::start(&[("ana", "ana-pass")]);
    let calendar = radicale.calendar("ana", "ana-pass", "work").await;
    let first = next(Weekday::Monday, 2);
    // The second Monday after Lisbon's next change of clocks (spring or autumn, at most
    // about seven months on): across a change whatever day the test runs.
    let noon = jiff::Timestamp::from_second(at(first, 12, 0)).unwrap();
    let change = lisbon().following(noon).next().unwrap().timestamp();
    let mut changed = change.to_zoned_datetime(lisbon()).date().tomorrow().unwrap();
    while changed.weekday() != Weekday::Monday {
        changed = changed.tomorrow().unwrap();
    }
    let changed = changed.checked_add(jiff::Span::new().days(7)).unwrap();
    let days_ahead = today().until(changed).unwrap().get_days() + 2;
    let series = format!(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{LISBON_TZ}BEGIN:VEVENT\nUID:weekly\nDTSTAMP:20261101T000000Z\nDTSTART;TZID=Europe/Lisbon:{d}T100000\nDTEND;TZID=Europe/Lisbon:{d}T110000\nRRULE:FREQ=WEEKLY;COUNT=45\nSUMMARY:Standup\nEND:VEVENT\nEND:VCALENDAR\n",
        d = first.strftime("%Y%m%d")
    );
    radicale
        .put(&calendar, "ana", "ana-pass", "weekly", &series)
        .await;
    let (_dir, db) = temp_db();
    setup(&db, settings(days_ahead as u32)).await;
    connect_calendar(&db, "ana", &calendar, "ana", "ana-pass").await;
    let server = Server::start(&db).await;

    let offered = slots(&server, "meet-ana", "solo").await;
    // The first Monday and a Monday after the change of clocks.
    for monday in [first, changed] {
        for (h, m) in [(10, 0), (10, 30)] {
            assert!(
                !offered.contains(&at(monday, h, m)),
                "{monday} {h}:{m:02} is in the standup"
            );
        }
        for (h, m) in [(9, 30), (11, 0)] {
            assert!(offered.contains(&at(monday, h, m)), "{monday} {h}:{m:02} is free");
        }
    }
    // Health recorded: this calendar reads fine.
    let pool = support::db(&db).await;
    assert_eq!(
        store::calendar(&pool, "ana").await.unwrap().unwrap().problem,
        None
    );
    server.stop().await;
}

#[tokio::test]
async fn an_event_that_appears_after_the_listing_refuses_the_booking() {
    let radicale = Radicale::start(&[("ana", "ana-pass")]);
    let calendar = radicale.calendar("ana", "ana-pass", "work").await;
    let (_dir, db) = temp_db();
    setup(&db, settings(14)).await;
    connect_calendar(&db, "ana", &calendar, "ana", "ana-pass").await;
    let server = Server::start(&db).await;
    let tuesday = next(Weekday::Tuesday, 2);
    let wanted = at(tuesday, 14, 0);
    assert!(slots(&server, "meet-ana", "solo").await.contains(&wanted));
    // Ana's own calendar fills the time after the visitor saw it.
    let event = format!(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\nBEGIN:VEVENT\nUID:dentist\nDTSTAMP:20261101T000000Z\nDTSTART:{}\nDTEND:{}\nSUMMARY:Dentist\nEND:VEVENT\nEND:VCALENDAR\n",
        utc(wanted - 900),
        utc(wanted + 900)
    );
    radicale
        .put(&calendar, "ana", "ana-pass", "dentist", &event)
        .await;
    let (status, body) = book(&server, "meet-ana", "solo", wanted, "bea@example.com").await;
    assert_eq!(status, 409, "{body}");
    let fresh: Vec<i64> = body["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_i64().unwrap())
        .collect();
    assert!(
        !fresh.contains(&wanted) && fresh.contains(&at(tuesday, 15, 0)),
        "fresh slots come with the refusal"
    );
    server.stop().await;
}

/// A start no listing offers is a bad request with its reason (400), not "that time was
/// just taken" (409): off the step grid, passed, past `days_ahead`; booking or moving.
/// A time taken meanwhile stays 409 with fresh slots. Times are picked from what the
/// listing offers, whatever today is.
#[tokio::test]
async fn a_time_never_offered_is_refused_with_its_reason_and_a_taken_one_as_taken() {
    let (_dir, db) = temp_db();
    setup(&db, settings(7)).await;
    let server = Server::start(&db).await;
    let offered = slots(&server, "meet-ana", "solo").await;
    let first = *offered.first().expect("a week of working days offers times");
    let day = 86_400;
    let never = [
        (first + 600, "not a start time"),
        (first - 8 * day, "that time has passed"),
        (first + 8 * day, "at most 7 days ahead"),
    ];
    for (start, reason) in never {
        let (status, body) = book(&server, "meet-ana", "solo", start, "bea@example.com").await;
        assert_eq!(
            (status, body["slots"].is_null()),
            (400, true),
            "{}: {body}",
            utc(start)
        );
        let error = body["error"].as_str().unwrap();
        assert!(error.contains(reason), "{}: {error}", utc(start));
    }
    let (status, meeting) = book(&server, "meet-ana", "solo", first, "bea@example.com").await;
    assert_eq!(status, 201, "{meeting}");
    let (status, body) = book(&server, "meet-ana", "solo", first, "cy@example.com").await;
    assert_eq!(status, 409, "taken meanwhile: {body}");
    assert!(body["error"].as_str().unwrap().contains("just taken"), "{body}");
    assert!(body["slots"].is_array(), "{body}");
    for (start, reason) in never {
        let (status, body) = change(&server, &meeting, "reschedule", Some(start)).await;
        assert_eq!(status, 400, "{}: {body}", utc(start));
        assert!(body["error"].as_str().unwrap().contains(reason), "{body}");
    }
    server.stop().await;
}

fn utc(at: i64) -> String {
    jiff::Timestamp::from_second(at)
        .unwrap()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

#[tokio::test]
async fn fifty_visitors_booking_one_slot_at_once_make_one_meeting() {
    let (_dir, db) = temp_db();
    setup(&db, settings(14)).await;
    let server = Server::start(&db).await;
    let wanted = at(next(Weekday::Wednesday, 2), 11, 0);
    let attempts = (0..50).map(|i| {
        let server = &server;
        async move { book(server, "meet-ana", "solo", wanted, &format!("v{i}@example.com")).await }
    });
    let results = futures_util::future::join_all(attempts).await;
    let won: Vec<&Value> = results
        .iter()
        .filter(|(s, _)| *s == 201)
        .map(|(_, b)| b)
        .collect();
    let taken = results
        .iter()
        .filter(|(s, b)| *s == 409 && b["slots"].is_array())
        .count();
    assert_eq!((won.len(), taken), (1, 49), "{results:?}");
    let pool = support::db(&db).await;
    assert_eq!(store::list(&pool, Some("ana")).await.unwrap().len(), 1);
    assert!(!slots(&server, "meet-ana", "solo").await.contains(&wanted));
    server.stop().await;
}

#[tokio::test]
async fn twenty_visitors_booking_one_day_at_once_never_pass_its_daily_cap() {
    let (_dir, db) = temp_db();
    let mut capped = settings(14);
    capped["rules"]["daily_cap"] = json!(2);
    setup(&db, capped).await;
    let server = Server::start(&db).await;
    // Twenty different times of one Wednesday, all offered, booked at the same moment.
    let day = next(Weekday::Wednesday, 2);
    let attempts = (0..20).map(|i| {
        let server = &server;
        let start = at(day, 9, 0) + i * 1800;
        async move { book(server, "meet-ana", "solo", start, &format!("v{i}@example.com")).await }
    });
    let results = futures_util::future::join_all(attempts).await;
    let won = results.iter().filter(|(s, _)| *s == 201).count();
    assert_eq!(won, 2, "{results:?}");
    let pool = support::db(&db).await;
    assert_eq!(store::list(&pool, Some("ana")).await.unwrap().len(), 2);
    server.stop().await;
}

#[tokio::test]
async fn the_database_refuses_overlapping_meetings_whatever_the_code_does() {
    let (_dir, db) = temp_db();
    let pool = support::db(&db).await;
    let meeting = |id: &str, start: i64, end: i64| store::Meeting {
        busy_from: start - 600,
        busy_until: end + 600,
        ..booked(id, "ana", start, end)
    };
    store::insert(&pool, &meeting("a", 10_000, 11_800), "p")
        .await
        .unwrap();
    // Overlapping, or inside the first one's buffer: refused by the triggers.
    for (start, end) in [(11_000, 12_800), (12_000, 13_800), (8_000, 9_500)] {
        let e = store::insert(&pool, &meeting("b", start, end), "p")
            .await
            .unwrap_err();
        assert!(store::is_overlap(&e), "{start}: {e}");
    }
    store::insert(&pool, &meeting("c", 13_000, 14_800), "p")
        .await
        .unwrap();
    let moved = store::reschedule(
        &pool,
        "c",
        chinwag_scheduling::Interval::new(11_000, 12_000),
        chinwag_scheduling::Interval::new(10_400, 12_600),
        1,
    )
    .await;
    assert!(
        store::is_overlap(&moved.unwrap_err()),
        "a move into another meeting"
    );
}

#[tokio::test]
async fn an_unreadable_calendar_is_never_free_and_the_team_books_around_it() {
    let radicale = Radicale::start(&[("ana", "ana-pass"), ("ben", "ben-pass")]);
    let calendar = radicale.calendar("ana", "ana-pass", "work").await;
    let bens = radicale.calendar("ben", "ben-pass", "work").await;
    let (_dir, db) = temp_db();
    // 14 days: the Thursday booked below is up to 8 days and 10 hours away.
    setup(&db, settings(14)).await;
    connect_calendar(&db, "ana", &calendar, "ana", "wrong-password").await;
    connect_calendar(&db, "ben", &bens, "ben", "ben-pass").await;
    // More of Ana's older meetings than one round reads wait to be written to her
    // broken calendar.
    let pool = support::db(&db).await;
    for i in 0..60 {
        let start = at(next(Weekday::Monday, 3), 10, 0) + i * 3600;
        let waiting = store::Meeting {
            calendar_synced: false,
            ..booked(&format!("ana-waiting-{i}"), "ana", start, start + 1800)
        };
        store::insert(&pool, &waiting, "p").await.unwrap();
    }
    pool.close().await;
    let server = Server::start(&db).await;
    assert_eq!(
        slots(&server, "meet-ana", "solo").await,
        Vec::<i64>::new(),
        "never free"
    );
    let pool = support::db(&db).await;
    let problems = store::calendar_problems(&pool).await.unwrap();
    assert_eq!(
        problems,
        vec![(
            "ana".into(),
            "Ana Admin".into(),
            "the calendar refused the user name or password".into()
        )]
    );
    // An admin sees it in the inbox's API.
    let admin = agent(&server, "ana@demo.chinwag").await;
    let shown: Value = admin.get_json(&server, "/api/calendar-problems").await;
    assert_eq!(
        shown[0]["problem"],
        "the calendar refused the user name or password"
    );

    let wanted = at(next(Weekday::Thursday, 2), 10, 0);
    let (status, booked) = book(&server, "meet-team", "pair", wanted, "bea@example.com").await;
    assert_eq!(status, 201, "{booked}");
    let m = store::meeting(&pool, booked["id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.host_id, "ben");
    assert_eq!(
        m.reason["skipped"],
        json!([{ "host": "ana", "why": "calendar_unreadable" }])
    );
    // Ana's broken calendar does not hold up Ben's: his meeting is written to his.
    let uid = format!("{}chinwag", m.id);
    let stored = wait_until(|| radicale.get(&bens, "ben", "ben-pass", &uid)).await;
    assert!(stored.contains("SEQUENCE:0"), "{stored}");
    server.stop().await;
}

#[tokio::test]
async fn round_robin_takes_turns_and_keeps_its_place_across_restarts() {
    let (_dir, db) = temp_db();
    setup(&db, settings(14)).await;
    let day = next(Weekday::Monday, 2);
    let mut hosts = Vec::new();
    for hour in [9, 10, 11] {
        // A restart between bookings: the position is stored.
        let server = Server::start(&db).await;
        let (status, booked) = book(&server, "meet-team", "pair", at(day, hour, 0), "bea@example.com").await;
        assert_eq!(status, 201, "{booked}");
        let pool = support::db(&db).await;
        let m = store::meeting(&pool, booked["id"].as_str().unwrap())
            .await
            .unwrap()
            .unwrap();
        hosts.push((m.host_id, m.reason["after"].clone()));
        server.stop().await;
    }
    assert_eq!(
        hosts,
        vec![
            ("ana".into(), Value::Null),
            ("ben".into(), json!("ana")),
            ("ana".into(), json!("ben"))
        ]
    );
}

/// Sixteen visitors book sixteen different times at once, half on each of two nodes
/// (one database): round robin still takes turns, eight each. Each booking moves the
/// position only from the host it picked after; a booking that lost the race picks
/// again (before, two bookings could read the same position and give one host two
/// turns in a row).
#[tokio::test]
async fn simultaneous_bookings_on_two_nodes_take_round_robin_turns() {
    let (_dir, db) = temp_db();
    setup(&db, settings(14)).await;
    let (a, b) = (Server::start(&db).await, Server::start(&db).await);
    let day = next(Weekday::Tuesday, 2);
    let attempts = (0..16).map(|i| {
        let server = if i % 2 == 0 { &a } else { &b };
        let start = at(day, 9 + (i / 2) as i8, 30 * (i % 2) as i8);
        async move { book(server, "meet-team", "pair", start, &format!("v{i}@example.com")).await }
    });
    let results = futures_util::future::join_all(attempts).await;
    assert!(results.iter().all(|(s, _)| *s == 201), "{results:?}");
    let pool = support::db(&db).await;
    let ana = store::list(&pool, Some("ana")).await.unwrap().len();
    let ben = store::list(&pool, Some("ben")).await.unwrap().len();
    assert_eq!((ana, ben), (8, 8), "turns taken in order");
}

/// The text/calendar part of a raw message, parsed: (METHOD, SEQUENCE, DTSTART line).
fn invitation(raw: &[u8]) -> (String, String, String, String) {
    let mail = mailparse::parse_mail(raw).unwrap();
    let to = mail
        .headers
        .iter()
        .find(|h| h.get_key() == "To")
        .unwrap()
        .get_value();
    let part = mail
        .subparts
        .iter()
        .find(|p| p.ctype.mimetype == "text/calendar")
        .expect("a text/calendar part");
    let text = part.get_body().unwrap();
    let unfolded = icalendar::parser::unfold(&text);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    let method = calendar
        .properties
        .iter()
        .find(|p| p.name == "METHOD")
        .unwrap()
        .val
        .to_string();
    let event = calendar.components.iter().find(|c| c.name == "VEVENT").unwrap();
    let prop = |n: &str| event.find_prop(n).map(|p| p.val.to_string()).unwrap_or_default();
    assert!(prop("UID").ends_with("@chinwag"));
    (to, method, prop("SEQUENCE"), prop("DTSTART"))
}

#[tokio::test]
async fn invitations_reach_a_real_smtp_server_and_follow_reschedule_and_cancel() {
    let smtp = Smtp::start();
    let radicale = Radicale::start(&[("ana", "ana-pass")]);
    let calendar = radicale.calendar("ana", "ana-pass", "work").await;
    let (_dir, db) = temp_db();
    setup(&db, settings(14)).await;
    connect_calendar(&db, "ana", &calendar, "ana", "ana-pass").await;
    let server = Server::start_with(&db, "127.0.0.1:0", |c| c.smtp_url = smtp.url.clone()).await;
    let day = next(Weekday::Friday, 2);
    let (status, booked) = book(&server, "meet-ana", "solo", at(day, 15, 0), "bea@example.com").await;
    assert_eq!(status, 201, "{booked}");
    let id = booked["id"].as_str().unwrap();

    let mails = smtp.wait_for(2).await;
    assert_eq!(mails.len(), 2);
    let mut got: Vec<_> = mails.iter().map(|m| invitation(m)).collect();
    got.sort();
    assert!(
        got[0].0.contains("ana@demo.chinwag") && got[1].0.contains("bea@example.com"),
        "{got:?}"
    );
    for (_, method, sequence, start) in &got {
        assert_eq!((method.as_str(), sequence.as_str()), ("REQUEST", "0"));
        assert_eq!(
            start,
            &format!("{}T150000", day.strftime("%Y%m%d")),
            "in Lisbon time with its TZID"
        );
    }
    let raw = mails
        .iter()
        .find(|m| String::from_utf8_lossy(m).contains("To: \"Bea Costa\""))
        .unwrap();
    let visitor_mail = mailparse::parse_mail(raw).unwrap();
    let subject = visitor_mail
        .headers
        .iter()
        .find(|h| h.get_key() == "Subject")
        .unwrap()
        .get_value();
    assert!(
        subject.starts_with("Reunião marcada"),
        "in the visitor's language: {subject}"
    );
    // The host's calendar holds the event.
    let uid = format!("{id}chinwag");
    let stored = wait_until(|| radicale.get(&calendar, "ana", "ana-pass", &uid)).await;
    assert!(stored.contains("SEQUENCE:0"), "{stored}");

    let (status, moved) = change(&server, &booked, "reschedule", Some(at(day, 16, 0))).await;
    assert_eq!(status, 200, "{moved}");
    let mails = smtp.wait_for(4).await;
    let last: Vec<_> = mails[2..].iter().map(|m| invitation(m)).collect();
    assert!(
        last.iter()
            .all(|(_, m, s, start)| m == "REQUEST" && s == "1" && start.ends_with("T160000")),
        "{last:?}"
    );
    let stored = wait_until_text(|| radicale.get(&calendar, "ana", "ana-pass", &uid), "SEQUENCE:1").await;
    assert!(stored.contains("T160000"));

    let (status, cancelled) = change(&server, &booked, "cancel", None).await;
    assert_eq!((status, cancelled["status"].as_str()), (200, Some("cancelled")));
    let mails = smtp.wait_for(6).await;
    let last: Vec<_> = mails[4..].iter().map(|m| invitation(m)).collect();
    assert!(
        last.iter().all(|(_, m, s, _)| m == "CANCEL" && s == "2"),
        "{last:?}"
    );
    let start = std::time::Instant::now();
    while radicale.get(&calendar, "ana", "ana-pass", &uid).await.is_some() {
        assert!(
            start.elapsed().as_secs() < 20,
            "the event leaves the host's calendar"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // The link in the email opens the meeting's page; a forged one does not.
    let page = reqwest::get(server.url(&format!(
        "/meetings/manage?id={id}&token={}",
        booked["token"].as_str().unwrap()
    )))
    .await
    .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("A sua reunião") && html.contains(&format!("data-id=\"{id}\"")),
        "{html}"
    );
    let forged_page = reqwest::get(server.url(&format!("/meetings/manage?id={id}&token=bWVldGluZzp4.AAAA")))
        .await
        .unwrap();
    assert_eq!(forged_page.status(), 403);
    // A forged token changes nothing.
    let forged = json!({ "id": id, "token": "bWVldGluZzp4.AAAA" });
    assert_eq!(change(&server, &forged, "cancel", None).await.0, 403);
    server.stop().await;
}

async fn wait_until<F: std::future::Future<Output = Option<String>>>(mut read: impl FnMut() -> F) -> String {
    wait_until_text(&mut read, "").await
}

async fn wait_until_text<F: std::future::Future<Output = Option<String>>>(
    mut read: impl FnMut() -> F,
    text: &str,
) -> String {
    let start = std::time::Instant::now();
    loop {
        if let Some(found) = read().await.filter(|t| t.contains(text)) {
            return found;
        }
        assert!(start.elapsed().as_secs() < 20, "waited for `{text}`");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn equal_distribution_goes_to_the_least_booked_host_by_weight() {
    let (_dir, db) = temp_db();
    // Ben counts double: he takes two meetings for each of Ana's.
    setup(&db, json!({ "rules": { "notice_minutes": 0, "days_ahead": 14, "step_minutes": 30 }, "strategy": "equal_distribution", "weights": { "ben": 2 } })).await;
    let server = Server::start(&db).await;
    let day = next(Weekday::Tuesday, 2);
    let mut hosts = Vec::new();
    for hour in [9, 10, 11, 12, 13, 14] {
        let (status, booked) = book(&server, "meet-team", "pair", at(day, hour, 0), "bea@example.com").await;
        assert_eq!(status, 201, "{booked}");
        let pool = support::db(&db).await;
        let m = store::meeting(&pool, booked["id"].as_str().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(m.reason["strategy"], "equal_distribution");
        assert_eq!(
            m.reason["load"].as_array().unwrap().len(),
            2,
            "both loads are kept: {}",
            m.reason
        );
        hosts.push(m.host_id);
    }
    let ben = hosts.iter().filter(|h| *h == "ben").count();
    assert_eq!((ben, hosts.len() - ben), (4, 2), "{hosts:?}");
    server.stop().await;
}

#[tokio::test]
async fn an_invitation_that_cannot_be_sent_waits_with_its_reason() {
    let (_dir, db) = temp_db();
    setup(&db, settings(14)).await;
    // An SMTP server that is not there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = Server::start_with(&db, "127.0.0.1:0", |c| {
        c.smtp_url = format!("smtp://127.0.0.1:{closed}")
    })
    .await;
    let (status, booked) = book(
        &server,
        "meet-ana",
        "solo",
        at(next(Weekday::Monday, 2), 14, 0),
        "bea@example.com",
    )
    .await;
    assert_eq!(status, 201, "{booked}");
    let pool = support::db(&db).await;
    let id = booked["id"].as_str().unwrap();
    let start = std::time::Instant::now();
    loop {
        let emails = store::emails_of(&pool, id).await.unwrap();
        if emails.len() == 2 && emails.iter().all(|e| e.attempts >= 1) {
            assert!(
                emails
                    .iter()
                    .all(|e| e.sent_at.is_none()
                        && e.last_error.as_deref().is_some_and(|m| m.contains("SMTP"))),
                "{emails:?}"
            );
            break;
        }
        assert!(start.elapsed().as_secs() < 20, "the worker tried: {emails:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Cancelled while the invitations wait; then the mail server comes back. Only the
    // cancellations go: the waiting invitations would put the meeting back in
    // calendars.
    let (status, _) = change(&server, &booked, "cancel", None).await;
    assert_eq!(status, 200);
    let smtp = Smtp::start_on(closed);
    sqlx::query("UPDATE meeting_emails SET next_at = 0")
        .execute(&pool)
        .await
        .unwrap();
    let mails = smtp.wait_for(2).await;
    let methods: Vec<String> = mails.iter().map(|m| invitation(m).1).collect();
    assert_eq!(methods, ["CANCEL", "CANCEL"]);
    // The waiting invitations are settled as replaced, never sent.
    let start = std::time::Instant::now();
    loop {
        let emails = store::emails_of(&pool, id).await.unwrap();
        let replaced = emails
            .iter()
            .filter(|e| {
                e.last_error
                    .as_deref()
                    .is_some_and(|m| m.contains("later change"))
            })
            .count();
        if replaced == 2 {
            break;
        }
        assert!(start.elapsed().as_secs() < 20, "{emails:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(smtp.messages().len(), 2, "nothing else goes");
    server.stop().await;
}

#[tokio::test]
async fn the_host_marks_a_past_meeting_held_or_no_show_and_nobody_else_can() {
    let (_dir, db) = temp_db();
    setup(&db, settings(14)).await;
    let pool = support::db(&db).await;
    let now = jiff::Timestamp::now().as_second();
    let meeting = |id: &str, start: i64| store::Meeting {
        dialogue_id: "meet-ana".into(),
        card: "solo".into(),
        visitor_name: "Bea".into(),
        visitor_email: "bea@example.com".into(),
        created_at: now,
        updated_at: now,
        ..booked(id, "ana", start, start + 1800)
    };
    store::insert(&pool, &meeting("past", now - 7200), "p")
        .await
        .unwrap();
    store::insert(&pool, &meeting("future", now + 7200), "p")
        .await
        .unwrap();
    let server = Server::start(&db).await;
    let mark = |who: &Agent, id: &str, outcome: &str| {
        who.http
            .post(server.url(&format!("/api/meetings/{id}/outcome")))
            .header("x-csrf-token", &who.csrf)
            .json(&json!({ "outcome": outcome }))
            .send()
    };
    let ben = agent(&server, "ben@demo.chinwag").await;
    assert_eq!(
        mark(&ben, "past", "held").await.unwrap().status(),
        403,
        "not Ben's meeting"
    );
    let ana = agent(&server, "ana@demo.chinwag").await;
    assert_eq!(
        mark(&ana, "future", "held").await.unwrap().status(),
        400,
        "not over yet"
    );
    assert_eq!(mark(&ana, "past", "maybe").await.unwrap().status(), 400);
    assert_eq!(mark(&ana, "past", "no_show").await.unwrap().status(), 200);
    assert_eq!(
        store::meeting(&pool, "past")
            .await
            .unwrap()
            .unwrap()
            .outcome
            .as_deref(),
        Some("no_show")
    );
    // Ben's list has none of Ana's meetings; hers has both.
    let list = |who: &Agent| who.http.get(server.url("/api/meetings")).send();
    let bens: Value = list(&ben).await.unwrap().json().await.unwrap();
    let anas: Value = list(&ana).await.unwrap().json().await.unwrap();
    assert_eq!(
        (bens.as_array().unwrap().len(), anas.as_array().unwrap().len()),
        (0, 2)
    );
    let csv = ana
        .http
        .get(server.url("/api/meetings?format=csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("id,start,end,status,outcome") && csv.contains("\"no_show\""),
        "{csv}"
    );
    server.stop().await;
}

/// A mail's To, Subject and plain-text body, and its text/calendar part.
fn mail_parts(raw: &[u8]) -> (String, String, String, String) {
    let mail = mailparse::parse_mail(raw).unwrap();
    let header = |name: &str| {
        mail.headers
            .iter()
            .find(|h| h.get_key() == name)
            .unwrap()
            .get_value()
    };
    let part = |mime: &str| {
        mail.subparts
            .iter()
            .find(|p| p.ctype.mimetype == mime)
            .unwrap_or_else(|| panic!("a {mime} part"))
            .get_body()
            .unwrap()
    };
    (
        header("To"),
        header("Subject"),
        part("text/plain"),
        part("text/calendar"),
    )
}

/// `20261025T020000` as a civil date-time.
fn ical_local(text: &str) -> DateTime {
    DateTime::strptime("%Y%m%dT%H%M%S", text).unwrap_or_else(|e| panic!("`{text}`: {e}"))
}

/// `+0100` as seconds east of UTC.
fn ical_offset(text: &str) -> i64 {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let (h, m): (i64, i64) = (text[1..3].parse().unwrap(), text[3..5].parse().unwrap());
    sign * (h * 3600 + m * 60)
}

/// Reads an invitation with a real parser (the `icalendar` crate) and resolves its
/// `DTSTART;TZID=…` with its own VTIMEZONE, as a mail client would: every observance
/// begins (its DTSTART, local time before the change, minus TZOFFSETFROM; RFC 5545
/// 3.6.5) exactly at one of Lisbon's changes of clocks, with the offsets before and
/// after it; the event's start, read in the observance in effect, is the booked instant.
fn check_vtimezone(ics: &str, booked: i64) {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    let vtimezone = calendar
        .components
        .iter()
        .find(|c| c.name == "VTIMEZONE")
        .expect("a VTIMEZONE");
    assert_eq!(vtimezone.find_prop("TZID").unwrap().val.as_str(), "Europe/Lisbon");
    let mut onsets = Vec::new();
    for observance in &vtimezone.components {
        let prop = |n: &str| observance.find_prop(n).unwrap().val.to_string();
        let (from, to) = (
            ical_offset(&prop("TZOFFSETFROM")),
            ical_offset(&prop("TZOFFSETTO")),
        );
        let local = ical_local(&prop("DTSTART"));
        let onset = jiff::tz::Offset::from_seconds(from as i32)
            .unwrap()
            .to_timestamp(local)
            .unwrap();
        let change = lisbon()
            .preceding(onset.checked_add(jiff::SignedDuration::from_secs(1)).unwrap())
            .next()
            .unwrap()
            .timestamp();
        assert_eq!(
            change,
            onset,
            "{} DTSTART {} (TZOFFSETFROM {}) is not a change of Lisbon's clocks (the nearest is {}):\n{ics}",
            observance.name.as_str(),
            prop("DTSTART"),
            prop("TZOFFSETFROM"),
            change.to_zoned_datetime(lisbon()),
        );
        let before = lisbon().to_offset(onset.checked_sub(jiff::SignedDuration::from_secs(1)).unwrap());
        assert_eq!(
            (
                i64::from(before.seconds()),
                i64::from(lisbon().to_offset(onset).seconds())
            ),
            (from, to),
            "the offsets around {onset}"
        );
        onsets.push((onset.as_second(), to));
    }
    let event = calendar.components.iter().find(|c| c.name == "VEVENT").unwrap();
    let start = event.find_prop("DTSTART").unwrap();
    assert!(
        start
            .params
            .iter()
            .any(|p| p.key == "TZID" && p.val.as_ref().map(|v| v.as_str()) == Some("Europe/Lisbon")),
        "DTSTART carries its TZID"
    );
    let local = ical_local(start.val.as_str());
    // The observance in effect: the latest onset at or before the start.
    let in_effect = onsets
        .iter()
        .filter(|(onset, to)| {
            jiff::tz::Offset::from_seconds(*to as i32)
                .unwrap()
                .to_timestamp(local)
                .unwrap()
                .as_second()
                >= *onset
        })
        .max_by_key(|(onset, _)| *onset)
        .expect("an observance in effect at the start");
    let resolved = jiff::tz::Offset::from_seconds(in_effect.1 as i32)
        .unwrap()
        .to_timestamp(local)
        .unwrap()
        .as_second();
    assert_eq!(resolved, booked, "DTSTART read with the file's own VTIMEZONE");
}

/// A Portuguese visitor's booking: the visitor gets the visitor's text in Portuguese
/// (the site's own subject included), the host, who speaks English (no language set),
/// the host's text in English, never the site's visitor text; moved and cancelled the
/// same way. A host who picks Swedish on My calendar gets Swedish. Every invitation's
/// VTIMEZONE is read with a real parser (RFC 5545: observances start at the local time
/// before the change). Times come from what the listing offers.
#[tokio::test]
async fn the_host_gets_a_hosts_text_in_the_hosts_language() {
    let smtp = Smtp::start();
    let (_dir, db) = temp_db();
    let mut own = settings(14);
    own["subject"] = json!("Demonstração marcada: {{meeting.start}}");
    setup(&db, own).await;
    let server = Server::start_with(&db, "127.0.0.1:0", |c| c.smtp_url = smtp.url.clone()).await;
    let offered = slots(&server, "meet-ana", "solo").await;
    assert!(offered.len() >= 3, "two weeks of working days offer times");
    let (first, second) = (offered[0], offered[offered.len() / 2]);
    let (status, booked) = book(&server, "meet-ana", "solo", first, "bea@example.com").await;
    assert_eq!(status, 201, "{booked}");
    let when = |at: i64| chinwag_server::meetings::worker::when(at, "Europe/Lisbon");

    let mails = smtp.wait_for(2).await;
    let (visitor, host): (Vec<_>, Vec<_>) = mails
        .iter()
        .map(|m| mail_parts(m))
        .partition(|(to, ..)| to.contains("bea@example.com"));
    let (visitor, host) = (&visitor[0], &host[0]);
    assert!(host.0.contains("ana@demo.chinwag"), "{host:?}");
    assert_eq!(visitor.1, format!("Demonstração marcada: {}", when(first)));
    assert!(visitor.2.starts_with("Olá Bea,"), "{}", visitor.2);
    assert_eq!(host.1, format!("New meeting with Bea Costa on {}", when(first)));
    assert!(
        host.2.starts_with(&format!(
            "Bea Costa (bea@example.com) booked a meeting with you on {}.",
            when(first)
        )),
        "the host's text in English: {}",
        host.2
    );
    for (.., ics) in [visitor, host] {
        check_vtimezone(ics, first);
    }

    let (status, moved) = change(&server, &booked, "reschedule", Some(second)).await;
    assert_eq!(status, 200, "{moved}");
    let mails = smtp.wait_for(4).await;
    let parts: Vec<_> = mails[2..].iter().map(|m| mail_parts(m)).collect();
    let host = parts.iter().find(|p| p.0.contains("ana@demo.chinwag")).unwrap();
    let visitor = parts.iter().find(|p| p.0.contains("bea@example.com")).unwrap();
    assert_eq!(host.1, format!("Meeting moved: Bea Costa on {}", when(second)));
    assert!(host.2.contains("moved the meeting with you to"), "{}", host.2);
    assert!(visitor.2.starts_with("Olá Bea,"), "{}", visitor.2);
    for (.., ics) in [visitor, host] {
        check_vtimezone(ics, second);
    }

    let (status, _) = change(&server, &booked, "cancel", None).await;
    assert_eq!(status, 200);
    let mails = smtp.wait_for(6).await;
    let parts: Vec<_> = mails[4..].iter().map(|m| mail_parts(m)).collect();
    let host = parts.iter().find(|p| p.0.contains("ana@demo.chinwag")).unwrap();
    let visitor = parts.iter().find(|p| p.0.contains("bea@example.com")).unwrap();
    assert_eq!(
        host.1,
        format!("Meeting cancelled: Bea Costa on {}", when(second))
    );
    assert!(visitor.1.starts_with("Reunião cancelada"), "{}", visitor.1);

    // The host picks Swedish (My calendar): the next invitation is the host's in Swedish.
    let ana = agent(&server, "ana@demo.chinwag").await;
    let put = |locale: &str| {
        ana.http
            .put(server.url("/api/me/locale"))
            .header("x-csrf-token", &ana.csrf)
            .json(&json!({ "locale": locale }))
            .send()
    };
    assert_eq!(put("de").await.unwrap().status(), 400, "not a built-in language");
    assert_eq!(put("sv").await.unwrap().status(), 200);
    assert_eq!(ana.get_json(&server, "/api/me/locale").await["locale"], "sv");
    let (status, _) = book(&server, "meet-ana", "solo", first, "bea@example.com").await;
    assert_eq!(status, 201);
    let mails = smtp.wait_for(8).await;
    let parts: Vec<_> = mails[6..].iter().map(|m| mail_parts(m)).collect();
    let host = parts.iter().find(|p| p.0.contains("ana@demo.chinwag")).unwrap();
    assert_eq!(host.1, format!("Nytt möte med Bea Costa {}", when(first)));
    server.stop().await;
}
