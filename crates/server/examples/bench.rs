//! `scripts/bench.sh`: how many idle visitor sockets the server holds and what each
//! costs in memory, and the visitor → agent relay latency at a steady message rate,
//! next to a bare tokio-tungstenite relay (~50 lines, below) as the floor. Prints
//! figures; asserts nothing.
//!
//! Usage: bench SERVER_BINARY [SOCKETS] [MESSAGES_PER_SECOND] [SECONDS]

use futures_util::{SinkExt, StreamExt};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

const CARD: &str = "stream[1].answers[0].then[2]"; // sales-handoff's live chat: team sales
const VISITORS: usize = 250; // each stays under the per-connection rate limit

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
    let mut server = tokio::process::Command::new(binary)
        .args(["serve", "--demo"])
        .env("CHINWAG_LISTEN", "127.0.0.1:0")
        .env("CHINWAG_DATABASE", dir.path().join("bench.db"))
        .env("RUST_LOG", "error")
        // Every client of the benchmark comes from one address.
        .env("CHINWAG_SOCKETS_PER_ADDRESS", "1000000")
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let mut lines = BufReader::new(server.stdout.take().expect("stdout")).lines();
    let addr = loop {
        let line = lines.next_line().await?.expect("the server prints its address");
        if let Some(rest) = line
            .split("http://")
            .nth(1)
            .filter(|_| line.contains("widget bundle"))
        {
            break rest.split('/').next().unwrap_or_default().to_owned();
        }
    };
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
    let cookie = login(&addr, "ben@demo.chinwag").await?;
    let mut agent = connect(&format!("ws://{addr}/ws/agent"), &origin, Some(&cookie)).await?;
    agent
        .send(Message::Text(r#"{"hello":{"version":1}}"#.into()))
        .await?;
    let mut visitors = Vec::new();
    for i in 0..VISITORS {
        let mut ws = connect(&format!("ws://{addr}/ws/visitor?site=demo"), &origin, None).await?;
        ws.send(Message::Text(r#"{"hello":{"version":1,"site":"demo"}}"#.into()))
            .await?;
        let handoff = format!(
            r#"{{"handoff":{{"id":"h{i}","dialogue_id":"sales-handoff","card":"{CARD}","transcript":[],"attributes":{{}},"page_url":"http://bench/"}}}}"#
        );
        ws.send(Message::Text(handoff.into())).await?;
        // Wait until the conversation exists (messages before it would be refused).
        while let Some(Ok(frame)) = ws.next().await {
            if frame
                .to_text()
                .is_ok_and(|t| t.contains("\"welcome\"") && t.contains("\"conversation\""))
            {
                break;
            }
        }
        visitors.push(ws);
    }
    let chinwag = measure(visitors, agent, rate, seconds, |text| {
        serde_json::from_str::<serde_json::Value>(text).ok()?["event"]["kind"]["message"]["text"]
            .as_str()
            .map(str::to_owned)
    })
    .await?;
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

async fn connect(url: &str, origin: &str, cookie: Option<&str>) -> anyhow::Result<Socket> {
    let mut request = url.into_client_request()?;
    request.headers_mut().insert("origin", origin.parse()?);
    if let Some(cookie) = cookie {
        request.headers_mut().insert("cookie", cookie.parse()?);
    }
    Ok(tokio_tungstenite::connect_async(request).await?.0)
}

async fn login(addr: &str, email: &str) -> anyhow::Result<String> {
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/api/login"))
        .json(&serde_json::json!({ "email": email, "password": chinwag_server::demo::PASSWORD }))
        .send()
        .await?;
    let cookie = response
        .headers()
        .get("set-cookie")
        .expect("a session cookie")
        .to_str()?;
    Ok(cookie.split(';').next().unwrap_or_default().to_owned())
}

/// Sends `rate` messages per second for `seconds`, spread over the visitors; each
/// carries its send time; the agent side reports how long each took.
async fn measure(
    visitors: Vec<Socket>,
    mut agent: Socket,
    rate: usize,
    seconds: u64,
    text_of: fn(&str) -> Option<String>,
) -> anyhow::Result<Vec<f64>> {
    let epoch = Instant::now();
    let (tx, mut rx) = mpsc::unbounded_channel::<f64>();
    let expected = rate * seconds as usize;
    let receiver = tokio::spawn(async move {
        let deadline = Instant::now() + Duration::from_secs(seconds + 10);
        while let Ok(Some(Ok(Message::Text(text)))) =
            tokio::time::timeout_at(deadline.into(), agent.next()).await
        {
            if let Some(sent) =
                text_of(&text).and_then(|t| t.strip_prefix("t=").and_then(|n| n.parse::<f64>().ok()))
            {
                let _ = tx.send(epoch.elapsed().as_secs_f64() * 1000.0 - sent);
            }
        }
    });
    let per_visitor = Duration::from_secs_f64(visitors.len() as f64 / rate as f64);
    let count = visitors.len();
    for (i, ws) in visitors.into_iter().enumerate() {
        tokio::spawn(async move {
            // Spread the visitors evenly over one interval.
            tokio::time::sleep(per_visitor.mul_f64(i as f64 / count as f64)).await;
            let mut tick = tokio::time::interval(per_visitor);
            let (mut sink, mut stream) = ws.split();
            tokio::spawn(async move {
                while let Some(Ok(frame)) = stream.next().await {
                    if let Ok(text) = frame.to_text() {
                        if text.contains("\"error\"") {
                            eprintln!("refused: {text}");
                        }
                    }
                }
            });
            for n in 0..(seconds as f64 / per_visitor.as_secs_f64()) as usize {
                tick.tick().await;
                let sent = epoch.elapsed().as_secs_f64() * 1000.0;
                let frame = format!(r#"{{"message":{{"id":"m{i}-{n}","text":"t={sent:.3}"}}}}"#);
                if sink.send(Message::Text(frame.into())).await.is_err() {
                    break;
                }
            }
            // Stay connected until the agent side has had time to hear everything.
            tokio::time::sleep(Duration::from_secs(5)).await;
        });
    }
    let mut latencies = Vec::with_capacity(expected);
    while let Some(ms) = rx.recv().await {
        latencies.push(ms);
        if latencies.len() >= expected {
            break;
        }
    }
    receiver.abort();
    Ok(latencies)
}

fn report(name: &str, latencies: &[f64], rate: usize) {
    let mut sorted = latencies.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| {
        sorted
            .get(((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1)))
            .copied()
            .unwrap_or(f64::NAN)
    };
    println!(
        "{name}: {} messages at {rate}/s, relay latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        sorted.len(),
        at(0.50),
        at(0.99),
        sorted.last().copied().unwrap_or(f64::NAN)
    );
}

/// Resident memory of a process, in KiB (Linux).
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
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
