//! Agents and teams: sessions, CSRF, admin rights, presence and transfers.

mod support;

use chinwag_protocol::{AgentFrame, EventKind, ServerFrame};
use support::*;

#[tokio::test]
async fn the_admin_api_needs_an_admin_and_the_csrf_token() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let new_agent = serde_json::json!({ "name": "Cy", "email": "cy@demo.chinwag", "password": "long-enough-password", "teams": ["sales"] });

    let ben = agent(&server, "ben@demo.chinwag").await;
    let no_token = ben
        .http
        .post(server.url("/api/agents"))
        .json(&new_agent)
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), 403, "a state change without the CSRF token");
    let not_admin = ben
        .http
        .post(server.url("/api/agents"))
        .header("x-csrf-token", &ben.csrf)
        .json(&new_agent)
        .send()
        .await
        .unwrap();
    assert_eq!(not_admin.status(), 403, "agents cannot create agents");

    let ana = agent(&server, "ana@demo.chinwag").await;
    let wrong_token = ana
        .http
        .post(server.url("/api/agents"))
        .header("x-csrf-token", &ben.csrf)
        .json(&new_agent)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_token.status(), 403, "another session's token");
    let created = ana
        .http
        .post(server.url("/api/agents"))
        .header("x-csrf-token", &ana.csrf)
        .json(&new_agent)
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success());

    // The new agent can sign in; a wrong password cannot.
    let http = reqwest::Client::new();
    let ok = http
        .post(server.url("/api/login"))
        .json(&serde_json::json!({ "email": "cy@demo.chinwag", "password": "long-enough-password" }))
        .send()
        .await
        .unwrap();
    assert!(ok.status().is_success());
    let cookie = ok
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let bad = http
        .post(server.url("/api/login"))
        .json(&serde_json::json!({ "email": "cy@demo.chinwag", "password": "nope" }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 403);
    server.stop().await;
}

#[tokio::test]
async fn an_agent_whose_last_inbox_tab_closes_goes_offline_and_gets_no_chats() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let first_tab = agent(&server, "ben@demo.chinwag").await;
    let second_tab = agent(&server, "ben@demo.chinwag").await;
    drop(first_tab.ws);
    let mut v = visitor(&server).await;
    start_conversation(&mut v, AGENT_BEN).await;
    let assigned = until(&mut v, |f| matches!(f, ServerFrame::Event(e) if matches!(e.kind, EventKind::Assigned { .. } | EventKind::Unassigned { .. }))).await;
    assert!(
        matches!(assigned, ServerFrame::Event(e) if matches!(e.kind, EventKind::Assigned { .. })),
        "one tab still open"
    );

    drop(second_tab.ws);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut v = visitor(&server).await;
    start_conversation(&mut v, AGENT_BEN).await;
    let fallback = until(&mut v, |f| matches!(f, ServerFrame::Event(e) if matches!(e.kind, EventKind::Assigned { .. } | EventKind::Unassigned { .. }))).await;
    assert!(
        matches!(fallback, ServerFrame::Event(e) if matches!(e.kind, EventKind::Unassigned { .. })),
        "offline now"
    );
    server.stop().await;
}

#[tokio::test]
async fn an_agent_transfers_a_conversation_to_a_team() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let mut alice = agent(&server, "alice@demo.chinwag").await;
    let _ben = agent(&server, "ben@demo.chinwag").await;
    let mut v = visitor(&server).await;
    // The rules card sends a visitor with an email to the enterprise team: Alice.
    let (conversation, _) = start_conversation(&mut v, RULES).await;
    until(&mut v, |f| matches!(f, ServerFrame::Event(e) if matches!(&e.kind, EventKind::Assigned { agent_id, .. } if agent_id == "alice"))).await;

    let to = chinwag_dialogue::Target::Team("billing".into());
    send(
        &mut alice.ws,
        &AgentFrame::Transfer {
            conversation: conversation.clone(),
            to,
        },
    )
    .await;
    let moved = until(
        &mut v,
        |f| matches!(f, ServerFrame::Event(e) if matches!(e.kind, EventKind::Assigned { .. })),
    )
    .await;
    assert!(
        matches!(moved, ServerFrame::Event(e) if matches!(&e.kind, EventKind::Assigned { agent_id, .. } if agent_id == "ben"))
    );
    server.stop().await;
}
