//! Private notes stay inside the team: no note, mention or its text reaches the
//! visitor's socket (live or replayed on a reconnect), a webhook, or the REST API's
//! transcript; the agent it mentions hears of it, even on a chat that is not theirs.

mod support;

use chinwag_protocol::{AgentFrame, EventKind, Outgoing, Role, ServerFrame};
use serde_json::json;
use support::*;

const SECRET_NOTE: &str = "@alice she asked for a discount, hush";

fn note_from(frame: &ServerFrame) -> Option<(String, Vec<String>)> {
    match frame {
        ServerFrame::Event(e) => match &e.kind {
            EventKind::Note { text, mentions, .. } => Some((text.clone(), mentions.clone())),
            _ => None,
        },
        _ => None,
    }
}

fn agent_line(frame: &ServerFrame, wanted: &str) -> bool {
    matches!(frame, ServerFrame::Event(e) if matches!(&e.kind, EventKind::Message { role: Role::Agent, text, .. } if text == wanted))
}

/// Every frame until the agent's line `wanted`, as JSON text.
async fn heard_until(ws: &mut Socket, wanted: &str) -> String {
    let mut heard = Vec::new();
    loop {
        let frame = recv(ws).await;
        heard.push(serde_json::to_string(&frame).unwrap());
        if agent_line(&frame, wanted) {
            return heard.join("\n");
        }
    }
}

#[tokio::test]
async fn notes_reach_agents_and_never_the_visitor_a_webhook_or_the_rest_api() {
    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, "127.0.0.1:0", |c| c.webhook_private_addresses = true).await;
    let ana = agent(&server, "ana@demo.chinwag").await;
    // A webhook for every message: the agent's reply makes one, the note none.
    let made = ana
        .post_json(
            &server,
            "/api/sites/demo/webhooks",
            json!({ "url": "http://127.0.0.1:9/hook", "events": ["message.created"] }),
        )
        .await;
    assert!(made["endpoint"]["id"].is_string(), "{made}");

    let mut ben = agent(&server, "ben@demo.chinwag").await;
    let mut visitor = visitor(&server).await;
    let (conversation, token) = start_conversation(&mut visitor, AGENT_BEN).await;
    until(&mut ben.ws, |f| matches!(f, ServerFrame::Event(e) if e.conversation == conversation && matches!(&e.kind, EventKind::Assigned { agent_id, .. } if agent_id == "ben"))).await;
    // Alice signs in after: the chat is Ben's, not hers.
    let mut alice = agent(&server, "alice@demo.chinwag").await;

    send(
        &mut ben.ws,
        &AgentFrame::Note {
            conversation: conversation.clone(),
            note: Outgoing {
                id: "n1".into(),
                text: SECRET_NOTE.into(),
            },
        },
    )
    .await;
    let ack = until(
        &mut ben.ws,
        |f| matches!(f, ServerFrame::Ack { id, .. } if id == "n1"),
    )
    .await;
    assert!(matches!(ack, ServerFrame::Ack { .. }));
    send(
        &mut ben.ws,
        &AgentFrame::Message {
            conversation: conversation.clone(),
            message: Outgoing {
                id: "r1".into(),
                text: "We can do 10%.".into(),
            },
        },
    )
    .await;

    // The mentioned agent hears the note, with herself among its mentions.
    let heard = until(&mut alice.ws, |f| note_from(f).is_some()).await;
    assert_eq!(
        note_from(&heard),
        Some((SECRET_NOTE.to_owned(), vec!["alice".to_owned()]))
    );

    // The visitor hears the reply after it, and nothing of the note.
    let live = heard_until(&mut visitor, "We can do 10%.").await;
    assert!(
        !live.contains("discount") && !live.contains("\"note\""),
        "the visitor heard: {live}"
    );

    // Again, from the start, after a reconnect (the replay path).
    let mut again = support::visitor(&server).await;
    send(&mut again, &hello(Some(token), 0)).await;
    let replayed = heard_until(&mut again, "We can do 10%.").await;
    assert!(
        !replayed.contains("discount") && !replayed.contains("\"note\""),
        "the replay: {replayed}"
    );

    // The agents' own history has it, in its place.
    let history = ben.history(&server, &conversation).await;
    assert!(history.contains("discount"), "{history}");

    // The site's webhooks: the reply, never the note.
    let pool = support::db(&db).await;
    let payloads: Vec<(String,)> =
        sqlx::query_as("SELECT payload FROM webhook_messages WHERE site_id = 'demo'")
            .fetch_all(&pool)
            .await
            .unwrap();
    let payloads: Vec<String> = payloads.into_iter().map(|(p,)| p).collect();
    assert!(
        payloads.iter().any(|p| p.contains("We can do 10%.")),
        "{payloads:?}"
    );
    assert!(!payloads.iter().any(|p| p.contains("discount")), "{payloads:?}");

    // The REST API's transcript, for the site's own systems: the reply, not the note.
    let transcript = chinwag_server::rest::store::messages(&pool, &conversation)
        .await
        .unwrap();
    let transcript = serde_json::to_string(&transcript).unwrap();
    assert!(
        transcript.contains("We can do 10%.") && !transcript.contains("discount"),
        "{transcript}"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_note_is_refused_on_a_chat_the_agent_may_not_see() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let mut ben = agent(&server, "ben@demo.chinwag").await;
    let mut visitor = visitor(&server).await;
    let (conversation, _) = start_conversation(&mut visitor, AGENT_BEN).await;
    until(&mut ben.ws, |f| matches!(f, ServerFrame::Event(e) if e.conversation == conversation && matches!(e.kind, EventKind::Assigned { .. }))).await;
    let mut alice = agent(&server, "alice@demo.chinwag").await;
    send(
        &mut alice.ws,
        &AgentFrame::Note {
            conversation: conversation.clone(),
            note: Outgoing {
                id: "n2".into(),
                text: "not mine".into(),
            },
        },
    )
    .await;
    let refused = until(&mut alice.ws, |f| matches!(f, ServerFrame::Error(_))).await;
    assert!(
        matches!(&refused, ServerFrame::Error(e) if e.message.contains("no such conversation")),
        "{refused:?}"
    );
    assert!(!ben.history(&server, &conversation).await.contains("not mine"));
    server.stop().await;
}
