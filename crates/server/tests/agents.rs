//! Agents and teams: sessions, CSRF, admin rights, presence and transfers.

mod support;

use chinwag_protocol::{AgentFrame, EventKind, ServerFrame};
use support::*;

#[tokio::test]
async fn the_admin_api_needs_an_admin_and_the_csrf_token() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let new_agent = serde_json::json!({ "name": "Cy", "email": "cy@demo.chinwag", "password": "long-enough-password", "teams": ["sales"] }).to_string();
    let create = |cookie: &str, csrf: Option<&str>| {
        let mut headers = vec![("cookie", cookie.to_owned())];
        headers.extend(csrf.map(|t| ("x-csrf-token", t.to_owned())));
        let (app, body) = (&app, &new_agent);
        async move {
            let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            app.call("POST", "/api/agents", &headers, Some(body)).await.status
        }
    };

    let ben = app.sign_in("ben@demo.chinwag").await;
    assert_eq!(
        create(&ben.cookie, None).await,
        403,
        "a state change without the CSRF token"
    );
    assert_eq!(
        create(&ben.cookie, Some(&ben.csrf)).await,
        403,
        "agents cannot create agents"
    );
    let ana = app.sign_in("ana@demo.chinwag").await;
    assert_eq!(
        create(&ana.cookie, Some(&ben.csrf)).await,
        403,
        "another session's token"
    );
    assert!(create(&ana.cookie, Some(&ana.csrf)).await.is_success());

    // The new agent can sign in; a wrong password cannot.
    let login = |password: &str| {
        let body = serde_json::json!({ "email": "cy@demo.chinwag", "password": password }).to_string();
        let app = &app;
        async move { app.call("POST", "/api/login", &[], Some(&body)).await }
    };
    let ok = login("long-enough-password").await;
    assert!(ok.status.is_success());
    let cookie = ok.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert_eq!(login("nope").await.status, 403);
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
    // Waits (bounded) until the server has him offline, then a new chat finds nobody.
    let pool = support::db(&db).await;
    let mut status = String::new();
    for _ in 0..250 {
        status = sqlx::query_scalar("SELECT status FROM agents WHERE id = 'ben'")
            .fetch_one(&pool)
            .await
            .unwrap();
        if status == "offline" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(status, "offline", "his last tab closed");
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

#[tokio::test]
async fn a_deactivated_agent_cannot_sign_in_and_their_chats_go_back_to_routing() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let ana = agent(&server, "ana@demo.chinwag").await;
    let _ben = agent(&server, "ben@demo.chinwag").await;
    let put = |id: &'static str, body: serde_json::Value| {
        ana.http
            .put(server.url(&format!("/api/agents/{id}")))
            .header("x-csrf-token", &ana.csrf)
            .json(&body)
            .send()
    };
    // Ben's chat, then Ben deactivated: it goes to the next available agent (Ana).
    let mut v = visitor(&server).await;
    start_conversation(&mut v, AGENT_BEN).await;
    until(&mut v, |f| matches!(f, ServerFrame::Event(e) if matches!(&e.kind, EventKind::Assigned { agent_id, .. } if agent_id == "ben"))).await;
    let answer: serde_json::Value = put("ben", serde_json::json!({ "active": false }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["rerouted"], 1, "{answer}");
    until(&mut v, |f| matches!(f, ServerFrame::Event(e) if matches!(&e.kind, EventKind::Assigned { agent_id, .. } if agent_id != "ben"))).await;
    let login = reqwest::Client::new()
        .post(server.url("/api/login"))
        .json(&serde_json::json!({ "email": "ben@demo.chinwag", "password": chinwag_server::demo::PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 403);
    assert!(login.text().await.unwrap().contains("deactivated"));
    // Nobody deactivates themselves.
    assert_eq!(
        put("ana", serde_json::json!({ "active": false }))
            .await
            .unwrap()
            .status(),
        400
    );

    // Without the live-chat permission an available agent gets no chats; teams change.
    assert!(put(
        "ben",
        serde_json::json!({ "active": true, "live_chat": false, "teams": ["billing"] })
    )
    .await
    .unwrap()
    .status()
    .is_success());
    let _ben = agent(&server, "ben@demo.chinwag").await;
    let mut v = visitor(&server).await;
    start_conversation(&mut v, AGENT_BEN).await;
    until(
        &mut v,
        |f| matches!(f, ServerFrame::Event(e) if matches!(e.kind, EventKind::Unassigned { .. })),
    )
    .await;
    let directory: serde_json::Value = ana.get_json(&server, "/api/directory").await;
    assert_eq!(directory["memberships"]["ben"], serde_json::json!(["billing"]));
    let ben = directory["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "ben")
        .unwrap()
        .clone();
    assert_eq!(
        (&ben["active"], &ben["live_chat"]),
        (&serde_json::json!(true), &serde_json::json!(false))
    );
    assert_eq!(
        put("ben", serde_json::json!({ "teams": ["nope"] }))
            .await
            .unwrap()
            .status(),
        400
    );
    server.stop().await;
}

/// The token in an answer's invitation link.
fn token_of(answer: &serde_json::Value) -> String {
    let link = answer["invitation"].as_str().unwrap();
    link.split("#invite=").nth(1).unwrap().to_owned()
}

#[tokio::test]
async fn an_invited_agent_sets_their_own_password_once() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let new = serde_json::json!({ "name": "Eve", "email": "eve@demo.chinwag" }).to_string();
    let created = app.as_agent(&ana, "POST", "/api/agents", Some(&new)).await.json();
    let token = token_of(&created);
    let accept = |token: String, password: &str| {
        let body = serde_json::json!({ "token": token, "password": password }).to_string();
        let app = &app;
        async move {
            app.call("POST", "/api/invitations/accept", &[], Some(&body))
                .await
        }
    };
    let login = |password: &str| {
        let body = serde_json::json!({ "email": "eve@demo.chinwag", "password": password }).to_string();
        let app = &app;
        async move { app.call("POST", "/api/login", &[], Some(&body)).await.status }
    };
    assert_eq!(
        accept(token.clone(), "short").await.status,
        400,
        "a short password is refused, the link still works"
    );
    let done = accept(token.clone(), "eve-own-password").await;
    assert_eq!(done.json()["email"], "eve@demo.chinwag");
    assert!(login("eve-own-password").await.is_success());
    let again = accept(token, "another-password").await;
    assert_eq!(again.status, 403);
    assert!(again.body.contains("used already"), "{}", again.body);

    // A new link replaces the old one.
    let first = app
        .as_agent(&ana, "POST", "/api/agents/eve/invitation", None)
        .await
        .json();
    let second = app
        .as_agent(&ana, "POST", "/api/agents/eve/invitation", None)
        .await
        .json();
    let old = token_of(&first);
    assert_eq!(accept(old, "eve-third-password").await.status, 403);
    let new = token_of(&second);
    assert!(accept(new, "eve-third-password").await.status.is_success());
    assert!(login("eve-third-password").await.is_success());
}
