//! Reports (docs/reports.md): a period's conversations per agent and team, answered
//! and missed, first response and resolution times, ratings, as JSON and as CSV, for
//! admins only; a wrong period is refused with the reason.

mod support;

use chinwag_protocol::{AgentFrame, EventKind, Outgoing, Rating, ServerFrame, VisitorFrame};
use serde_json::Value;
use support::*;

#[tokio::test]
async fn a_periods_report_counts_what_agents_did_per_agent_and_team() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    // Ben answers Vera, closes, and she rates it 4.
    let (mut ben, mut vera, conversation, _) = bens_chat(&server).await;
    let reply = AgentFrame::Message {
        conversation: conversation.clone(),
        message: Outgoing {
            id: "a1".into(),
            text: "Hello Vera".into(),
        },
    };
    send(&mut ben.ws, &reply).await;
    until(&mut ben.ws, |f| matches!(f, ServerFrame::Ack { .. })).await;
    close_chat(&mut ben, Some(&mut vera), &conversation).await;
    send(
        &mut vera,
        &VisitorFrame::Rate(Rating {
            score: 4,
            comment: String::new(),
        }),
    )
    .await;
    until(&mut vera, |f| {
        matches!(event_in(f, &conversation), Some(EventKind::Rated { .. }))
    })
    .await;
    // A billing chat (Ben's team) nobody answers: missed, Ben's, billing's.
    let mut wes = visitor(&server).await;
    let (missed, _) = start_conversation(&mut wes, TEAM).await;
    until(&mut ben.ws, |f| {
        matches!(event_in(f, &missed), Some(EventKind::Assigned { .. }))
    })
    .await;

    let ana = agent(&server, "ana@demo.chinwag").await;
    let r = ana.get_json(&server, "/api/reports").await;
    let report = &r["report"];
    let overall = &report["overall"];
    assert_eq!(overall["conversations"], 2, "{r}");
    assert_eq!(
        (overall["answered"].as_u64(), overall["missed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(overall["first_response"]["count"], 1);
    assert!(overall["first_response"]["median_s"].as_f64().unwrap() >= 0.0);
    assert_eq!(overall["resolution"]["count"], 1);
    assert_eq!(overall["ratings"]["average"], 4.0);
    let group = |list: &str, id: &str| -> Value {
        report[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == id)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let bens = group("agents", "ben");
    assert_eq!(bens["name"], "Ben Agent");
    assert_eq!(
        (
            bens["stats"]["answered"].as_u64(),
            bens["stats"]["missed"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(group("teams", "billing")["stats"]["missed"], 1);
    assert_eq!(report["days"][0]["conversations"], 2);

    // The CSV: a header and a row per group.
    let csv = ana.http.get(server.url("/api/reports.csv")).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"chinwag-report-"));
    let text = csv.text().await.unwrap();
    let mut lines = text.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("group,id,name,conversations,answered,missed,"));
    assert!(
        text.contains("\"agent\",\"ben\",\"Ben Agent\",\"2\",\"1\",\"1\""),
        "{text}"
    );

    // Agents do not read reports; a wrong period is refused with why.
    let agents = ben.http.get(server.url("/api/reports")).send().await.unwrap();
    assert_eq!(agents.status(), 403);
    for (query, why) in [
        ("?from=2026-13-01", "from: write a day as YYYY-MM-DD"),
        ("?from=2026-12-05&to=2026-12-01", "from comes after to"),
        ("?from=2020-01-01&to=2026-01-01", "at most 366 days"),
    ] {
        let r = ana
            .http
            .get(server.url(&format!("/api/reports{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{query}");
        assert!(r.text().await.unwrap().contains(why), "{query}");
    }
    // A period before anything happened is empty, not an error.
    let empty = ana
        .get_json(&server, "/api/reports?from=2025-01-01&to=2025-01-31")
        .await;
    assert_eq!(empty["report"]["overall"]["conversations"], 0);
    server.stop().await;
}
