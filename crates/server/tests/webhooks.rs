//! Chat webhooks: a visitor's hand-off and message reach a receiver on loopback as
//! `conversation.started` and `message.created`, signed, each written in the same
//! transaction as what it describes; the bot part copied at the hand-off is not sent
//! as new messages, and an endpoint gets only the types it asked for.

mod support;

use axum::http::HeaderMap;
use chinwag_server::data::webhooks::sign;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use support::*;

/// What a receiver got: when, the headers and the body, in arrival order.
type Got = Arc<Mutex<Vec<(std::time::Instant, HeaderMap, String)>>>;

/// A webhook receiver on loopback that answers 204 after `delay`; its URL.
async fn receiver(delay: std::time::Duration) -> (String, Got) {
    let got: Got = Arc::default();
    let sink = got.clone();
    let app = axum::Router::new().route(
        "/hooks",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let sink = sink.clone();
            async move {
                sink.lock()
                    .unwrap()
                    .push((std::time::Instant::now(), headers, body));
                tokio::time::sleep(delay).await;
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hooks = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (hooks, got)
}

#[tokio::test]
async fn chat_events_reach_a_receiver_signed_and_only_as_asked() {
    let (hooks, got) = receiver(std::time::Duration::ZERO).await;

    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, "127.0.0.1:0", |c| c.webhook_private_addresses = true).await;
    let ana = agent(&server, "ana@demo.chinwag").await;
    let made: Value = ana
        .post_json(
            &server,
            "/api/sites/demo/webhooks",
            json!({ "url": hooks, "events": ["conversation.started", "message.created"] }),
        )
        .await;
    let secret = made["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{made}"))
        .to_owned();

    let mut ws = visitor(&server).await;
    start_conversation(&mut ws, TEAM).await;
    send(&mut ws, &message("m1", "Is there a discount for schools?")).await;
    until(&mut ws, |f| {
        matches!(f, chinwag_protocol::ServerFrame::Ack { .. })
    })
    .await;

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while got.lock().unwrap().len() < 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(700)).await; // nothing more comes
    let got = got.lock().unwrap();
    let types: Vec<String> = got
        .iter()
        .map(|(_, _, b)| {
            serde_json::from_str::<Value>(b).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        types,
        ["conversation.started", "message.created"],
        "no transcript copies, no assignment"
    );
    let (_, headers, body) = &got[1];
    let message: Value = serde_json::from_str(body).unwrap();
    assert_eq!(message["data"]["text"], "Is there a discount for schools?");
    assert_eq!(message["data"]["role"], "visitor");
    let header = |name: &str| headers[name].to_str().unwrap().to_owned();
    let timestamp: i64 = header("webhook-timestamp").parse().unwrap();
    let now = (chinwag_server::db::now_ms() / 1000) as i64;
    assert_eq!(
        sign::verify(
            &secret,
            &header("webhook-id"),
            timestamp,
            body,
            &header("webhook-signature"),
            now
        ),
        Ok(())
    );
}

#[test]
fn every_event_type_has_its_published_json_schema() {
    let schema = chinwag_server::data::webhooks::events::schema();
    for kind in chinwag_server::data::webhooks::events::TYPES {
        assert_eq!(schema[kind]["properties"]["type"]["const"], kind);
        assert!(
            schema[kind]["properties"]["data"]["properties"].is_object(),
            "{kind}"
        );
    }
    let published = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/webhooks.schema.json");
    let published: Value =
        serde_json::from_str(&std::fs::read_to_string(published).unwrap_or_default()).unwrap_or_default();
    assert_eq!(
        schema, published,
        "docs/webhooks.schema.json is stale: run `cargo run -p chinwag-server -- webhook schema > docs/webhooks.schema.json`"
    );
}

/// A rotation signs at once: every delivery sent after the rotation call returned
/// carries the new secret's signature and, while the old one rotates out, the old
/// one's. (Deliveries later in a round that began before the rotation used to carry
/// only the old signature: the round read the secrets once, at its start.)
#[tokio::test]
async fn deliveries_after_a_rotation_are_signed_with_both_secrets() {
    // A slow receiver: one round of deliveries takes seconds.
    let (hooks, got) = receiver(std::time::Duration::from_millis(300)).await;

    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, "127.0.0.1:0", |c| c.webhook_private_addresses = true).await;
    let ana = agent(&server, "ana@demo.chinwag").await;
    let made: Value = ana
        .post_json(
            &server,
            "/api/sites/demo/webhooks",
            json!({ "url": hooks, "events": ["message.created"] }),
        )
        .await;
    let (old, id) = (
        made["secret"].as_str().unwrap().to_owned(),
        made["endpoint"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{made}"))
            .to_owned(),
    );

    let mut ws = visitor(&server).await;
    start_conversation(&mut ws, TEAM).await;
    for i in 0..10 {
        send(&mut ws, &message(&format!("m{i}"), &format!("message {i}"))).await;
        until(&mut ws, |f| {
            matches!(f, chinwag_protocol::ServerFrame::Ack { .. })
        })
        .await;
    }
    // Once the round is under way, rotate.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while got.lock().unwrap().is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let rotated: Value = ana
        .http
        .post(server.url(&format!("/api/sites/demo/webhooks/{id}/rotate")))
        .header("x-csrf-token", &ana.csrf)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let returned = std::time::Instant::now();
    let new = rotated["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{rotated}"))
        .to_owned();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while got.lock().unwrap().len() < 10 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let got = std::mem::take(&mut *got.lock().unwrap());
    assert_eq!(got.len(), 10, "every message delivered");
    let after: Vec<_> = got.iter().filter(|(at, _, _)| *at > returned).collect();
    assert!(
        after.len() >= 3,
        "the round went on after the rotation: {} after",
        after.len()
    );
    let now = (chinwag_server::db::now_ms() / 1000) as i64;
    for (_, headers, body) in after {
        let header = |name: &str| headers[name].to_str().unwrap().to_owned();
        let timestamp: i64 = header("webhook-timestamp").parse().unwrap();
        for (which, secret) in [("new", &new), ("old", &old)] {
            assert_eq!(
                sign::verify(
                    secret,
                    &header("webhook-id"),
                    timestamp,
                    body,
                    &header("webhook-signature"),
                    now
                ),
                Ok(()),
                "signed with the {which} secret: {}",
                header("webhook-signature")
            );
        }
    }
    server.stop().await;
}
