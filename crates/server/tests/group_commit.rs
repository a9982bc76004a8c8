//! Group commit keeps every promise of a single append: gapless sequence numbers, one
//! event per client id (also when both copies land in one group), and a failure of
//! one append (an unknown conversation) touching nobody else's.

mod support;

use chinwag_protocol::{EventKind, Role};
use chinwag_server::db;
use chinwag_server::live::commit::Writer;

fn message(text: &str) -> EventKind {
    EventKind::Message {
        role: Role::Visitor,
        author: "V".into(),
        text: text.into(),
        id: text.into(),
        file: None,
    }
}

async fn one_conversation(dir: &tempfile::TempDir) -> db::Db {
    let pool = support::db(&dir.path().join("c.db")).await;
    let conversation = db::Conversation {
        id: "c1".into(),
        site_id: "s".into(),
        dialogue_id: "d".into(),
        page_url: "https://x.test/".into(),
        attributes: Default::default(),
        verified: vec![],
        agent_id: None,
        state: Default::default(),
        snoozed_until: None,
        last_seq: 0,
        created_at: 0,
        active_at: 0,
        route: None,
        queued_at: None,
    };
    db::create_conversation(&pool, &conversation).await.unwrap();
    pool
}

#[tokio::test]
async fn concurrent_appends_in_groups_stay_gapless_unique_and_isolated() {
    let dir = tempfile::tempdir().unwrap();
    let pool = one_conversation(&dir).await;
    let writer = Writer::start(pool.clone(), &Default::default());
    // 300 appends at once, every id twice, and some for a conversation that is not there.
    let mut tasks = Vec::new();
    for n in 0..300 {
        let writer = writer.clone();
        tasks.push(tokio::spawn(async move {
            let id = format!("m{}", n / 2);
            let to = if n % 50 == 7 { "nowhere" } else { "c1" };
            (to, writer.append(to, Some(&id), &message(&id)).await)
        }));
    }
    let mut stored = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            ("nowhere", outcome) => assert!(outcome.is_err(), "an unknown conversation fails alone"),
            (_, outcome) => stored.push(outcome.expect("the others are stored")),
        }
    }
    let events = db::events_after(&pool, "c1", 0).await.unwrap();
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=events.len() as u64).collect::<Vec<_>>(), "gapless");
    let mut ids: Vec<String> = events
        .iter()
        .map(|e| match &e.kind {
            EventKind::Message { id, .. } => id.clone(),
            _ => unreachable!(),
        })
        .collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "each client id stored once");
    assert_eq!(ids.len(), 150, "every id made it, from one copy or the other");
    // Both copies of an id were answered with the same stored event.
    for (event, _) in &stored {
        assert!(events.iter().any(|e| e.seq == event.seq && e.kind == event.kind));
    }
}

/// One at a time (a group of one commits without a savepoint): a resent id and a
/// failed append leave no gap and change nothing.
#[tokio::test]
async fn lone_appends_keep_the_same_promises() {
    let dir = tempfile::tempdir().unwrap();
    let pool = one_conversation(&dir).await;
    let writer = Writer::start(pool.clone(), &Default::default());
    let (first, duplicate) = writer.append("c1", Some("a"), &message("a")).await.unwrap();
    assert!(!duplicate);
    let (again, duplicate) = writer.append("c1", Some("a"), &message("a")).await.unwrap();
    assert!(duplicate, "a resent id is answered with the stored event");
    assert_eq!((again.seq, again.at), (first.seq, first.at));
    assert!(writer.append("nowhere", Some("x"), &message("x")).await.is_err());
    let (next, _) = writer.append("c1", Some("b"), &message("b")).await.unwrap();
    assert_eq!(
        next.seq,
        first.seq + 1,
        "neither the resend nor the failure left a gap"
    );
    let seqs: Vec<u64> = db::events_after(&pool, "c1", 0)
        .await
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(seqs, [1, 2]);
}

/// Other writers (a purge, activity reports, leads) commit between the groups: no
/// append fails for it (in WAL mode a transaction that read first could not write after
/// another commit; an append writes first, and waits its turn).
#[tokio::test]
async fn other_writers_committing_meanwhile_fail_no_append() {
    let dir = tempfile::tempdir().unwrap();
    let pool = one_conversation(&dir).await;
    let writer = Writer::start(pool.clone(), &Default::default());
    let busy = pool.clone();
    let other = tokio::spawn(async move {
        for n in 0..400 {
            sqlx::query("INSERT INTO audit_log (id, at, actor, action, subject, detail) VALUES ($1, 0, 't', 't', 't', 't')")
                .bind(format!("x{n}"))
                .execute(&busy)
                .await
                .unwrap();
        }
    });
    let mut tasks = Vec::new();
    for n in 0..400 {
        let writer = writer.clone();
        tasks.push(tokio::spawn(async move {
            let id = format!("m{n}");
            writer.append("c1", Some(&id), &message(&id)).await
        }));
        if n % 20 == 0 {
            tokio::task::yield_now().await;
        }
    }
    let mut failed = Vec::new();
    for task in tasks {
        if let Err(e) = task.await.unwrap() {
            failed.push(e.to_string());
        }
    }
    other.await.unwrap();
    assert!(
        failed.is_empty(),
        "{} appends failed, first: {:?}",
        failed.len(),
        failed.first()
    );
}

/// The writer keeps one connection between groups. When the database ended it (a
/// restart), the next group failed its callers ("terminating connection due to
/// administrator command": a visitor's hand-off after a database restart got an error
/// and no conversation); now nothing was written, so it goes again on a fresh one.
#[tokio::test]
async fn postgres_only_an_append_after_the_writers_connection_was_dropped_is_stored() {
    if std::env::var("TEST_POSTGRES").is_err() {
        return support::skipped("PostgreSQL ends connections on a restart; SQLite has none to end");
    }
    let dir = tempfile::tempdir().unwrap();
    let pool = one_conversation(&dir).await;
    let writer = Writer::start(pool.clone(), &Default::default());
    writer.append("c1", Some("m1"), &message("m1")).await.unwrap();
    // Every other connection of this database ended, as a restart does.
    let ended: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()) t",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(ended >= 1, "the writer's connection was ended");
    let (event, duplicate) = writer
        .append("c1", Some("m2"), &message("m2"))
        .await
        .expect("stored after all");
    assert!(!duplicate);
    assert_eq!(event.seq, 2);
}
