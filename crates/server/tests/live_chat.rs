//! The server for real: an ephemeral port, a temporary SQLite file, and WebSocket
//! clients playing visitors and agents.

mod support;

use chinwag_protocol::{AgentFrame, ErrorCode, EventKind, Outgoing, Role, ServerFrame};
use futures_util::SinkExt;
use support::*;

fn assigned_to(frame: &ServerFrame) -> Option<String> {
    match frame {
        ServerFrame::Event(e) => match &e.kind {
            EventKind::Assigned { agent_id, .. } => Some(agent_id.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn text_of(frame: &ServerFrame) -> Option<(Role, String)> {
    match frame {
        ServerFrame::Event(e) => match &e.kind {
            EventKind::Message { role, text, .. } => Some((*role, text.clone())),
            _ => None,
        },
        _ => None,
    }
}

#[tokio::test]
async fn a_visitor_and_an_agent_talk_through_a_team_route() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let mut ben = agent(&server, "ben@demo.chinwag").await;
    let mut visitor = visitor(&server).await;
    let (conversation, _token) = start_conversation(&mut visitor, TEAM).await;

    // The visitor sees the bot part stored and the agent assigned.
    let frame = until(&mut visitor, |f| assigned_to(f).is_some()).await;
    assert_eq!(assigned_to(&frame).as_deref(), Some("ben"));
    // The agent's inbox hears of it.
    until(&mut ben.ws, |f| matches!(f, ServerFrame::Event(e) if e.conversation == conversation && matches!(e.kind, EventKind::Started { .. }))).await;

    send(&mut visitor, &message("v1", "Can I pay by invoice?")).await;
    let ack = until(&mut visitor, |f| matches!(f, ServerFrame::Ack { .. })).await;
    let ServerFrame::Ack { id, seq } = ack else {
        unreachable!()
    };
    assert_eq!(id, "v1");
    let heard = until(&mut ben.ws, |f| {
        text_of(f).is_some_and(|(r, _)| r == Role::Visitor)
    })
    .await;
    assert_eq!(
        text_of(&heard),
        Some((Role::Visitor, "Can I pay by invoice?".into()))
    );
    let ServerFrame::Event(event) = heard else {
        unreachable!()
    };
    assert_eq!(
        event.seq, seq,
        "the agent sees the sequence number the visitor was acknowledged with"
    );

    let reply = AgentFrame::Message {
        conversation: conversation.clone(),
        message: Outgoing {
            id: "a1".into(),
            text: "Yes, on every plan.".into(),
        },
    };
    send(&mut ben.ws, &reply).await;
    let answer = until(&mut visitor, |f| {
        text_of(f).is_some_and(|(r, _)| r == Role::Agent)
    })
    .await;
    assert_eq!(
        text_of(&answer),
        Some((Role::Agent, "Yes, on every plan.".into()))
    );
    server.stop().await;
}

#[tokio::test]
async fn round_robin_gives_consecutive_chats_to_each_available_agent() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let _ana = agent(&server, "ana@demo.chinwag").await;
    let _ben = agent(&server, "ben@demo.chinwag").await;
    let mut got = Vec::new();
    for _ in 0..4 {
        let mut v = visitor(&server).await;
        start_conversation(&mut v, ROUND_ROBIN).await;
        got.push(assigned_to(&until(&mut v, |f| assigned_to(f).is_some()).await).unwrap());
    }
    // alice is offline (no inbox open): skipped.
    assert_eq!(got, ["ana", "ben", "ana", "ben"]);
    server.stop().await;
}

#[tokio::test]
async fn custom_rules_pick_the_first_match_and_otherwise_fall_back() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let _alice = agent(&server, "alice@demo.chinwag").await;
    let mut v = visitor(&server).await;
    start_conversation(&mut v, RULES).await;
    assert_eq!(
        assigned_to(&until(&mut v, |f| assigned_to(f).is_some()).await).as_deref(),
        Some("alice")
    );

    // No rule matches: the card's fallback text, and the conversation waits unassigned.
    let mut anonymous = visitor(&server).await;
    send(&mut anonymous, &hello(None, 0)).await;
    send(&mut anonymous, &handoff("h1", RULES, &[])).await;
    let fallback = until(
        &mut anonymous,
        |f| matches!(f, ServerFrame::Event(e) if matches!(e.kind, EventKind::Unassigned { .. })),
    )
    .await;
    let ServerFrame::Event(e) = fallback else {
        unreachable!()
    };
    assert!(
        matches!(e.kind, EventKind::Unassigned { fallback, queued: false } if fallback == "Our specialists are away")
    );
    server.stop().await;
}

#[tokio::test]
async fn nobody_available_still_keeps_the_visitors_message_for_the_inbox() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let mut v = visitor(&server).await;
    let (conversation, _) = start_conversation(&mut v, AGENT_BEN).await;
    until(
        &mut v,
        |f| matches!(f, ServerFrame::Event(e) if matches!(e.kind, EventKind::Unassigned { .. })),
    )
    .await;
    send(&mut v, &message("v1", "Please call me back")).await;
    until(&mut v, |f| matches!(f, ServerFrame::Ack { id, .. } if id == "v1")).await;

    // Later, an agent opens the inbox and finds it, unassigned, with the message.
    let ben = agent(&server, "ben@demo.chinwag").await;
    let list: serde_json::Value = ben.get_json(&server, "/api/conversations").await;
    let found = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == conversation.as_str())
        .expect("listed");
    assert!(found["agent_id"].is_null());
    let events = ben.history(&server, &conversation).await;
    assert!(events.contains("Please call me back"));
    server.stop().await;
}

#[tokio::test]
async fn reconnecting_resends_what_was_missed_and_resent_messages_are_not_duplicated() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let mut ben = agent(&server, "ben@demo.chinwag").await;
    let mut v = visitor(&server).await;
    let (conversation, token) = start_conversation(&mut v, AGENT_BEN).await;
    send(&mut v, &message("v1", "First")).await;
    let ServerFrame::Ack { seq: first_seq, .. } =
        until(&mut v, |f| matches!(f, ServerFrame::Ack { .. })).await
    else {
        unreachable!()
    };
    drop(v); // the visitor's network drops

    // While away, the agent answers.
    let reply = AgentFrame::Message {
        conversation: conversation.clone(),
        message: Outgoing {
            id: "a1".into(),
            text: "Still there?".into(),
        },
    };
    send(&mut ben.ws, &reply).await;
    until(&mut ben.ws, |f| matches!(f, ServerFrame::Ack { .. })).await;

    // Back, with the token and the last sequence number seen: the reply arrives.
    let mut v = visitor(&server).await;
    send(&mut v, &hello(Some(token), first_seq)).await;
    let missed = until(&mut v, |f| text_of(f).is_some()).await;
    assert_eq!(text_of(&missed), Some((Role::Agent, "Still there?".into())));
    let ServerFrame::Event(missed) = missed else {
        unreachable!()
    };
    assert_eq!(missed.seq, first_seq + 1, "nothing before it is sent again");

    // The widget was not sure "First" arrived and sends it again: same ack, no copy.
    send(&mut v, &message("v1", "First")).await;
    let ServerFrame::Ack { seq, .. } = until(&mut v, |f| matches!(f, ServerFrame::Ack { .. })).await else {
        unreachable!()
    };
    assert_eq!(seq, first_seq);
    let events = ben.history(&server, &conversation).await;
    assert_eq!(events.matches("\"First\"").count(), 1);
    server.stop().await;
}

#[tokio::test]
async fn a_server_restart_loses_nothing_and_both_sides_resume() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let addr = server.addr;
    let _ben = agent(&server, "ben@demo.chinwag").await;
    let mut v = visitor(&server).await;
    let (conversation, token) = start_conversation(&mut v, AGENT_BEN).await;
    send(&mut v, &message("v1", "Before the restart")).await;
    let ServerFrame::Ack { seq, .. } = until(&mut v, |f| matches!(f, ServerFrame::Ack { .. })).await else {
        unreachable!()
    };
    server.stop().await;

    let server = Server::start_on(&db, &addr.to_string()).await;
    let mut ben = agent(&server, "ben@demo.chinwag").await;
    let mut v = visitor(&server).await;
    send(&mut v, &hello(Some(token), seq)).await;
    let welcome = until(&mut v, |f| matches!(f, ServerFrame::Welcome(_))).await;
    assert!(
        matches!(welcome, ServerFrame::Welcome(w) if w.conversation.as_deref() == Some(conversation.as_str()))
    );
    send(&mut v, &message("v2", "After the restart")).await;
    let heard = until(&mut ben.ws, |f| text_of(f).is_some()).await;
    assert_eq!(text_of(&heard), Some((Role::Visitor, "After the restart".into())));
    let all = ben.history(&server, &conversation).await;
    assert!(all.contains("Before the restart") && all.contains("After the restart"));
    server.stop().await;
}

#[tokio::test]
async fn other_origins_are_refused_before_the_upgrade() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let url = format!("ws://{}/ws/visitor?site=demo", server.addr);
    let refused = connect(&url, &[("origin", "http://evil.test")]).await;
    assert!(matches!(refused, Err(tokio_tungstenite::tungstenite::Error::Http(r)) if r.status() == 403));
    let no_origin = connect(&url, &[]).await;
    assert!(no_origin.is_err());
    // The inbox socket opens only from the server's own pages.
    let inbox = format!("ws://{}/ws/agent", server.addr);
    assert!(connect(&inbox, &[("origin", SITE_ORIGIN)]).await.is_err());
    server.stop().await;
}

#[tokio::test]
async fn one_visitor_can_never_reach_another_visitors_conversation() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let mut alice = visitor(&server).await;
    let (_, token) = start_conversation(&mut alice, ROUND_ROBIN).await;

    // A forged token (the id of alice's conversation with a made-up signature).
    let mut mallory = visitor(&server).await;
    let forged = format!("{}.AAAA", token.split('.').next().unwrap());
    send(&mut mallory, &hello(Some(forged), 0)).await;
    let refused = recv(&mut mallory).await;
    assert!(matches!(refused, ServerFrame::Error(e) if e.code == ErrorCode::Unauthorized));
    // Without a conversation of her own she can neither write nor read.
    send(&mut mallory, &message("m1", "hijack")).await;
    let refused = until(&mut mallory, |f| matches!(f, ServerFrame::Error(_))).await;
    assert!(matches!(refused, ServerFrame::Error(e) if e.code == ErrorCode::NotFound));
    server.stop().await;
}

/// The inbox's socket answers frames it cannot read as the visitor's does: an error
/// frame, and the socket stays. (Failed before: a binary frame was dropped unanswered.)
#[tokio::test]
async fn an_agent_s_bad_frames_get_error_frames_too() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let mut ana = agent(&server, "ana@demo.chinwag").await;
    ana.ws
        .send(tokio_tungstenite::tungstenite::Message::binary(vec![1, 2, 3]))
        .await
        .unwrap();
    assert!(matches!(recv(&mut ana.ws).await, ServerFrame::Error(e) if e.code == ErrorCode::Malformed));
    send_raw(&mut ana.ws, "{not json").await;
    assert!(matches!(recv(&mut ana.ws).await, ServerFrame::Error(e) if e.code == ErrorCode::Malformed));
    server.stop().await;
}

#[tokio::test]
async fn bad_frames_get_error_frames_and_the_socket_stays_open() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let mut v = visitor(&server).await;
    send(&mut v, &message("m0", "before hello")).await;
    assert!(matches!(recv(&mut v).await, ServerFrame::Error(e) if e.code == ErrorCode::HelloFirst));
    send_raw(&mut v, "{not json").await;
    assert!(matches!(recv(&mut v).await, ServerFrame::Error(e) if e.code == ErrorCode::Malformed));
    send_raw(&mut v, r#"{"shout": "hi"}"#).await;
    assert!(matches!(recv(&mut v).await, ServerFrame::Error(e) if e.code == ErrorCode::Malformed));
    send_raw(
        &mut v,
        &format!(
            r#"{{"message": {{"id": "x", "text": "{}"}}}}"#,
            "a".repeat(70_000)
        ),
    )
    .await;
    assert!(matches!(recv(&mut v).await, ServerFrame::Error(e) if e.code == ErrorCode::TooLarge));
    v.send(tokio_tungstenite::tungstenite::Message::binary(vec![1, 2, 3]))
        .await
        .unwrap();
    assert!(matches!(recv(&mut v).await, ServerFrame::Error(e) if e.code == ErrorCode::Malformed));
    send(&mut v, &chinwag_protocol::VisitorFrame::Ping(42)).await;
    assert!(matches!(recv(&mut v).await, ServerFrame::Error(e) if e.code == ErrorCode::HelloFirst));
    send(&mut v, &hello(None, 0)).await;
    send(&mut v, &chinwag_protocol::VisitorFrame::Ping(42)).await;
    assert_eq!(
        until(&mut v, |f| matches!(f, ServerFrame::Pong(_))).await,
        ServerFrame::Pong(42)
    );
    server.stop().await;
}

#[tokio::test]
async fn floods_are_rate_limited_with_an_error_frame() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let mut v = visitor(&server).await;
    send(&mut v, &hello(None, 0)).await;
    for i in 0..60 {
        send(&mut v, &chinwag_protocol::VisitorFrame::Ping(i)).await;
    }
    let limited = until(&mut v, |f| matches!(f, ServerFrame::Error(_))).await;
    assert!(matches!(limited, ServerFrame::Error(e) if e.code == ErrorCode::RateLimited));
    server.stop().await;
}

#[tokio::test]
async fn the_server_routes_with_its_own_copy_of_the_card_and_unknown_cards_still_reach_someone() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let _ana = agent(&server, "ana@demo.chinwag").await;
    // A card that is not a live-chat card of the stored dialogue (a stale or forged
    // page) cannot pick an agent: it goes round robin.
    let mut v = visitor(&server).await;
    start_conversation(&mut v, "stream[0]").await;
    assert_eq!(
        assigned_to(&until(&mut v, |f| assigned_to(f).is_some()).await).as_deref(),
        Some("ana")
    );
    server.stop().await;
}

#[tokio::test]
async fn a_visitor_deletes_their_conversation_for_good_and_can_start_another() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let mut ben = agent(&server, "ben@demo.chinwag").await;
    let mut visitor = visitor(&server).await;
    // Nothing to delete yet: a clear error, and the socket stays.
    send(&mut visitor, &hello(None, 0)).await;
    until(&mut visitor, |f| matches!(f, ServerFrame::Welcome(_))).await;
    send(&mut visitor, &chinwag_protocol::VisitorFrame::Erase {}).await;
    let refused = until(&mut visitor, |f| matches!(f, ServerFrame::Error(_))).await;
    assert!(matches!(refused, ServerFrame::Error(e) if e.code == ErrorCode::NotFound));

    let (conversation, token) = start_conversation(&mut visitor, TEAM).await;
    send(&mut visitor, &message("v1", "My order number is 4711")).await;
    until(&mut visitor, |f| matches!(f, ServerFrame::Ack { .. })).await;
    assert!(ben.history(&server, &conversation).await.contains("4711"));

    // What the visitor typed as their name must not reach anything but their chat.
    let pool = support::db(&db).await;
    sqlx::query("INSERT INTO audit_log (id, at, actor, action, subject, detail) VALUES ('other', 0, 'ana', 'note', 'other-site', 'Vera from another site')")
        .execute(&pool)
        .await
        .unwrap();
    send(&mut visitor, &chinwag_protocol::VisitorFrame::Erase {}).await;
    let erased = until(&mut visitor, |f| matches!(f, ServerFrame::Erased { .. })).await;
    assert_eq!(
        erased,
        ServerFrame::Erased {
            conversation: conversation.clone()
        }
    );
    // The agents' inboxes are told, and the conversation and its words are gone.
    until(
        &mut ben.ws,
        |f| matches!(f, ServerFrame::Erased { conversation: c } if *c == conversation),
    )
    .await;
    let listed = ben.get_json(&server, "/api/conversations").await.to_string();
    assert!(!listed.contains(&conversation), "still listed: {listed}");
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE conversation_id = $1 OR body LIKE '%4711%'")
            .bind(&conversation)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(left, 0, "messages of the deleted conversation remain");
    let audit: String =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'conversation.erase'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        audit.contains(&conversation) && !audit.contains("vera"),
        "{audit}"
    );
    let other: String = sqlx::query_scalar("SELECT detail FROM audit_log WHERE id = 'other'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        other, "Vera from another site",
        "a visitor's typed name blanks nothing else"
    );

    // Its token no longer opens anything.
    let mut later = support::visitor(&server).await;
    send(&mut later, &hello(Some(token), 0)).await;
    let frame = until(&mut later, |f| matches!(f, ServerFrame::Error(_))).await;
    assert!(matches!(frame, ServerFrame::Error(e) if e.code == ErrorCode::Unauthorized));

    // The same socket starts a new conversation with the next hand-off.
    send(&mut visitor, &handoff("h2", TEAM, &[])).await;
    let welcome = until(
        &mut visitor,
        |f| matches!(f, ServerFrame::Welcome(w) if w.conversation.is_some()),
    )
    .await;
    assert!(
        matches!(welcome, ServerFrame::Welcome(w) if w.conversation.as_deref() != Some(conversation.as_str()))
    );
    server.stop().await;
}
