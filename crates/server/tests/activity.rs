//! What dialogues do: the widget's reported marks, checked against the published
//! version and the run so far, stored once, and added up into the metrics and funnels
//! admins read. HTTP only: the router is called directly. The marks come from the real
//! engine running the shipped pricing FAQ (its goal card included).

mod support;

use chinwag_dialogue::engine::{Answer, Mark, MarkKind, Stream};
use chinwag_dialogue::{json, VisitorContext};
use serde_json::{json, Value};
use support::*;

const FAQ: &str = include_str!("../../../www/dialogues/pricing-faq.json");

fn now() -> u64 {
    chinwag_server::db::now_ms()
}

/// When every run starts: a minute before the first asked, or a minute earlier still if
/// its marks (seconds apart) could cross midnight UTC, so that a day's numbers hold
/// them all whatever the hour.
fn started() -> u64 {
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *START.get_or_init(|| {
        let start = now() - 60_000;
        let day = chinwag_server::data::activity::day_of;
        match day(start) == day(start + 60_000) {
            true => start,
            false => start - 60_000,
        }
    })
}

/// One visitor's run: the engine's marks for these answers, a second apart.
fn run(answers: &[usize], email_known: bool) -> Vec<Mark> {
    let d = json::check(FAQ).unwrap();
    let mut attributes = std::collections::BTreeMap::new();
    if email_known {
        attributes.insert("email".to_owned(), "ana@acme.test".to_owned());
    }
    let visitor = VisitorContext {
        attributes,
        page_url: "http://shop.test/pricing".into(),
        locale: "en".into(),
        teams_available: Vec::new(),
    };
    let start = started();
    let mut s = Stream::start(&d, visitor, start);
    for (i, a) in answers.iter().enumerate() {
        s.answer(&d, Answer::Choice(*a), start + 1_000 * (i as u64 + 1))
            .unwrap();
    }
    s.marks
}

fn batch(run: &str, from: usize, marks: &[Mark]) -> String {
    json!({
        "run": run, "visitor": format!("visitor-{run}"), "dialogue": "pricing-faq", "version": 1,
        "locale": "en", "known": false, "from": from, "marks": marks,
    })
    .to_string()
}

async fn post(app: &App, body: &str) -> support::app::Reply {
    app.call(
        "POST",
        "/api/sites/demo/activity",
        &[("origin", SITE_ORIGIN), ("content-type", "text/plain")],
        Some(body),
    )
    .await
}

async fn metrics(app: &App, ana: &support::app::Session) -> Value {
    let reply = app
        .as_agent(ana, "GET", "/api/sites/demo/dialogues/pricing-faq/metrics", None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

fn step<'a>(metrics: &'a Value, card: &str) -> &'a Value {
    metrics["funnel"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["card"] == card)
        .unwrap_or_else(|| panic!("no {card} in {metrics}"))
}

#[tokio::test]
async fn reported_runs_add_up_to_the_metrics_and_a_funnel_per_card() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;

    // The loader gets the version to report with each dialogue.
    let config = app.as_site("/api/sites/demo/config").await.json();
    let faq = config["dialogues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "pricing-faq")
        .unwrap();
    assert_eq!(faq["published"], 1);

    // Three visitors: one asks about discounts (the goal), then leaves at "anything
    // else?"; one asks about the free plan and says no thanks; one only looks.
    let discounts = run(&[2], false);
    let free_plan = run(&[0, 2], false);
    let looker = run(&[], false);
    // The first run arrives in two batches, the second of them twice (a retry).
    let (first, rest) = discounts.split_at(3);
    assert_eq!(post(&app, &batch("r1", 0, first)).await.json()["stored"], 3);
    assert_eq!(
        post(&app, &batch("r1", 3, rest)).await.json()["stored"],
        rest.len()
    );
    let again = post(&app, &batch("r1", 3, rest)).await;
    assert_eq!(
        (again.status.as_u16(), again.json()["stored"].as_u64()),
        (200, Some(0)),
        "a retry counts once"
    );
    for (id, marks) in [("r2", &free_plan), ("r3", &looker)] {
        let reply = post(&app, &batch(id, 0, marks)).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert!(reply.headers.get("access-control-allow-origin").is_some());
    }

    let m = metrics(&app, &ana).await;
    let totals = &m["totals"];
    assert_eq!(
        (
            totals["triggered"].as_i64(),
            totals["engaged"].as_i64(),
            totals["completed"].as_i64()
        ),
        (Some(3), Some(2), Some(1)),
        "{m}"
    );
    assert_eq!(totals["goals_reached"], 1);
    assert_eq!(totals["engagement_rate"].as_f64(), Some(2.0 / 3.0));
    assert_eq!(m["goals"], json!([{ "name": "Discount interest", "count": 1 }]));
    assert_eq!(m["version"], 1);
    // The funnel, card by card, each branch under its own path.
    let topics = step(&m, "stream[1]");
    assert_eq!(
        (
            topics["reached"].as_i64(),
            topics["answered"].as_i64(),
            topics["left"].as_i64()
        ),
        (Some(3), Some(2), Some(1))
    );
    // Answered a second after it showed; times are kept to within 2.5 % (docs/metrics.md).
    let median = topics["median_ms"].as_f64().unwrap_or_default();
    assert!(
        (975.0..=1025.0).contains(&median),
        "median {median} ms, not about a second"
    );
    assert_eq!(step(&m, "stream[1].answers[2].then[1]")["goals"], 1);
    assert_eq!(
        step(&m, "stream[1].answers[1].then[0]")["reached"],
        0,
        "nobody asked about yearly billing"
    );
    let anything_else = step(&m, "stream[2]");
    assert_eq!(
        (anything_else["reached"].as_i64(), anything_else["left"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(step(&m, "stream[2].answers[2].then[0]")["kind"], "end");

    // The site's list: every dialogue's totals.
    let list = app
        .as_agent(&ana, "GET", "/api/sites/demo/metrics", None)
        .await
        .json();
    assert_eq!(list["dialogues"]["pricing-faq"]["triggered"], 3);
    // Every raw mark as NDJSON, once each.
    let ndjson = app
        .as_agent(
            &ana,
            "GET",
            "/api/sites/demo/dialogues/pricing-faq/marks.ndjson",
            None,
        )
        .await;
    assert_eq!(ndjson.status, 200, "{}", ndjson.body);
    assert_eq!(ndjson.headers["content-type"], "application/x-ndjson");
    let lines: Vec<Value> = ndjson
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), discounts.len() + free_plan.len() + looker.len());
    assert_eq!(lines.iter().filter(|l| l["kind"] == "triggered").count(), 3);
    // The daily numbers as CSV.
    let csv = app
        .as_agent(
            &ana,
            "GET",
            "/api/sites/demo/dialogues/pricing-faq/metrics.csv",
            None,
        )
        .await;
    let today = chinwag_server::data::activity::day_of(started());
    assert!(
        csv.body
            .starts_with("day,triggered,engaged,completed,people_acquired"),
        "{}",
        csv.body
    );
    assert!(
        csv.body.contains(&format!("\n{today},3,2,1,0,0,0,1,")),
        "{}",
        csv.body
    );
}

#[tokio::test]
async fn forged_or_broken_reports_are_refused_and_never_counted() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let marks = run(&[2], false);
    let refused = |reply: support::app::Reply, status: u16, says: &str| {
        assert_eq!(reply.status, status, "{}", reply.body);
        assert!(
            reply.json()["error"].as_str().unwrap().contains(says),
            "{}",
            reply.body
        );
    };

    // An answer the visitor could not have given: not at that card.
    let mut forged = marks.clone();
    forged.insert(
        2,
        Mark {
            kind: MarkKind::Answered,
            card: Some("stream[2]".into()),
            at: marks[1].at,
        },
    );
    refused(
        post(&app, &batch("f1", 0, &forged)).await,
        400,
        "marks[2]: answered stream[2]",
    );
    // A goal counted twice, a version never published, a run that does not start with
    // triggered, a gap, a time far from now.
    let mut twice = marks.clone();
    let goal = twice.iter().find(|m| m.kind == MarkKind::Goal).unwrap().clone();
    twice.push(goal);
    refused(
        post(&app, &batch("f2", 0, &twice)).await,
        400,
        "not a goal card not yet passed",
    );
    let other = batch("f3", 0, &marks).replace("\"version\":1", "\"version\":7");
    refused(post(&app, &other).await, 400, "no published version 7");
    refused(
        post(&app, &batch("f4", 0, &marks[1..])).await,
        400,
        "starts with triggered",
    );
    refused(post(&app, &batch("f5", 2, &marks[2..])).await, 409, "send from 0");
    let mut old = marks.clone();
    for m in &mut old {
        m.at -= 30 * 24 * 3600 * 1000;
    }
    refused(post(&app, &batch("f6", 0, &old)).await, 400, "not around now");
    // Not the site's pages; not JSON; too many marks; a field it does not know.
    let elsewhere = app
        .call(
            "POST",
            "/api/sites/demo/activity",
            &[("origin", "http://evil.test")],
            Some(&batch("f7", 0, &marks)),
        )
        .await;
    assert_eq!(elsewhere.status, 403);
    refused(post(&app, "{").await, 400, "not valid");
    let many: Vec<Mark> = (0..201).map(|_| marks[0].clone()).collect();
    refused(post(&app, &batch("f8", 0, &many)).await, 400, "at most 200 marks");
    let extra = batch("f9", 0, &marks).replace("\"known\"", "\"answers\":[],\"known\"");
    refused(post(&app, &extra).await, 400, "unknown field `answers`");
    // A site that does not exist; a body over 64 KB; a run id over 100 characters.
    let nowhere = app
        .call(
            "POST",
            "/api/sites/nowhere/activity",
            &[("origin", SITE_ORIGIN)],
            Some(&batch("f10", 0, &marks)),
        )
        .await;
    refused(nowhere, 404, "no such site");
    let mut big: Value = serde_json::from_str(&batch("f11", 0, &marks)).unwrap();
    big["captured"] = json!({ "note": "x".repeat(65 * 1024) });
    let big = post(&app, &big.to_string()).await;
    assert_eq!(big.status, 413, "{}", big.body);
    let long = batch(&"r".repeat(101), 0, &marks);
    let long = post(&app, &long).await;
    assert!(
        long.headers.get("access-control-allow-origin").is_none(),
        "a refusal carries no CORS header"
    );
    refused(long, 400, "run, visitor and dialogue are 1 to 100 characters");

    let m = metrics(&app, &ana).await;
    assert_eq!(m["totals"]["triggered"], 0, "nothing refused was counted: {m}");
    assert_eq!(m["funnel"], json!([]));

    // A run stays its visitor's: a batch naming another is refused.
    assert_eq!(post(&app, &batch("g1", 0, &marks[..3])).await.status, 200);
    let stolen = batch("g1", 3, &marks[3..]).replace("visitor-g1", "visitor-g2");
    refused(post(&app, &stolen).await, 400, "this run belongs to another");
}

/// A visitor starts at most 100 runs a day: the next is refused with 429 and how long
/// to wait, until the day's first run leaves the day.
#[tokio::test]
async fn a_visitor_starts_at_most_a_hundred_runs_a_day() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let marks = run(&[], false);
    let one = |n: usize| batch(&format!("n{n}"), 0, &marks).replace(&format!("visitor-n{n}"), "visitor-same");
    for n in 0..100 {
        let reply = post(&app, &one(n)).await;
        assert_eq!(reply.status, 200, "run {n}: {}", reply.body);
    }
    let refused = post(&app, &one(100)).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(refused.json()["error"]
        .as_str()
        .unwrap()
        .contains("at most 100 in a day"));
    let wait: u64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(
        wait > 23 * 3600,
        "the first run leaves the day in about a day: {wait} s"
    );
}
