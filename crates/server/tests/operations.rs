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
    // When to try again, for clients as well as people: `Retry-After` in seconds, the
    // same number the message gives.
    let retry_after = refused
        .headers
        .get("retry-after")
        .unwrap_or_else(|| panic!("no Retry-After: {:?}", refused.headers));
    let seconds: u64 = retry_after.to_str().unwrap().parse().unwrap();
    assert!(seconds >= 1, "{seconds}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .ends_with(&format!("try again in {seconds} s")),
        "{body} vs Retry-After: {seconds}"
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

/// Visitor sockets open from `address` as a balancer says (`X-Forwarded-For`): how many
/// of three the server accepts.
async fn opened_as(server: &Server, forwarded: &str) -> (usize, Vec<Socket>) {
    let url = format!("ws://{}/ws/visitor?site=demo", server.addr);
    let mut open = Vec::new();
    for _ in 0..3 {
        if let Ok(ws) = connect(&url, &[("origin", SITE_ORIGIN), ("x-forwarded-for", forwarded)]).await {
            open.push(ws);
        }
    }
    (open.len(), open)
}

#[tokio::test]
async fn behind_a_trusted_balancer_limits_count_per_client_and_a_client_cannot_pick_its_address() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    // Behind a balancer on 127.0.0.1: two sockets per client address.
    let server = Server::start_with(&db, "127.0.0.1:0", |c| {
        c.sockets_per_address = 2;
        c.trusted_proxies = "127.0.0.1".into();
    })
    .await;
    let (first, _kept) = opened_as(&server, "203.0.113.7, 198.51.100.1").await;
    assert_eq!(first, 2, "the limit holds for the address the balancer saw");
    let (second, _kept_too) = opened_as(&server, "203.0.113.7, 198.51.100.2").await;
    assert_eq!(second, 2, "another client has its own limit");
    // A client's own header line comes first; the balancer's line, last, decides.
    let url = format!("ws://{}/ws/visitor?site=demo", server.addr);
    let mut forged = 0;
    for n in 0..3 {
        let own = format!("192.0.2.{n}");
        let headers = [("origin", SITE_ORIGIN), ("x-forwarded-for", own.as_str())];
        let mut request =
            tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url.as_str())
                .unwrap();
        for (name, value) in headers {
            request.headers_mut().append(name, value.parse().unwrap());
        }
        request
            .headers_mut()
            .append("x-forwarded-for", "198.51.100.1".parse().unwrap());
        forged += usize::from(tokio_tungstenite::connect_async(request).await.is_ok());
    }
    assert_eq!(
        forged, 0,
        "a forged first line does not escape the limit of 198.51.100.1"
    );
    server.stop().await;

    // Without a trusted balancer the header is the client's word, and ignored.
    let direct = Server::start_with(&db, "127.0.0.1:0", |c| c.sockets_per_address = 2).await;
    let (first, _kept) = opened_as(&direct, "198.51.100.1").await;
    let (second, _kept_too) = opened_as(&direct, "198.51.100.2").await;
    assert_eq!(
        (first, second),
        (2, 0),
        "one address, one limit, whatever the header says"
    );
}

/// Guesses sent at the same moment count against each other: each is written as a
/// failure before its password is hashed, so ten at once give five tries, not ten
/// (they all passed the check together before).
#[tokio::test]
async fn simultaneous_guesses_count_against_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("c.db")).await;
    let http = reqwest::Client::new();
    let guesses = (0..10).map(|_| {
        http.post(server.url("/api/login"))
            .json(&serde_json::json!({ "email": "ben@demo.chinwag", "password": "wrong" }))
            .send()
    });
    let statuses: Vec<u16> = futures_util::future::join_all(guesses)
        .await
        .into_iter()
        .map(|r| r.unwrap().status().as_u16())
        .collect();
    let tried = statuses.iter().filter(|s| **s == 403).count();
    assert!(tried <= 5, "at most five passwords checked: {statuses:?}");
    assert_eq!(tried + statuses.iter().filter(|s| **s == 429).count(), 10);
    server.stop().await;
}

/// The session cookie is made in one place: over https it is `Secure` and named
/// `__Host-chinwag_session` (it had no `Secure` whatever the public URL said); over
/// plain http (a laptop, the tests) it cannot be Secure, and keeps its plain name.
/// Signing out expires the same cookie.
#[tokio::test]
async fn the_session_cookie_is_secure_and_host_only_when_the_server_is_https() {
    for (public_url, name, secure) in [
        ("https://chat.example.com", "__Host-chinwag_session", true),
        ("", "chinwag_session", false),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let server = Server::start_with(&dir.path().join("c.db"), "127.0.0.1:0", |c| {
            c.public_url = public_url.into();
        })
        .await;
        let http = reqwest::Client::new();
        let login = http
            .post(server.url("/api/login"))
            .json(&serde_json::json!({ "email": "ben@demo.chinwag", "password": chinwag_server::demo::PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 200);
        let set = login.headers()["set-cookie"].to_str().unwrap().to_owned();
        let csrf = login.json::<serde_json::Value>().await.unwrap()["csrf"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(set.starts_with(&format!("{name}=")), "{set}");
        for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=2592000"] {
            assert!(set.contains(flag), "{flag} in {set}");
        }
        assert_eq!(set.contains("Secure"), secure, "{set}");
        assert!(!set.contains("Domain"), "host only: {set}");
        let pair = set.split(';').next().unwrap().to_owned();
        let me = http
            .get(server.url("/api/me"))
            .header("cookie", &pair)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 200, "the cookie signs in");
        let out = http
            .post(server.url("/api/logout"))
            .header("cookie", &pair)
            .header("x-csrf-token", &csrf)
            .send()
            .await
            .unwrap();
        let gone = out.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(
            gone.starts_with(&format!("{name}=;")) && gone.contains("Max-Age=0"),
            "{gone}"
        );
        assert_eq!(gone.contains("Secure"), secure, "{gone}");
        server.stop().await;
    }
}
