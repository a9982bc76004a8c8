//! Business hours (docs/inbox.md, "Business hours"): a team outside its hours takes no
//! chat (the visitor reads the card's fallback, the chat waits unassigned); the
//! widget's reply-time line follows the site's hours team; an admin sets and clears
//! hours, and wrong ones are refused with the reason.

mod support;

use chinwag_protocol::{EventKind, ServerFrame};
use serde_json::{json, Value};
use support::*;

/// Hours that are never open: no weekday has any.
fn never() -> Value {
    json!({ "time_zone": "Europe/Lisbon", "weekly": {} })
}

/// The reply-time lines of the widget's texts (soon, away), as the site's pages get them.
fn reply_lines(config: &Value) -> (String, String) {
    let lines: Vec<&str> = config["strings"].as_str().unwrap().split('\n').collect();
    let field = |text: &str| match lines.contains(&text) {
        true => text.to_owned(),
        false => String::new(),
    };
    (
        field("We usually reply in a few minutes"),
        field("We are away right now. Leave a message: we will answer here when we are back."),
    )
}

/// A new visitor at the billing team's card, and what routing told them.
async fn routed(server: &Server) -> (ServerFrame, String) {
    let mut visitor = visitor(server).await;
    let (conversation, _) = start_conversation(&mut visitor, TEAM).await;
    let told = until(&mut visitor, |f| {
        matches!(
            event_in(f, &conversation),
            Some(EventKind::Unassigned { .. } | EventKind::Assigned { .. })
        )
    })
    .await;
    (told, conversation)
}

#[tokio::test]
async fn a_team_outside_its_hours_takes_no_chat_and_the_widget_says_so() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let ana = agent(&server, "ana@demo.chinwag").await;
    // Ben (billing) is available, signed in.
    let _ben = agent(&server, "ben@demo.chinwag").await;
    let put = |team: &'static str, body: Value| {
        let (http, csrf, url) = (
            ana.http.clone(),
            ana.csrf.clone(),
            server.url(&format!("/api/teams/{team}/hours")),
        );
        async move {
            let r = http
                .put(url)
                .header("x-csrf-token", csrf)
                .json(&body)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };

    // Wrong hours are refused, with what is wrong.
    let (status, said) = put("billing", json!({ "time_zone": "Mars/Olympus", "weekly": {} })).await;
    assert_eq!(status, 400);
    assert!(said.contains("not an IANA time zone"), "{said}");
    let (status, said) = put(
        "billing",
        json!({ "time_zone": "UTC", "weekly": { "mon": [{ "start": "17:00", "end": "09:00" }] } }),
    )
    .await;
    assert_eq!(status, 400);
    assert!(said.contains("weekly.mon[0]"), "{said}");
    assert_eq!(put("nobody", Value::Null).await.0, 404);

    // Billing closed: its chat waits unassigned and the visitor reads the fallback.
    assert_eq!(put("billing", never()).await.0, 200);
    let (told, conversation) = routed(&server).await;
    assert!(
        matches!(event_in(&told, &conversation), Some(EventKind::Unassigned { fallback, queued: false }) if fallback == "Billing is away"),
        "{told:?}"
    );
    let directory = ana.get_json(&server, "/api/directory").await;
    let billing = directory["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "billing")
        .unwrap();
    assert_eq!(billing["hours"]["time_zone"], "Europe/Lisbon");

    // Always open again: the next chat is Ben's.
    assert_eq!(put("billing", Value::Null).await.0, 200);
    let (told, conversation) = routed(&server).await;
    assert!(
        matches!(event_in(&told, &conversation), Some(EventKind::Assigned { agent_id, .. }) if agent_id == "ben"),
        "{told:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn the_reply_time_line_follows_the_sites_hours_team() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let config = || async { app.as_site("/api/sites/demo/config").await.json() };
    assert_eq!(
        reply_lines(&config().await),
        (String::new(), String::new()),
        "no hours team: no line"
    );

    let look = |team: &str| json!({ "hours_team": team }).to_string();
    let refused = app
        .as_agent(&ana, "PUT", "/api/sites/demo/appearance", Some(&look("nobody")))
        .await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.body.contains("there is no team nobody"),
        "{}",
        refused.body
    );
    let saved = app
        .as_agent(&ana, "PUT", "/api/sites/demo/appearance", Some(&look("sales")))
        .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    // Sales has no hours yet: always open, but no hours to speak of.
    assert_eq!(reply_lines(&config().await), (String::new(), String::new()));

    let always = json!({ "time_zone": "UTC", "weekly": {
        "mon": [{ "start": "00:00", "end": "24:00" }], "tue": [{ "start": "00:00", "end": "24:00" }],
        "wed": [{ "start": "00:00", "end": "24:00" }], "thu": [{ "start": "00:00", "end": "24:00" }],
        "fri": [{ "start": "00:00", "end": "24:00" }], "sat": [{ "start": "00:00", "end": "24:00" }],
        "sun": [{ "start": "00:00", "end": "24:00" }] } });
    let r = app
        .as_agent(&ana, "PUT", "/api/teams/sales/hours", Some(&always.to_string()))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (soon, away) = reply_lines(&config().await);
    assert_eq!(
        (soon.as_str(), away.as_str()),
        ("We usually reply in a few minutes", "")
    );

    let r = app
        .as_agent(&ana, "PUT", "/api/teams/sales/hours", Some(&never().to_string()))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (soon, away) = reply_lines(&config().await);
    assert!(
        soon.is_empty() && away.starts_with("We are away"),
        "{soon} / {away}"
    );
}
