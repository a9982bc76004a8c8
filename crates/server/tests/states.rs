//! Conversation states (docs/inbox.md, "States"): snoozed until a time or until the
//! visitor writes, closed, and open again with the whole history; the visitor never
//! hears of a snooze; the lists per state, newest activity first; the webhooks.

mod support;

use chinwag_protocol::{AgentFrame, AgentStatus, EventKind, Outgoing, Role, ServerFrame};
use serde_json::Value;
use support::*;

/// The conversation as the agent's list shows it, in `state`.
async fn listed(agent: &Agent, server: &Server, state: &str, id: &str) -> Option<Value> {
    let list = agent
        .get_json(server, &format!("/api/conversations?state={state}"))
        .await;
    list.as_array()?.iter().find(|c| c["id"] == id).cloned()
}

#[tokio::test]
async fn a_snooze_until_the_visitor_writes_ends_when_they_write_and_they_never_hear_of_it() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let (mut ben, mut visitor, conversation, token) = bens_chat(&server).await;

    send(
        &mut ben.ws,
        &AgentFrame::Snooze {
            conversation: conversation.clone(),
            until: None,
        },
    )
    .await;
    until(&mut ben.ws, |f| {
        matches!(
            event_in(f, &conversation),
            Some(EventKind::Snoozed { until: None })
        )
    })
    .await;
    let snoozed = listed(&ben, &server, "snoozed", &conversation)
        .await
        .expect("in the snoozed list");
    assert_eq!(snoozed["state"], "snoozed");
    assert!(listed(&ben, &server, "open", &conversation).await.is_none());

    say(&mut visitor, "v1", "Any news?").await;
    let reopened = until(&mut ben.ws, |f| {
        matches!(event_in(f, &conversation), Some(EventKind::Reopened { .. }))
    })
    .await;
    assert!(matches!(
        event_in(&reopened, &conversation),
        Some(EventKind::Reopened { by: Role::Visitor })
    ));
    let open = listed(&ben, &server, "open", &conversation)
        .await
        .expect("open again");
    assert_eq!(open["agent_id"], "ben", "a snoozed chat keeps its agent");
    assert!(open["snoozed_until"].is_null());

    // Neither live nor replayed does the visitor's socket carry the snooze.
    let mut again = support::visitor(&server).await;
    send(&mut again, &hello(Some(token), 0)).await;
    let mut replayed = Vec::new();
    loop {
        let frame = recv(&mut again).await;
        replayed.push(serde_json::to_string(&frame).unwrap());
        if matches!(&frame, ServerFrame::Event(e) if matches!(&e.kind, EventKind::Message { text, .. } if text == "Any news?"))
        {
            break;
        }
    }
    let replayed = replayed.join("\n");
    assert!(
        !replayed.contains("snoozed"),
        "the visitor's socket carried: {replayed}"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_snooze_until_a_time_opens_the_conversation_again_at_that_time() {
    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, "127.0.0.1:0", |c| c.webhook_private_addresses = true).await;
    closed_port_hook(&server, &["conversation.snoozed", "conversation.reopened"]).await;
    let (mut ben, _visitor, conversation, _) = bens_chat(&server).await;

    // In the past, or more than a year away: refused, and nothing changes.
    let now = chinwag_server::db::now_ms();
    for until in [now - 1_000, now + 400 * 24 * 3600 * 1000] {
        send(
            &mut ben.ws,
            &AgentFrame::Snooze {
                conversation: conversation.clone(),
                until: Some(until),
            },
        )
        .await;
        let refused = until_frame(&mut ben.ws).await;
        assert!(
            matches!(&refused, ServerFrame::Error(e) if e.message.contains("in the future")),
            "{refused:?}"
        );
    }
    assert!(listed(&ben, &server, "open", &conversation).await.is_some());

    let at = chinwag_server::db::now_ms() + 1_500;
    send(
        &mut ben.ws,
        &AgentFrame::Snooze {
            conversation: conversation.clone(),
            until: Some(at),
        },
    )
    .await;
    until(&mut ben.ws, |f| {
        matches!(
            event_in(f, &conversation),
            Some(EventKind::Snoozed { until: Some(_) })
        )
    })
    .await;
    let snoozed = listed(&ben, &server, "snoozed", &conversation)
        .await
        .expect("snoozed");
    assert_eq!(snoozed["snoozed_until"], at);
    // The wake-up looks every few seconds.
    let woke = until(&mut ben.ws, |f| {
        matches!(event_in(f, &conversation), Some(EventKind::Reopened { .. }))
    })
    .await;
    assert!(matches!(
        event_in(&woke, &conversation),
        Some(EventKind::Reopened { by: Role::System })
    ));
    assert!(chinwag_server::db::now_ms() >= at, "woke before its time");
    assert!(listed(&ben, &server, "open", &conversation).await.is_some());

    // Told to the site once each, in order.
    let pool = support::db(&db).await;
    let kinds: Vec<(String,)> = sqlx::query_as(
        "SELECT type FROM webhook_messages WHERE site_id = 'demo' AND type IN ('conversation.snoozed', 'conversation.reopened') ORDER BY created_at, id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let kinds: Vec<String> = kinds.into_iter().map(|(k,)| k).collect();
    assert_eq!(kinds, ["conversation.snoozed", "conversation.reopened"]);
    server.stop().await;
}

/// The next frame that is not an event or a typing indicator.
async fn until_frame(ws: &mut Socket) -> ServerFrame {
    until(ws, |f| {
        !matches!(f, ServerFrame::Event(_) | ServerFrame::Typing { .. })
    })
    .await
}

#[tokio::test]
async fn a_visitor_writing_to_a_closed_chat_reopens_it_to_the_same_agent_with_its_history() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let (mut ben, mut visitor, conversation, _) = bens_chat(&server).await;
    say(&mut visitor, "v1", "Before the close").await;
    close_chat(&mut ben, Some(&mut visitor), &conversation).await;

    // The agent cannot reply to a closed chat without reopening it.
    send(
        &mut ben.ws,
        &AgentFrame::Message {
            conversation: conversation.clone(),
            message: Outgoing {
                id: "a1".into(),
                text: "hello?".into(),
            },
        },
    )
    .await;
    let refused = until_frame(&mut ben.ws).await;
    assert!(matches!(&refused, ServerFrame::Error(_)), "{refused:?}");

    say(&mut visitor, "v2", "One more question").await;
    // The visitor hears their agent join again.
    let joined = until(&mut visitor, |f| {
        matches!(event_in(f, &conversation), Some(EventKind::Assigned { .. }))
    })
    .await;
    assert!(
        matches!(event_in(&joined, &conversation), Some(EventKind::Assigned { agent_id, .. }) if agent_id == "ben")
    );
    let open = listed(&ben, &server, "open", &conversation)
        .await
        .expect("open again");
    assert_eq!(open["agent_id"], "ben");
    let history = ben.history(&server, &conversation).await;
    let (before, after) = (
        history.find("Before the close").expect("the old lines are kept"),
        history.find("One more question").expect("the new line is there"),
    );
    assert!(before < after);
    assert_eq!(history.matches("One more question").count(), 1);
    server.stop().await;
}

#[tokio::test]
async fn a_closed_chat_whose_agent_is_away_goes_to_someone_available_and_an_agent_may_reopen_one() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let (mut ben, mut visitor, conversation, _) = bens_chat(&server).await;
    close_chat(&mut ben, None, &conversation).await;
    send(&mut ben.ws, &AgentFrame::Status(AgentStatus::Away)).await;
    // Frames are handled in order: once the ping is answered, Ben's away is stored.
    send(&mut ben.ws, &AgentFrame::Ping(7)).await;
    until(&mut ben.ws, |f| matches!(f, ServerFrame::Pong(7))).await;
    let mut alice = agent(&server, "alice@demo.chinwag").await;

    say(&mut visitor, "v1", "Anyone?").await;
    let joined = until(&mut visitor, |f| {
        matches!(event_in(f, &conversation), Some(EventKind::Assigned { .. }))
    })
    .await;
    assert!(
        matches!(event_in(&joined, &conversation), Some(EventKind::Assigned { agent_id, .. }) if agent_id == "alice"),
        "{joined:?}"
    );

    // Routing gave it to Alice, the one agent available. Closed again, she reopens it
    // and it stays hers.
    close_chat(&mut alice, None, &conversation).await;
    send(
        &mut alice.ws,
        &AgentFrame::Reopen {
            conversation: conversation.clone(),
        },
    )
    .await;
    let reopened = until(&mut alice.ws, |f| {
        matches!(event_in(f, &conversation), Some(EventKind::Reopened { .. }))
    })
    .await;
    assert!(matches!(
        event_in(&reopened, &conversation),
        Some(EventKind::Reopened { by: Role::Agent })
    ));
    let open = listed(&alice, &server, "open", &conversation)
        .await
        .expect("open again");
    assert_eq!(open["agent_id"], "alice", "whoever reopens a chat answers it");
    server.stop().await;
}

#[tokio::test]
async fn the_lists_are_per_state_newest_activity_first() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let mut ben = agent(&server, "ben@demo.chinwag").await;
    let mut first = visitor(&server).await;
    let (older, _) = start_conversation(&mut first, AGENT_BEN).await;
    let mut second = visitor(&server).await;
    let (newer, _) = start_conversation(&mut second, AGENT_BEN).await;
    until(&mut ben.ws, |f| {
        matches!(event_in(f, &newer), Some(EventKind::Assigned { .. }))
    })
    .await;
    // The older chat has the latest line: it comes first.
    say(&mut first, "v1", "still here").await;
    let list = ben.get_json(&server, "/api/conversations?state=open").await;
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let (a, b) = (
        ids.iter().position(|i| *i == older).unwrap(),
        ids.iter().position(|i| *i == newer).unwrap(),
    );
    assert!(a < b, "{ids:?}");
    let refused = ben
        .http
        .get(server.url("/api/conversations?state=pending"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    server.stop().await;
}
