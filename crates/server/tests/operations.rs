//! Production operations: health and readiness, and a graceful stop that tells every
//! socket to reconnect and loses nothing acknowledged.

mod support;

use chinwag_protocol::ServerFrame;
use futures_util::StreamExt;
use std::time::{Duration, Instant};
use support::*;
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn health_and_readiness_answer() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(&dir.path().join("c.db")).await;
    assert_eq!(app.call("GET", "/healthz", &[], None).await.status, 200);
    let ready = app.call("GET", "/readyz", &[], None).await;
    assert_eq!((ready.status.as_u16(), ready.body.as_str()), (200, "ready"));
}

#[tokio::test]
async fn a_graceful_stop_finishes_what_was_sent_and_tells_sockets_to_reconnect_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let server = Server::start(&db).await;
    let addr = server.addr;
    let mut ws = visitor(&server).await;
    let (_conversation, token) = start_conversation(&mut ws, ROUND_ROBIN).await;
    send(&mut ws, &message("m1", "sent just before the stop")).await;
    until(
        &mut ws,
        |f| matches!(f, ServerFrame::Ack { id, .. } if id == "m1"),
    )
    .await;

    let started = Instant::now();
    let stopping = tokio::spawn(server.shut_down());
    // The socket is closed by the server with 1012 (service restart), not cut.
    let close = loop {
        match tokio::time::timeout(Duration::from_secs(5), ws.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => break frame,
            Ok(Some(Ok(_))) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    };
    let close = close.expect("a close frame with a code");
    assert_eq!(u16::from(close.code), 1012, "{close:?}");
    stopping.await.unwrap().expect("serve returns Ok");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "stopped in {:?}",
        started.elapsed()
    );

    // What was acknowledged is there after the restart.
    let server = Server::start_on(&db, &addr.to_string()).await;
    let mut ws = visitor(&server).await;
    send(&mut ws, &hello(Some(token), 0)).await;
    until(&mut ws, |f| {
        matches!(f, ServerFrame::Event(e) if format!("{:?}", e.kind).contains("sent just before the stop"))
    })
    .await;
    server.stop().await;
}

#[tokio::test]
async fn guessing_a_password_is_slowed_down_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(&dir.path().join("c.db")).await;
    let login = |password: &'static str| {
        let body = serde_json::json!({ "email": "ben@demo.chinwag", "password": password });
        let app = &app;
        async move { app.call("POST", "/api/login", &[], Some(&body.to_string())).await }
    };
    for _ in 0..5 {
        assert_eq!(login("wrong").await.status, 403);
    }
    let refused = login("wrong").await;
    assert_eq!(refused.status, 429);
    let body = refused.json();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("too many sign-in attempts"),
        "{body}"
    );
    // Even the right password waits: the limit holds before any password is checked.
    assert_eq!(login("chinwag-demo").await.status, 429);
}

#[tokio::test]
async fn prometheus_metrics_need_the_token_and_count_sockets_messages_and_routing() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("c.db")).await;
    let client = reqwest::Client::new();
    assert_eq!(reqwest::get(server.url("/metrics")).await.unwrap().status(), 401);
    let mut ws = visitor(&server).await;
    start_conversation(&mut ws, ROUND_ROBIN).await;
    send(&mut ws, &message("m1", "counted")).await;
    until(
        &mut ws,
        |f| matches!(f, ServerFrame::Ack { id, .. } if id == "m1"),
    )
    .await;
    let text = client
        .get(server.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for wanted in [
        "chinwag_sockets_open{kind=\"visitor\"}",
        "chinwag_messages_total{from=\"visitor\"}",
        "chinwag_ack_seconds_bucket{from=\"visitor\"",
        "chinwag_routing_decisions_total{outcome=",
    ] {
        assert!(text.contains(wanted), "{wanted} in:\n{text}");
    }
    server.stop().await;
}
