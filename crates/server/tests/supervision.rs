//! Nothing fails silently: a background task that dies is logged, started again after
//! a pause, and `/readyz` says 503 while it is down; live chat goes on afterwards. The
//! test makes delivery (the task that hands stored messages to sockets) and the group
//! commit writer fail on purpose, through the supervisor's test hook.

mod support;

use chinwag_protocol::{EventKind, ServerFrame};
use std::time::Duration;
use support::*;

/// Waits until `/readyz` answers `status`, for at most `within`; its body.
async fn readiness(addr: std::net::SocketAddr, status: u16, within: Duration) -> String {
    let http = reqwest::Client::new();
    let end = tokio::time::Instant::now() + within;
    loop {
        let r = http.get(format!("http://{addr}/readyz")).send().await.unwrap();
        let (got, body) = (r.status().as_u16(), r.text().await.unwrap());
        if got == status {
            return body;
        }
        assert!(
            tokio::time::Instant::now() < end,
            "readiness stayed {got} ({body}), not {status}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn visitor_text(f: &ServerFrame, text: &str) -> bool {
    matches!(f, ServerFrame::Event(e) if matches!(&e.kind, EventKind::Message { text: t, .. } if t == text))
}

#[tokio::test]
async fn a_task_that_dies_is_started_again_and_readiness_fails_meanwhile() {
    let (_dir, db) = temp_db();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = chinwag_server::state(seeded(&db, addr).await).await.unwrap();
    let tasks = state.tasks.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(chinwag_server::serve_state(state, listener, async {
        let _ = stopped.await;
    }));
    readiness(addr, 200, Duration::from_secs(10)).await;

    let mut ben = agent_at(addr, "ben@demo.chinwag").await;
    let url = format!("ws://{addr}/ws/visitor?site=demo");
    let mut visitor = connect(&url, &[("origin", SITE_ORIGIN)]).await.unwrap();
    let (conversation, _) = start_conversation(&mut visitor, TEAM).await;
    until(
        &mut ben.ws,
        |f| matches!(f, ServerFrame::Event(e) if e.conversation == conversation),
    )
    .await;

    for (task, n) in [("delivery", 1), ("writer", 2)] {
        tasks.fail_for_test(task);
        let said = readiness(addr, 503, Duration::from_secs(5)).await;
        assert!(said.contains(task), "readiness names the task: {said}");
        readiness(addr, 200, Duration::from_secs(10)).await;
        // Live chat works again: a message reaches the agent, once.
        let text = format!("after {task} came back");
        send(&mut visitor, &message(&format!("v{n}"), &text)).await;
        until(&mut visitor, |f| matches!(f, ServerFrame::Ack { .. })).await;
        until(&mut ben.ws, |f| visitor_text(f, &text)).await;
    }
    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(30), served)
        .await
        .expect("the server and its tasks stop")
        .unwrap()
        .unwrap();
}
