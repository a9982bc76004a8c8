//! `scripts/bench.sh`: how many idle visitor sockets the server holds and what each
//! costs in memory, and the visitor → agent relay latency at a steady message rate,
//! next to a bare tokio-tungstenite relay (~50 lines, below) as the floor. Prints
//! figures; asserts nothing.
//!
//! Usage: bench SERVER_BINARY [SOCKETS] [MESSAGES_PER_SECOND] [SECONDS]

mod common;

use futures_util::{SinkExt, StreamExt};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use common::{connect, measure, report, rss_kib, VISITORS};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let binary = args
        .get(1)
        .expect("usage: bench SERVER_BINARY [SOCKETS] [RATE] [SECONDS]");
    let sockets: usize = args.get(2).map_or(Ok(10_000), |s| s.parse())?;
    let rate: usize = args.get(3).map_or(Ok(1_000), |s| s.parse())?;
    let seconds: u64 = args.get(4).map_or(Ok(10), |s| s.parse())?;

    let dir = tempfile::tempdir()?;
    let (mut server, addr) = common::start(binary, dir.path()).await?;
    let pid = server.id().expect("pid");
    let origin = format!("http://{addr}");
    println!("Chinwag server at {addr} (pid {pid})");

    // 1. Idle visitor sockets.
    let before = rss_kib(pid);
    let mut idle = Vec::with_capacity(sockets);
    let started = Instant::now();
    for _ in 0..sockets {
        let mut ws = connect(&format!("ws://{addr}/ws/visitor?site=demo"), &origin, None).await?;
        ws.send(Message::Text(r#"{"hello":{"version":1,"site":"demo"}}"#.into()))
            .await?;
        ws.next().await;
        idle.push(ws);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = rss_kib(pid);
    println!(
        "idle visitor sockets: {sockets} open in {:.1} s; server RSS {:.1} MB -> {:.1} MB; {:.1} KB per socket",
        started.elapsed().as_secs_f64(),
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        (after - before) as f64 / sockets as f64
    );
    drop(idle);

    // 2. Relay latency through Chinwag: visitors -> server (stored, acknowledged) -> agent.
    let (visitors, agent) = common::chatting(&addr).await?;
    let chinwag = measure(visitors, agent, rate, seconds, common::chinwag_text).await?;
    report("Chinwag (stored in SQLite, acknowledged)", &chinwag, rate);
    server.kill().await?;

    // 3. The floor: a bare relay.
    let relay = bare_relay().await?;
    let agent = connect(&format!("ws://{relay}/"), "http://bench", None).await?;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut visitors = Vec::new();
    for _ in 0..VISITORS {
        visitors.push(connect(&format!("ws://{relay}/"), "http://bench", None).await?);
    }
    let bare = measure(visitors, agent, rate, seconds, |text| Some(text.to_owned())).await?;
    report("bare tokio-tungstenite relay", &bare, rate);
    Ok(())
}

/// The floor: the first connection is the agent; every other connection's text frames
/// are forwarded to it. About fifty lines, no storage, no checks.
async fn bare_relay() -> anyhow::Result<std::net::SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (to_agent, mut for_agent) = mpsc::unbounded_channel::<String>();
    tokio::spawn(async move {
        let mut first = true;
        while let Ok((stream, _)) = listener.accept().await {
            let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
                continue;
            };
            let (mut sink, mut source) = ws.split();
            if first {
                first = false;
                let mut inbox = std::mem::replace(&mut for_agent, mpsc::unbounded_channel().1);
                tokio::spawn(async move {
                    while let Some(text) = inbox.recv().await {
                        if sink.send(Message::Text(text.into())).await.is_err() {
                            break;
                        }
                    }
                });
                tokio::spawn(async move { while source.next().await.is_some() {} });
            } else {
                let to_agent = to_agent.clone();
                tokio::spawn(async move {
                    while let Some(Ok(Message::Text(text))) = source.next().await {
                        // Same payload shape as Chinwag's: read the text out of the frame.
                        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                        let body = parsed["message"]["text"].as_str().unwrap_or_default().to_owned();
                        let _ = to_agent.send(body);
                    }
                    drop(sink);
                });
            }
        }
    });
    Ok(addr)
}
