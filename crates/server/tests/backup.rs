//! Backups and restores (docs/operations.md): `chinwag backup` while 20 visitors chat,
//! `chinwag restore` into a new place (refused while a server runs there), and a server
//! on the restored copy has every message acknowledged before the backup began, once,
//! in order. On PostgreSQL, `pg_dump` and `pg_restore` do the same.

mod support;

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::*;

fn chinwag(database: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chinwag"))
        .args(args)
        .env("CHINWAG_DATABASE", database)
        .env("CHINWAG_SECRET", SECRET)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// Each visitor's acknowledged messages, with when the ack came.
type Acked = Arc<Mutex<Vec<(String, Vec<(String, Instant)>)>>>;

/// 20 visitors, each saying `n` numbered lines, every ack awaited and noted.
async fn twenty_chat(server: &Server, n: usize, acked: Acked) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    for v in 0..20 {
        let mut ws = visitor(server).await;
        let (conversation, _) = start_conversation(&mut ws, TEAM).await;
        let at = {
            let mut all = acked.lock().unwrap();
            all.push((conversation, Vec::new()));
            all.len() - 1
        };
        let acked = acked.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..n {
                let id = format!("v{v}-{i}");
                say(&mut ws, &id, &format!("line {i} of visitor {v}")).await;
                acked.lock().unwrap()[at].1.push((id, Instant::now()));
                // Within a visitor socket's rate limit (5 frames a second).
                tokio::time::sleep(Duration::from_millis(220)).await;
            }
        }));
    }
    tasks
}

/// Waits until `server` serves (it holds its database's lock from then on).
async fn ready(server: &Server) {
    for _ in 0..100 {
        if let Ok(r) = reqwest::get(server.url("/readyz")).await {
            if r.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server never became ready");
}

/// The client ids of a conversation's visitor messages, in stored order.
async fn stored(database: &str, conversation: &str) -> Vec<String> {
    let pool = chinwag_server::db::connect(database).await.unwrap();
    let events = chinwag_server::db::events_after(&pool, conversation, 0)
        .await
        .unwrap();
    pool.close().await;
    events
        .into_iter()
        .filter_map(|e| match e.kind {
            chinwag_protocol::EventKind::Message {
                role: chinwag_protocol::Role::Visitor,
                id,
                ..
            } if !id.starts_with(chinwag_protocol::TRANSCRIPT_ID) => Some(id),
            _ => None,
        })
        .collect()
}

/// Every message acknowledged before `began` is in `database`, once, in the order sent.
async fn holds_all_before(database: &str, acked: &Acked, began: Instant) {
    let all = acked.lock().unwrap().clone();
    let mut counted = 0;
    for (conversation, lines) in all {
        let before: Vec<String> = lines
            .iter()
            .filter(|(_, at)| *at < began)
            .map(|(id, _)| id.clone())
            .collect();
        let kept = stored(database, &conversation).await;
        assert!(
            kept.len() >= before.len() && kept[..before.len()] == before[..],
            "{conversation}: {before:?} then maybe more, once each, in order; the copy has {kept:?}"
        );
        counted += before.len();
    }
    assert!(
        counted >= 20,
        "the backup began once chats were going ({counted} acknowledged before)"
    );
}

#[tokio::test]
async fn first_pass_only_a_backup_taken_while_twenty_visitors_chat_restores_every_acknowledged_message() {
    if std::env::var("TEST_POSTGRES").is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    let server = Server::start(&db).await;
    let acked: Acked = Arc::default();
    let tasks = twenty_chat(&server, 25, acked.clone()).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;

    // The backup runs while the visitors go on writing.
    let copy = dir.path().join("copy.db");
    let began = Instant::now();
    let (database, target) = (db.to_str().unwrap().to_owned(), copy.to_str().unwrap().to_owned());
    let (ok, said) = tokio::task::spawn_blocking(move || chinwag(&database, &["backup", &target]))
        .await
        .unwrap();
    assert!(ok, "{said}");
    assert!(said.contains("conversations"), "{said}");
    let (again, said) = chinwag(db.to_str().unwrap(), &["backup", copy.to_str().unwrap()]);
    assert!(
        !again && said.contains("exists"),
        "never over an earlier copy: {said}"
    );
    for task in tasks {
        task.await.unwrap();
    }

    // Restoring into a place where a server runs is refused; stopped, it goes.
    let restored = dir.path().join("restored.db");
    let other = Server::start(&restored).await;
    ready(&other).await;
    let (ok, said) = chinwag(restored.to_str().unwrap(), &["restore", copy.to_str().unwrap()]);
    assert!(!ok && said.contains("a server is running"), "{said}");
    other.stop().await;
    let (ok, said) = chinwag(restored.to_str().unwrap(), &["restore", copy.to_str().unwrap()]);
    assert!(ok, "{said}");
    let before_restore = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("restored.db.before-restore-")
        });
    assert!(before_restore, "the database it replaced is kept");
    let (ok, said) = chinwag(restored.to_str().unwrap(), &["restore", "/nonexistent/backup.db"]);
    assert!(!ok && said.contains("not a Chinwag backup"), "{said}");

    // A server starts on the copy, with every message acknowledged before the backup.
    let server_again = Server::start(&restored).await;
    let health = reqwest::get(server_again.url("/readyz")).await.unwrap();
    assert_eq!(health.status(), 200);
    holds_all_before(restored.to_str().unwrap(), &acked, began).await;
    server_again.stop().await;
    server.stop().await;
}

/// The PostgreSQL tools in PATH or where Debian puts them.
fn pg_tool(name: &str) -> String {
    let debian = std::fs::read_dir("/usr/lib/postgresql").ok().and_then(|d| {
        d.filter_map(|e| e.ok())
            .map(|e| e.path().join("bin").join(name))
            .find(|p| p.exists())
    });
    debian.map_or_else(|| name.to_owned(), |p| p.to_string_lossy().into_owned())
}

#[tokio::test]
async fn postgres_only_pg_dump_and_pg_restore_bring_every_message_back() {
    let Ok(server_url) = std::env::var("TEST_POSTGRES") else {
        return skipped("TEST_POSTGRES is not set");
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    let server = Server::start(&db).await;
    let acked: Acked = Arc::default();
    for task in twenty_chat(&server, 5, acked.clone()).await {
        task.await.unwrap();
    }
    let began = Instant::now();
    let source = database(&db).await;
    let dump = dir.path().join("chinwag.dump");
    let out = Command::new(pg_tool("pg_dump"))
        .args(["--format=custom", "--file", dump.to_str().unwrap(), &source])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    server.stop().await;

    // Into a new, empty database, as docs/operations.md says.
    let target = database(&dir.path().join("restored.db")).await;
    let out = Command::new(pg_tool("pg_restore"))
        .args(["--no-owner", "--dbname", &target, dump.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(target.starts_with(&server_url));
    holds_all_before(&target, &acked, began).await;
    // `chinwag doctor` on the restored PostgreSQL database: reachable, fully migrated.
    let (_, said) = chinwag(&target, &["doctor"]);
    assert!(said.contains("ok    database: reachable, all "), "{said}");
    let restored = Server::start(Path::new(&dir.path().join("restored.db"))).await;
    assert_eq!(reqwest::get(restored.url("/readyz")).await.unwrap().status(), 200);
    restored.stop().await;
}
