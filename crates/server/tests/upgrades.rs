//! Upgrades from every earlier schema (docs/operations.md, "Upgrades"): each database in
//! `tests/upgrades/` was written by an earlier build (`scripts/upgrade-fixture.sh` makes
//! today's: the demo seed, chats with an agent, a rating, an attachment, a lead, a
//! meeting and a webhook endpoint). The current server opens a copy of each, applies
//! its migrations, loses no row of any table, and the data is usable: the visitor's
//! chat resumes and takes a message, the agent reads it, the file is served. And no
//! migration may lose data: one that drops, deletes, truncates or renames is refused.

mod support;

use chinwag_protocol::ServerFrame;
use sqlx::{Connection, Row};
use std::path::{Path, PathBuf};
use support::*;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/upgrades");
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "db"))
        .collect();
    all.sort();
    all
}

/// Rows per table of a SQLite file, read without touching its schema.
async fn rows(file: &Path) -> Vec<(String, i64)> {
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(&format!("sqlite://{}?mode=ro", file.display()))
        .await
        .unwrap();
    let tables: Vec<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut c)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect();
    let mut out = Vec::new();
    for t in tables {
        let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM \"{t}\""))
            .fetch_one(&mut c)
            .await
            .unwrap()
            .get(0);
        out.push((t, n));
    }
    c.close().await.unwrap();
    out
}

#[tokio::test]
async fn first_pass_only_every_earlier_database_opens_whole_and_usable() {
    if std::env::var("TEST_POSTGRES").is_ok() {
        return;
    }
    let found = fixtures();
    assert!(
        !found.is_empty(),
        "tests/upgrades holds a database per past schema"
    );
    for fixture in found {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("old.db");
        std::fs::copy(&fixture, &db).unwrap();
        let before = rows(&db).await;
        let server = Server::start(&db).await;
        let after = rows(&db).await;
        // Who is online and which node runs a worker are the running nodes' own: a
        // server starting afresh rewrites them. Everything else is data.
        for (table, n) in before
            .iter()
            .filter(|(t, _)| !["presence", "leases"].contains(&t.as_str()))
        {
            let now = after.iter().find(|(t, _)| t == table).map(|(_, n)| *n);
            assert!(
                now.is_some_and(|m| m >= *n),
                "{}: {table} had {n} rows, now {now:?}",
                fixture.display()
            );
        }

        // The visitor's chat resumes with the token they kept, and takes a message.
        let pool = support::db(&db).await;
        let conversation: String =
            sqlx::query_scalar("SELECT conversation_id FROM files ORDER BY created_at LIMIT 1")
                .fetch_one(&pool)
                .await
                .unwrap();
        let token = chinwag_server::access::token::Signer::new(SECRET).sign(&conversation);
        let mut vera = visitor(&server).await;
        send(&mut vera, &hello(Some(token), 0)).await;
        until(&mut vera, |f| matches!(f, ServerFrame::Welcome(w) if w.conversation.as_deref() == Some(conversation.as_str()))).await;
        say(&mut vera, "after-upgrade", "Still here after the upgrade").await;

        // The agent reads the whole thread, the new line included; the file is served.
        let ana = agent(&server, "ana@demo.chinwag").await;
        let history = ana.history(&server, &conversation).await;
        for line in ["Before the upgrade", "Still here after the upgrade", "\"rated\""] {
            assert!(
                history.contains(line),
                "{}: {line} in {history}",
                fixture.display()
            );
        }
        let file: String = sqlx::query_scalar("SELECT id FROM files LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
        let served = reqwest::get(server.url(&format!("/files/{file}"))).await.unwrap();
        assert_eq!(served.status(), 200);
        let hooks = ana
            .get_json(&server, "/api/sites/demo/webhooks")
            .await
            .to_string();
        assert!(hooks.contains("127.0.0.1:9/hook"), "{hooks}");
        let meetings = ana.get_json(&server, "/api/meetings").await.to_string();
        assert!(meetings.contains("meeting-before"), "{meetings}");
        let leads = ana.get_json(&server, "/api/sites/demo/leads").await.to_string();
        assert!(leads.contains("lea@shop.test"), "{leads}");
        server.stop().await;
    }
}

#[test]
fn no_migration_loses_data() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [root.clone(), root.join("postgres")] {
        files.extend(
            std::fs::read_dir(dir)
                .unwrap()
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "sql")),
        );
    }
    assert!(files.len() >= 60, "both engines' migrations");
    for file in files {
        let sql = std::fs::read_to_string(&file).unwrap();
        if let Some(problem) = loses_data(&sql) {
            panic!("{}: {problem}", file.display());
        }
    }
    // The check itself refuses what it must.
    assert!(loses_data("ALTER TABLE conversations DROP COLUMN rating;").is_some());
    assert!(loses_data("drop table leads;").is_some());
    assert!(loses_data("DELETE FROM events WHERE seq > 3;").is_some());
    assert!(loses_data("ALTER TABLE a RENAME TO b;").is_some());
    assert!(
        loses_data("-- loses no data: the rows were copied to leads2 above\nDROP TABLE leads;").is_none()
    );
    assert!(loses_data("ALTER TABLE conversations ADD COLUMN rating INTEGER;").is_none());
}

/// Why a migration would lose data (a statement that drops, deletes, truncates or
/// renames), unless it says in a `-- loses no data: why` line that it does not.
fn loses_data(sql: &str) -> Option<String> {
    if sql
        .lines()
        .any(|l| l.trim_start().starts_with("-- loses no data:"))
    {
        return None;
    }
    let code: String = sql
        .lines()
        .map(|l| l.split("--").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase();
    ["DROP TABLE", "DROP COLUMN", "DELETE FROM", "TRUNCATE", " RENAME "]
        .iter()
        .find(|w| code.contains(*w))
        .map(|w| {
            format!(
                "`{}` may lose data: copy it first and say so in a `-- loses no data: why` line",
                w.trim()
            )
        })
}

/// Writes `tests/upgrades/schema-NNNN.db` for this build's last migration
/// (`scripts/upgrade-fixture.sh` runs it; committed with the migration that follows).
#[tokio::test]
#[ignore = "makes a fixture: scripts/upgrade-fixture.sh"]
async fn make_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fixture.db");
    let server = Server::start_with(&db, "127.0.0.1:0", |c| c.webhook_private_addresses = true).await;
    let (mut ben, mut vera, conversation, token) = bens_chat(&server).await;
    say(&mut vera, "v1", "Before the upgrade").await;
    let reply = chinwag_protocol::AgentFrame::Message {
        conversation: conversation.clone(),
        message: chinwag_protocol::Outgoing {
            id: "a1".into(),
            text: "Welcome, Vera".into(),
        },
    };
    send(&mut ben.ws, &reply).await;
    until(&mut ben.ws, |f| matches!(f, ServerFrame::Ack { .. })).await;
    let upload = reqwest::Client::new()
        .post(server.url("/api/sites/demo/files"))
        .query(&[("id", "f1"), ("name", "notes.txt")])
        .header("origin", SITE_ORIGIN)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "text/plain")
        .body("a file from before the upgrade")
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 200);
    close_chat(&mut ben, Some(&mut vera), &conversation).await;
    send(
        &mut vera,
        &chinwag_protocol::VisitorFrame::Rate(chinwag_protocol::Rating {
            score: 5,
            comment: "Quick".into(),
        }),
    )
    .await;
    until(&mut vera, |f| {
        matches!(
            event_in(f, &conversation),
            Some(chinwag_protocol::EventKind::Rated { .. })
        )
    })
    .await;
    let hook = closed_port_hook(&server, &["message.created"]).await;
    drop(hook);
    let activity = reqwest::Client::new()
        .post(server.url("/api/sites/demo/activity"))
        .header("origin", SITE_ORIGIN)
        .body(
            handoff_report(
                "r1",
                "browser-1",
                &[("first_name", "Lea"), ("email", "lea@shop.test")],
                chinwag_server::db::now_ms() - 5_000,
            )
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(activity.status(), 200);
    let pool = support::db(&db).await;
    let now = chinwag_server::db::now_ms() as i64 / 1000;
    let meeting = booked_meeting("meeting-before", ("Lea", "lea@shop.test"), "Lea here", now);
    chinwag_server::meetings::store::insert(&pool, &meeting, "meetings:sales")
        .await
        .unwrap();
    let migrations: i64 = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/upgrades/schema-{migrations:04}.db"));
    let _ = std::fs::remove_file(&out);
    sqlx::query("VACUUM INTO $1")
        .bind(out.to_string_lossy().into_owned())
        .execute(&pool)
        .await
        .unwrap();
    println!("wrote {}", out.display());
    server.stop().await;
}
