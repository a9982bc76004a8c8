//! A person's rights and the site's retention: everything about a person exported, then
//! erased, and afterwards no row of any table holds their email or name (the test reads
//! every column of every table); windows that would delete something are shown first
//! and saved only when confirmed; the purge takes what is past its window, says so in
//! the audit log, and the daily counts outlive it.

mod support;

use chinwag_protocol::ServerFrame;
use serde_json::{json, Value};
use sqlx::{Column, Row};
use support::*;

/// Every (table, column, value) whose text holds `needle`, case-insensitively.
async fn everywhere(db: &std::path::Path, needle: &str) -> Vec<String> {
    let pool = support::db(db).await;
    let tables: Vec<String> = sqlx::query_scalar(match chinwag_server::db::engine(&pool) {
        chinwag_server::db::Engine::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> '_sqlx_migrations'"
        }
        chinwag_server::db::Engine::Postgres => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'"
        }
    })
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut found = Vec::new();
    for table in tables {
        for row in sqlx::query(&format!("SELECT * FROM \"{table}\""))
            .fetch_all(&pool)
            .await
            .unwrap()
        {
            for (i, column) in row.columns().iter().enumerate() {
                let text = row
                    .try_get::<String, _>(i)
                    .or_else(|_| row.try_get::<i64, _>(i).map(|n| n.to_string()))
                    .or_else(|_| {
                        row.try_get::<Vec<u8>, _>(i)
                            .map(|b| String::from_utf8_lossy(&b).into_owned())
                    })
                    .unwrap_or_default();
                if text.to_lowercase().contains(&needle.to_lowercase()) {
                    found.push(format!("{table}.{}: {text}", column.name()));
                }
            }
        }
    }
    pool.close().await;
    found
}

async fn post(server: &Server, path: &str, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(server.url(path))
        .header("origin", SITE_ORIGIN)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_erased_person_is_gone_from_every_table_and_others_stay() {
    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, "127.0.0.1:0", |c| c.webhook_private_addresses = true).await;
    let ana = agent(&server, "ana@demo.chinwag").await;
    let admin = |method: reqwest::Method, path: &str| {
        ana.http
            .request(method, server.url(path))
            .header("x-csrf-token", &ana.csrf)
    };
    // A webhook endpoint, so messages about them are written too (nobody listens).
    let hook = admin(reqwest::Method::POST, "/api/sites/demo/webhooks")
        .json(&json!({ "url": "http://127.0.0.1:9/hooks" }))
        .send()
        .await
        .unwrap();
    assert_eq!(hook.status(), 200, "{}", hook.text().await.unwrap());

    let now = chinwag_server::db::now_ms() - 10_000;
    let zeb = [
        ("first_name", "Zebulon"),
        ("last_name", "Quarrington"),
        ("email", "Zebulon@Quarry.test"),
    ];
    let ada = [("first_name", "Adaline"), ("email", "adaline@other.test")];
    assert_eq!(
        post(
            &server,
            "/api/sites/demo/activity",
            &handoff_report("z1", "browser-z", &zeb, now)
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        post(
            &server,
            "/api/sites/demo/activity",
            &handoff_report("a1", "browser-a", &ada, now)
        )
        .await
        .status(),
        200
    );
    // An earlier run from the same browser, before they gave their email.
    let mut earlier = handoff_report("z0", "browser-z", &zeb, now - 5_000);
    earlier["captured"] = json!({});
    assert_eq!(
        post(&server, "/api/sites/demo/activity", &earlier).await.status(),
        200
    );

    // Their live chat, where they say their name.
    let mut ws = visitor(&server).await;
    send(&mut ws, &hello(None, 0)).await;
    until(&mut ws, |f| matches!(f, ServerFrame::Welcome(_))).await;
    send(
        &mut ws,
        &handoff(
            "h1",
            TEAM,
            &[("first_name", "Zebulon"), ("email", "zebulon@quarry.test")],
        ),
    )
    .await;
    let welcome = until(
        &mut ws,
        |f| matches!(f, ServerFrame::Welcome(w) if w.conversation.is_some()),
    )
    .await;
    send(&mut ws, &message("m1", "Hello, Zebulon Quarrington here")).await;
    until(&mut ws, |f| matches!(f, ServerFrame::Ack { .. })).await;
    // A file they sent, whose bytes name them (the name does not).
    let ServerFrame::Welcome(welcome) = welcome else {
        unreachable!()
    };
    let upload = reqwest::Client::new()
        .post(server.url("/api/sites/demo/files"))
        .query(&[("id", "f1"), ("name", "id-card.txt")])
        .header("origin", SITE_ORIGIN)
        .header("authorization", format!("Bearer {}", welcome.token.unwrap()))
        .header("content-type", "text/plain")
        .body("Passport: Zebulon Quarrington, 1970")
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 200, "{}", upload.text().await.unwrap());
    // And the conversation asked for by email: a mail queued (no SMTP server here).
    send(&mut ws, &chinwag_protocol::VisitorFrame::EmailTranscript {}).await;
    until(&mut ws, |f| matches!(f, ServerFrame::TranscriptSent { .. })).await;

    // A meeting they booked, and an admin's note that names them.
    let pool = support::db(&db).await;
    let meeting = booked_meeting(
        "meeting-z",
        ("Zebulon Quarrington", "zebulon@quarry.test"),
        "I am Zebulon",
        (now / 1000) as i64,
    );
    chinwag_server::meetings::store::insert(&pool, &meeting, "meetings:sales")
        .await
        .unwrap();
    chinwag_server::console::store::audit(&pool, "ana", "note", "demo", "called zebulon@quarry.test back")
        .await
        .unwrap();
    pool.close().await;
    assert!(!everywhere(&db, "quarrington").await.is_empty());

    // Access: everything about them, as JSON.
    let export: Value = admin(
        reqwest::Method::GET,
        "/api/sites/demo/people?email=zebulon@quarry.test",
    )
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(export["leads"].as_array().unwrap().len(), 1);
    assert_eq!(export["conversations"].as_array().unwrap().len(), 1);
    assert_eq!(export["meetings"].as_array().unwrap().len(), 1);
    assert_eq!(
        export["runs"].as_array().unwrap().len(),
        2,
        "both runs of their browser"
    );
    assert!(export["messages"]
        .to_string()
        .contains("Zebulon Quarrington here"));

    // Erasure.
    let erased = admin(reqwest::Method::POST, "/api/sites/demo/erase")
        .json(&json!({ "email": "zebulon@quarry.test" }))
        .send()
        .await
        .unwrap();
    assert_eq!(erased.status(), 200, "{}", erased.text().await.unwrap());
    for needle in ["zebulon", "quarrington", "quarry.test", "browser-z"] {
        assert_eq!(
            everywhere(&db, needle).await,
            Vec::<String>::new(),
            "{needle} is gone"
        );
    }
    // Someone else is untouched.
    assert!(!everywhere(&db, "adaline@other.test").await.is_empty());
    let leads = ana.get_json(&server, "/api/sites/demo/leads").await;
    assert_eq!(leads.as_array().unwrap().len(), 1);
    // The metrics still count what happened (they name nobody).
    let metrics = ana
        .get_json(&server, "/api/sites/demo/dialogues/sales-handoff/metrics")
        .await;
    assert_eq!(metrics["totals"]["triggered"], 3);
}

#[tokio::test]
async fn a_shorter_window_is_shown_first_and_the_purge_takes_only_what_is_past_it() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let ana = agent(&server, "ana@demo.chinwag").await;
    let put = |body: Value| {
        ana.http
            .put(server.url("/api/sites/demo/retention"))
            .header("x-csrf-token", &ana.csrf)
            .json(&body)
            .send()
    };
    let day = 24 * 3600 * 1000;
    let now = chinwag_server::db::now_ms();
    // A chat 40 days old and closed; one from today; a run 40 days old.
    let mut ws = visitor(&server).await;
    let (old, _) = start_conversation(&mut ws, TEAM).await;
    let mut ws2 = visitor(&server).await;
    let (new, _) = start_conversation(&mut ws2, TEAM).await;
    let pool = support::db(&db).await;
    sqlx::query("UPDATE conversations SET status = 'closed', created_at = $1 WHERE id = $2")
        .bind((now - 40 * day) as i64)
        .bind(&old)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert_eq!(
        ana.get_json(&server, "/api/sites/demo/retention").await["transcripts_days"],
        90
    );

    let windows = json!({ "transcripts_days": 30, "leads_days": 90, "events_days": 90, "meetings_days": 90 });
    let asked = put(windows.clone()).await.unwrap();
    assert_eq!(asked.status(), 409);
    let said = asked.text().await.unwrap();
    assert!(
        said.contains(r#"\"transcripts\":1"#) && said.contains("confirm"),
        "{said}"
    );
    let bad = put(json!({ "transcripts_days": 0, "leads_days": 90, "events_days": 90, "meetings_days": 90 }))
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let mut confirmed = windows.clone();
    confirmed["confirm"] = json!(true);
    assert_eq!(put(confirmed).await.unwrap().status(), 200);

    let purged: Value = ana
        .http
        .post(server.url("/api/sites/demo/retention/purge"))
        .header("x-csrf-token", &ana.csrf)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(purged["transcripts"], 1);
    let left = ana.get_json(&server, "/api/conversations").await.to_string();
    assert!(!left.contains(&old) && left.contains(&new), "{left}");
    let audit = ana.get_json(&server, "/api/audit").await.to_string();
    assert!(
        audit.contains("retention.purge") && audit.contains("1 transcripts older than 30 days"),
        "{audit}"
    );
}
