//! Search (docs/inbox.md, "Search"): messages, private notes and visitors' names and
//! emails, by word prefix, on both engines behind one API; only what the agent may see;
//! what an agent types is never an operator; the matching words marked; an erased
//! conversation is gone from the index, and from the database file.

mod support;

use chinwag_protocol::{AgentFrame, EventKind, Outgoing, ServerFrame};
use serde_json::Value;
use support::*;

async fn search(agent: &Agent, server: &Server, q: &str) -> (u16, Value) {
    let response = agent
        .http
        .get(server.url("/api/search"))
        .query(&[("q", q)])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// The results as (conversation, kind, the marked words).
fn found(answer: &Value) -> Vec<(String, String, Vec<String>)> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let text = r["text"].as_str().unwrap();
            let marked = r["marks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| text[m[0].as_u64().unwrap() as usize..m[1].as_u64().unwrap() as usize].to_owned())
                .collect();
            (
                r["conversation"].as_str().unwrap().to_owned(),
                r["kind"].as_str().unwrap().to_owned(),
                marked,
            )
        })
        .collect()
}

#[tokio::test]
async fn agents_find_messages_notes_and_visitors_they_may_see_with_the_words_marked() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let mut ben = agent(&server, "ben@demo.chinwag").await;
    let mut visitor = visitor(&server).await;
    let (conversation, _) = start_conversation(&mut visitor, AGENT_BEN).await;
    until(&mut ben.ws, |f| matches!(f, ServerFrame::Event(e) if e.conversation == conversation && matches!(e.kind, EventKind::Assigned { .. }))).await;
    send(&mut visitor, &message("v1", "Do you offer Quarterly invoicing?")).await;
    until(&mut visitor, |f| matches!(f, ServerFrame::Ack { .. })).await;
    send(
        &mut ben.ws,
        &AgentFrame::Note {
            conversation: conversation.clone(),
            note: Outgoing {
                id: "n1".into(),
                text: "Check the zephyr discount with finance".into(),
            },
        },
    )
    .await;
    until(
        &mut ben.ws,
        |f| matches!(f, ServerFrame::Ack { id, .. } if id == "n1"),
    )
    .await;

    // A word's beginning finds it, in any case; the word is marked.
    let (status, answer) = search(&ben, &server, "quart").await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        found(&answer),
        [(
            conversation.clone(),
            "message".into(),
            vec!["Quarterly".to_owned()]
        )]
    );
    assert_eq!(answer["results"][0]["visitor"], "Vera");
    // Every word must match (in one line).
    assert!(found(&search(&ben, &server, "quarterly zephyr").await.1).is_empty());
    // Notes, and the visitor's email.
    let (_, notes) = search(&ben, &server, "ZEPHYR").await;
    assert_eq!(found(&notes)[0].1, "note");
    let (_, visitors) = search(&ben, &server, "vera@shop").await;
    assert_eq!(found(&visitors)[0].1, "visitor");
    assert_eq!(found(&visitors)[0].2, ["Vera", "vera", "shop"]);

    // Alice may not see Ben's chat: she finds nothing of it.
    let alice = agent(&server, "alice@demo.chinwag").await;
    assert!(found(&search(&alice, &server, "quarterly").await.1).is_empty());

    // What an agent types is words, never the engine's syntax.
    for typed in [
        r#"quart" OR "zeph"#,
        "NEAR(quarterly invoicing)",
        "quart*",
        "-x",
        "invoicing:* | zephyr",
    ] {
        let (status, answer) = search(&ben, &server, typed).await;
        assert_eq!(status, 200, "{typed}: {answer}");
    }
    let (status, answer) = search(&ben, &server, " \"*: ").await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("at least one word"));
    server.stop().await;
}

#[tokio::test]
async fn a_conversation_its_visitor_deleted_is_gone_from_the_search_and_its_file() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let mut ben = agent(&server, "ben@demo.chinwag").await;
    let mut visitor = visitor(&server).await;
    let (conversation, _) = start_conversation(&mut visitor, AGENT_BEN).await;
    until(&mut ben.ws, |f| matches!(f, ServerFrame::Event(e) if e.conversation == conversation && matches!(e.kind, EventKind::Assigned { .. }))).await;
    send(&mut visitor, &message("v1", "my secret word is xylophonist")).await;
    until(&mut visitor, |f| matches!(f, ServerFrame::Ack { .. })).await;
    assert_eq!(found(&search(&ben, &server, "xylophonist").await.1).len(), 1);

    send(&mut visitor, &chinwag_protocol::VisitorFrame::Erase {}).await;
    until(&mut visitor, |f| matches!(f, ServerFrame::Erased { .. })).await;
    assert!(found(&search(&ben, &server, "xylophonist").await.1).is_empty());
    server.stop().await;
    // SQLite: no trace in the file or its write-ahead log (FTS5's secure-delete, the
    // database's secure_delete).
    if std::env::var("TEST_POSTGRES").is_err() {
        for file in [db.clone(), db.with_extension("db-wal")] {
            if let Ok(bytes) = std::fs::read(&file) {
                let text = String::from_utf8_lossy(&bytes);
                assert!(!text.contains("xylophonist"), "{} still holds it", file.display());
            }
        }
    }
}
