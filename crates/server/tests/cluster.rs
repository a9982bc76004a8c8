//! Two nodes on one PostgreSQL database, as behind a balancer: a visitor on one and an
//! agent on the other talk as if on one node, every event in order on both sides,
//! typing included. The `postgres_only_` tests need PostgreSQL (`TEST_POSTGRES`):
//! `scripts/test.sh` leaves them out of its SQLite pass by name (the count shows as
//! "filtered out") and runs them in its PostgreSQL pass; the rest run on both engines.

mod support;

use chinwag_protocol::{AgentFrame, EventKind, Outgoing, Role, ServerFrame};
use std::path::Path;
use support::*;

/// Two servers on the same database, or `None` outside the PostgreSQL pass.
async fn two_nodes(db: &Path) -> Option<(Server, Server)> {
    if std::env::var("TEST_POSTGRES").is_err() {
        return None;
    }
    Some((Server::start(db).await, Server::start(db).await))
}

/// The conversation's events as a socket hears them, until every text of `last` has
/// been heard: (seq, message text or "").
async fn hear(ws: &mut Socket, conversation: &str, last: &[String]) -> Vec<(u64, String)> {
    let mut heard: Vec<(u64, String)> = Vec::new();
    while !last.iter().all(|l| heard.iter().any(|(_, t)| t == l)) {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(5), recv_any(ws))
            .await
            .unwrap_or_else(|_| panic!("{last:?} within 5 s; heard {heard:?}"));
        if let ServerFrame::Event(e) = frame {
            if e.conversation != conversation {
                continue;
            }
            let text = match e.kind {
                EventKind::Message { text, .. } => text,
                _ => String::new(),
            };
            heard.push((e.seq, text));
        }
    }
    heard
}

async fn recv_any(ws: &mut Socket) -> ServerFrame {
    use futures_util::StreamExt;
    loop {
        if let Some(Ok(tokio_tungstenite::tungstenite::Message::Text(t))) = ws.next().await {
            return serde_json::from_str(&t).unwrap();
        }
    }
}

/// Every event after the first exactly once, in order; each side's messages in the
/// order they were sent.
fn in_order(heard: &[(u64, String)], count: usize) {
    for pair in heard.windows(2) {
        assert_eq!(
            pair[1].0,
            pair[0].0 + 1,
            "no gap, no repeat, no reordering: {heard:?}"
        );
    }
    for side in ["visitor", "agent"] {
        let texts: Vec<&str> = heard
            .iter()
            .map(|(_, t)| t.as_str())
            .filter(|t| t.starts_with(side))
            .collect();
        let sent: Vec<String> = (1..=count).map(|n| format!("{side} {n}")).collect();
        assert_eq!(texts, sent, "{side}'s messages, all, in order");
    }
}

#[tokio::test]
async fn postgres_only_a_visitor_on_one_node_and_an_agent_on_another_talk_in_order() {
    let (_dir, db) = temp_db();
    let Some((a, b)) = two_nodes(&db).await else {
        return skipped("two nodes need PostgreSQL (TEST_POSTGRES)");
    };
    let mut ben = agent(&b, "ben@demo.chinwag").await;
    let mut visitor = visitor(&a).await;
    let (conversation, _) = start_conversation(&mut visitor, TEAM).await;
    until(&mut ben.ws, |f| {
        matches!(f, ServerFrame::Event(e) if e.conversation == conversation && matches!(e.kind, EventKind::Assigned { .. }))
    })
    .await;

    // Typing crosses nodes both ways.
    send(&mut visitor, &chinwag_protocol::VisitorFrame::Typing(true)).await;
    until(&mut ben.ws, |f| {
        matches!(
            f,
            ServerFrame::Typing {
                who: Role::Visitor,
                on: true,
                ..
            }
        )
    })
    .await;
    send(
        &mut ben.ws,
        &AgentFrame::Typing {
            conversation: conversation.clone(),
            on: true,
        },
    )
    .await;
    until(&mut visitor, |f| {
        matches!(
            f,
            ServerFrame::Typing {
                who: Role::Agent,
                on: true,
                ..
            }
        )
    })
    .await;

    // Both write at once, each on their own node.
    const COUNT: usize = 12;
    for n in 1..=COUNT {
        send(&mut visitor, &message(&format!("v{n}"), &format!("visitor {n}"))).await;
        let reply = AgentFrame::Message {
            conversation: conversation.clone(),
            message: Outgoing {
                id: format!("a{n}"),
                text: format!("agent {n}"),
            },
        };
        send(&mut ben.ws, &reply).await;
    }
    let last = [format!("visitor {COUNT}"), format!("agent {COUNT}")];
    let on_a = hear(&mut visitor, &conversation, &last).await;
    let on_b = hear(&mut ben.ws, &conversation, &last).await;
    in_order(&on_a, COUNT);
    in_order(&on_b, COUNT);
    let history = ben.history(&a, &conversation).await;
    assert!(history.contains(&format!("visitor {COUNT}")) && history.contains(&format!("agent {COUNT}")));
}

#[tokio::test]
async fn postgres_only_every_node_is_ready_once_it_hears_the_others() {
    let (_dir, db) = temp_db();
    let Some((a, b)) = two_nodes(&db).await else {
        return skipped("two nodes need PostgreSQL (TEST_POSTGRES)");
    };
    for node in [&a, &b] {
        let mut ready = false;
        for _ in 0..50 {
            let status = reqwest::get(node.url("/readyz")).await.unwrap().status();
            if status == 200 {
                ready = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(ready, "{} becomes ready", node.url("/readyz"));
    }
}

async fn status(db: &chinwag_server::db::Db, agent: &str) -> String {
    sqlx::query_scalar("SELECT status FROM agents WHERE id = $1")
        .bind(agent)
        .fetch_one(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn postgres_only_an_agent_stays_online_while_any_node_holds_their_inbox() {
    let (_dir, path) = temp_db();
    let Some((a, b)) = two_nodes(&path).await else {
        return skipped("two nodes need PostgreSQL (TEST_POSTGRES)");
    };
    let db = support::db(&path).await;
    let on_a = agent(&a, "ben@demo.chinwag").await;
    let on_b = agent(&b, "ben@demo.chinwag").await;
    assert_eq!(status(&db, "ben").await, "available");
    drop(on_a);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        status(&db, "ben").await,
        "available",
        "still open on the other node"
    );
    drop(on_b);
    for _ in 0..50 {
        if status(&db, "ben").await == "offline" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("ben is offline once his last inbox closed");
}

/// A node that died cannot say its agents left: its rows stop being renewed, and any
/// other node sets those agents offline within seconds. On one node too.
#[tokio::test]
async fn the_agents_of_a_dead_node_go_offline_within_seconds() {
    let (_dir, path) = temp_db();
    let _server = Server::start(&path).await;
    let db = support::db(&path).await;
    // The dead node's row, last renewed just now, held before the status changed (as
    // a node does: a sweep in between would rightly set her offline at once).
    let renewed_until = (chinwag_server::db::now_ms() + 2_000) as i64;
    sqlx::query("INSERT INTO presence (agent_id, node_id, expires_at) VALUES ('ana', 'dead', $1)")
        .bind(renewed_until)
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("UPDATE agents SET status = 'available' WHERE id = 'ana'")
        .execute(&db)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    while status(&db, "ana").await != "offline" {
        assert!(
            started.elapsed().as_secs() < 10,
            "offline within seconds of the last renewal"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(
        started.elapsed().as_millis() >= 1_900,
        "not before the dead node's row expired ({:?})",
        started.elapsed()
    );
}

/// A node that could not renew for a while (its row expired, another node's sweep set
/// the agent offline) puts the agent back as soon as it renews: an open inbox is
/// never left offline. Renewal used to touch only rows still there, so the agent
/// stayed offline with the inbox open until it was reopened.
#[tokio::test]
async fn an_open_inbox_comes_back_online_after_its_row_was_lost() {
    let (_dir, path) = temp_db();
    let server = Server::start(&path).await;
    let db = support::db(&path).await;
    let _ben = agent(&server, "ben@demo.chinwag").await;
    assert_eq!(status(&db, "ben").await, "available");
    // What a sweep elsewhere does once the row has expired.
    sqlx::query("DELETE FROM presence WHERE agent_id = 'ben'")
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("UPDATE agents SET status = 'offline' WHERE id = 'ben'")
        .execute(&db)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    while status(&db, "ben").await != "available" {
        assert!(
            started.elapsed() < chinwag_server::cluster::presence::RENEW * 3,
            "available again within a renewal or two"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM presence WHERE agent_id = 'ben'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(rows, 1, "held again");
}

/// Round robin takes turns even when chats arrive at the same moment on different
/// nodes (and on one node): each turn is advanced by a conditional write, so sixteen
/// simultaneous chats give each of two agents eight.
#[tokio::test]
async fn simultaneous_chats_on_several_nodes_take_round_robin_turns() {
    let (_dir, db) = temp_db();
    let (a, b) = match two_nodes(&db).await {
        Some(nodes) => nodes,
        None => {
            let server = Server::start(&db).await;
            let same = Server::start(&db).await;
            (server, same)
        }
    };
    // Eight chats each, past the default capacity of 5 (docs/inbox.md, "Capacity").
    let pool = support::db(&db).await;
    for agent in ["ben", "alice"] {
        chinwag_server::db::set_max_chats(&pool, agent, 8).await.unwrap();
    }
    let _ben = agent(&a, "ben@demo.chinwag").await;
    let _alice = agent(&b, "alice@demo.chinwag").await;
    let mut visitors = Vec::new();
    for n in 0..16 {
        let node = if n % 2 == 0 { &a } else { &b };
        let mut ws = visitor(node).await;
        send(&mut ws, &hello(None, 0)).await;
        until(&mut ws, |f| matches!(f, ServerFrame::Welcome(_))).await;
        visitors.push(ws);
    }
    // Every hand-off sent before any is answered.
    for ws in &mut visitors {
        send(ws, &handoff("h1", ROUND_ROBIN, &[("first_name", "Vera")])).await;
    }
    let mut given: std::collections::BTreeMap<String, usize> = Default::default();
    for ws in &mut visitors {
        let frame = until(
            ws,
            |f| matches!(f, ServerFrame::Event(e) if matches!(e.kind, EventKind::Assigned { .. })),
        )
        .await;
        if let ServerFrame::Event(e) = frame {
            if let EventKind::Assigned { agent_id, .. } = e.kind {
                *given.entry(agent_id).or_default() += 1;
            }
        }
    }
    assert_eq!(
        given.into_iter().collect::<Vec<_>>(),
        vec![("alice".to_owned(), 8), ("ben".to_owned(), 8)],
        "turns taken in order, none twice"
    );
}

/// Background work runs on one node at a time: a lease held by a live node is not
/// taken, its holder renews it, and a dead holder's lease passes on once it runs out.
#[tokio::test]
async fn postgres_only_one_node_at_a_time_holds_a_lease_until_its_holder_stops_renewing() {
    use chinwag_server::cluster::lease::hold;
    use std::time::Duration;
    let (_dir, path) = temp_db();
    if std::env::var("TEST_POSTGRES").is_err() {
        return skipped("one node only on SQLite: the lease is always held");
    }
    let db = support::db(&path).await;
    // Spans far longer than the test where a lease must hold (no timing margins), a
    // short one where it must run out, and a bounded wait for that.
    let long = Duration::from_secs(60);
    assert!(hold(&db, "work", "a", long).await.unwrap(), "a takes it");
    assert!(
        !hold(&db, "work", "b", long).await.unwrap(),
        "b waits while a holds it"
    );
    assert!(hold(&db, "work", "a", long).await.unwrap(), "a renews");
    assert!(!hold(&db, "work", "b", long).await.unwrap(), "renewed: still a's");
    assert!(
        hold(&db, "work", "a", Duration::from_millis(300)).await.unwrap(),
        "a renews one last time, briefly"
    );
    let mut taken = false;
    for _ in 0..100 {
        taken = hold(&db, "work", "b", long).await.unwrap();
        if taken {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(taken, "a stopped renewing: b takes over");
    assert!(
        !hold(&db, "work", "a", long).await.unwrap(),
        "and a cannot take it back"
    );
}

/// A node that hears no ring still hands out a new conversation from its first event:
/// its sweep finds the conversation (here on SQLite, two nodes on one file and no
/// broker; on PostgreSQL, as after a ring lost while the broker reconnects). The sweep
/// used to take a conversation it had not met at its latest number, so the agent on
/// the other node never heard it was theirs.
#[tokio::test]
async fn a_conversation_found_by_the_sweep_is_handed_out_from_its_first_event() {
    let (_dir, db) = temp_db();
    let (a, b) = (Server::start(&db).await, Server::start(&db).await);
    let mut ben = agent(&b, "ben@demo.chinwag").await;
    // The other node's first sweep (which takes what exists as heard) is over.
    tokio::time::sleep(chinwag_server::cluster::delivery::SWEEP * 2).await;
    let mut visitor = visitor(&a).await;
    let (conversation, _) = start_conversation(&mut visitor, AGENT_BEN).await;
    let mut heard = Vec::new();
    loop {
        if let ServerFrame::Event(e) = recv(&mut ben.ws).await {
            if e.conversation == conversation {
                heard.push(e.seq);
                if matches!(e.kind, EventKind::Assigned { .. }) {
                    break;
                }
            }
        }
    }
    assert_eq!(heard[0], 1, "from the first event on: {heard:?}");
    assert!(heard.windows(2).all(|p| p[1] == p[0] + 1), "in order: {heard:?}");
}

/// Two nodes' group commits could lock the same conversations in opposite orders on
/// PostgreSQL; each group now locks in one order, and an append that still loses a
/// deadlock (here to another transaction) is tried again instead of failing: its
/// caller, a server-made event included, hears it stored.
#[tokio::test(flavor = "current_thread")]
async fn postgres_only_an_append_that_loses_a_deadlock_is_stored_all_the_same() {
    if std::env::var("TEST_POSTGRES").is_err() {
        return skipped("one writer per SQLite file: no deadlock to lose");
    }
    let (_dir, path) = temp_db();
    let db = support::db(&path).await;
    for id in ["c-a", "c-x"] {
        sqlx::query(
            "INSERT INTO conversations (id, site_id, dialogue_id, page_url, attributes, status, created_at) \
             VALUES ($1, 'demo', 'd', 'https://shop.test/', '{}', 'open', 0)",
        )
        .bind(id)
        .execute(&db)
        .await
        .unwrap();
    }
    let writer = chinwag_server::live::commit::Writer::start(db.clone(), &Default::default());
    let mut other = chinwag_server::db::begin(&db).await.unwrap();
    let lock = "UPDATE conversations SET last_seq = last_seq WHERE id = $1";
    sqlx::query(lock).bind("c-x").execute(&mut *other).await.unwrap();
    let message = |text: &str| EventKind::Message {
        role: Role::Visitor,
        author: "Vera".into(),
        text: text.into(),
        id: text.into(),
        file: None,
    };
    // One group (this runtime has one thread: both are queued before the writer
    // runs): it locks c-a, then waits for c-x, which the other transaction holds while
    // it asks for c-a.
    let (m_a, m_x) = (message("m-a"), message("m-x"));
    let (a, x, ()) = tokio::join!(
        writer.append("c-a", Some("m-a"), &m_a),
        writer.append("c-x", Some("m-x"), &m_x),
        async {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            sqlx::query(lock).bind("c-a").execute(&mut *other).await.unwrap();
            other.rollback().await.unwrap();
        }
    );
    assert_eq!(a.unwrap().0.seq, 1);
    assert_eq!(x.expect("stored after the deadlock").0.seq, 1);
}

/// Wrong passwords count on every node: five on one, and the next sign-in anywhere is
/// refused (they used to count per node, so N nodes gave N times the guesses).
#[tokio::test]
async fn postgres_only_wrong_passwords_on_one_node_slow_sign_ins_on_every_node() {
    let (_dir, db) = temp_db();
    let Some((a, b)) = two_nodes(&db).await else {
        return skipped("two nodes need PostgreSQL (TEST_POSTGRES)");
    };
    let http = reqwest::Client::new();
    let login = |server: &Server, password: &str| {
        http.post(server.url("/api/login"))
            .json(&serde_json::json!({ "email": "ben@demo.chinwag", "password": password }))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(login(&a, "wrong").await.unwrap().status(), 403);
    }
    let refused = login(&b, chinwag_server::demo::PASSWORD).await.unwrap();
    assert_eq!(refused.status(), 429, "the other node knows");
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("too many sign-in attempts"));
}
