//! Capacity (docs/inbox.md, "Capacity"): an agent takes at most their capacity of open
//! chats (5 unless an admin says otherwise); a chat that finds everyone able to take it
//! at capacity waits in the queue, and goes to them, by its own route, as soon as a
//! slot frees: a chat closed or snoozed, or more room given.

mod support;

use chinwag_protocol::{AgentFrame, EventKind, ServerFrame};
use serde_json::json;
use support::*;

/// What a new chat heard first: assigned (to whom) or unassigned (queued or not).
async fn routed(visitor: &mut Socket) -> EventKind {
    let heard = until(visitor, |f| {
        matches!(f, ServerFrame::Event(e) if matches!(e.kind, EventKind::Assigned { .. } | EventKind::Unassigned { .. }))
    })
    .await;
    match heard {
        ServerFrame::Event(e) => e.kind,
        _ => unreachable!(),
    }
}

/// A new visitor's chat for Ben.
async fn chat_for_ben(server: &Server) -> (Socket, String, EventKind) {
    let mut visitor = visitor(server).await;
    let (conversation, _) = start_conversation(&mut visitor, AGENT_BEN).await;
    let kind = routed(&mut visitor).await;
    (visitor, conversation, kind)
}

fn to_ben(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Assigned { agent_id, .. } if agent_id == "ben")
}

async fn given_to_ben(visitor: &mut Socket) {
    let kind = routed(visitor).await;
    assert!(to_ben(&kind), "{kind:?}");
}

async fn capacity(admin: &Agent, server: &Server, max: u32) -> reqwest::StatusCode {
    admin
        .http
        .put(server.url("/api/agents/ben"))
        .header("x-csrf-token", &admin.csrf)
        .json(&json!({ "max_chats": max }))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_chat_past_capacity_waits_in_the_queue_and_goes_out_when_a_slot_frees() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let mut ben = agent(&server, "ben@demo.chinwag").await;
    let directory = ben.get_json(&server, "/api/directory").await;
    let listed = directory["agents"].as_array().unwrap();
    let ben_listed = listed.iter().find(|a| a["id"] == "ben").unwrap();
    assert_eq!(ben_listed["max_chats"], 5, "the default capacity");

    let mut chats = Vec::new();
    for _ in 0..5 {
        let (visitor, conversation, kind) = chat_for_ben(&server).await;
        assert!(to_ben(&kind), "{kind:?}");
        chats.push((visitor, conversation));
    }
    // The sixth: Ben is available but full.
    let (mut sixth, queued, kind) = chat_for_ben(&server).await;
    assert!(
        matches!(kind, EventKind::Unassigned { queued: true, .. }),
        "{kind:?}"
    );
    let list = ben.get_json(&server, "/api/conversations?state=open").await;
    let waiting = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == queued)
        .unwrap();
    assert!(waiting["queued_at"].is_u64(), "{waiting}");
    assert!(waiting["agent_id"].is_null());

    // A snoozed chat does not count: snoozing one gives the sixth to Ben.
    send(
        &mut ben.ws,
        &AgentFrame::Snooze {
            conversation: chats[0].1.clone(),
            until: None,
        },
    )
    .await;
    given_to_ben(&mut sixth).await;

    // Full again: the seventh waits; an admin gives Ben more room, and it is his.
    let (mut seventh, _, kind) = chat_for_ben(&server).await;
    assert!(matches!(kind, EventKind::Unassigned { queued: true, .. }));
    let ana = agent(&server, "ana@demo.chinwag").await;
    assert_eq!(capacity(&ana, &server, 0).await, 400);
    assert_eq!(capacity(&ana, &server, 101).await, 400);
    assert_eq!(capacity(&ana, &server, 6).await, 200);
    given_to_ben(&mut seventh).await;

    // Full again: the eighth waits, and the first closed chat frees its slot.
    let (mut eighth, _, kind) = chat_for_ben(&server).await;
    assert!(matches!(kind, EventKind::Unassigned { queued: true, .. }));
    send(
        &mut ben.ws,
        &AgentFrame::Close {
            conversation: chats[1].1.clone(),
        },
    )
    .await;
    given_to_ben(&mut eighth).await;
    server.stop().await;
}
