//! What both benchmarks use: the server binary started on a fresh database, visitors
//! and an agent on real sockets, the relay's latency measured at a steady rate.

#![allow(dead_code)]

use futures_util::{SinkExt, StreamExt};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub const CARD: &str = "stream[1].answers[0].then[2]"; // sales-handoff's live chat: team sales
pub const VISITORS: usize = 250; // each stays under the per-connection rate limit

/// Starts `binary serve --demo` on a fresh database in `dir`; the process and its address.
pub async fn start(binary: &str, dir: &std::path::Path) -> anyhow::Result<(tokio::process::Child, String)> {
    let database = dir.join("bench.db").display().to_string();
    start_with(
        binary,
        &[("CHINWAG_LISTEN", "127.0.0.1:0"), ("CHINWAG_DATABASE", &database)],
    )
    .await
}

/// Starts `binary serve --demo` with `env` (listen address, database, …).
pub async fn start_with(
    binary: &str,
    env: &[(&str, &str)],
) -> anyhow::Result<(tokio::process::Child, String)> {
    let mut server = tokio::process::Command::new(binary)
        .args(["serve", "--demo"])
        .envs(env.iter().copied())
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
    Ok((server, addr))
}

/// `VISITORS` visitors in live chat with the sales team, and Ben's inbox socket.
pub async fn chatting(addr: &str) -> anyhow::Result<(Vec<Socket>, Socket)> {
    chatting_across(addr, addr, VISITORS).await
}

/// As `chatting`, with `count` visitors on `addr` and Ben's inbox on `agent_addr`
/// (another node of a cluster).
pub async fn chatting_across(
    addr: &str,
    agent_addr: &str,
    count: usize,
) -> anyhow::Result<(Vec<Socket>, Socket)> {
    let origin = format!("http://{addr}");
    let (cookie, _) = login(agent_addr, "ben@demo.chinwag").await?;
    let agent_origin = format!("http://{agent_addr}");
    let mut agent = connect(
        &format!("ws://{agent_addr}/ws/agent"),
        &agent_origin,
        Some(&cookie),
    )
    .await?;
    agent
        .send(Message::Text(r#"{"hello":{"version":1}}"#.into()))
        .await?;
    let mut visitors = Vec::new();
    for i in 0..count {
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
    Ok((visitors, agent))
}

/// The text of a chat message as Chinwag relays it to the agent.
pub fn chinwag_text(text: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(text).ok()?["event"]["kind"]["message"]["text"]
        .as_str()
        .map(str::to_owned)
}

pub async fn connect(url: &str, origin: &str, cookie: Option<&str>) -> anyhow::Result<Socket> {
    let mut request = url.into_client_request()?;
    request.headers_mut().insert("origin", origin.parse()?);
    if let Some(cookie) = cookie {
        request.headers_mut().insert("cookie", cookie.parse()?);
    }
    Ok(tokio_tungstenite::connect_async(request).await?.0)
}

/// Signs in; the session cookie and the CSRF token.
pub async fn login(addr: &str, email: &str) -> anyhow::Result<(String, String)> {
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/api/login"))
        .json(&serde_json::json!({ "email": email, "password": chinwag_server::demo::PASSWORD }))
        .send()
        .await?;
    let cookie = response
        .headers()
        .get("set-cookie")
        .expect("a session cookie")
        .to_str()?
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    let body: serde_json::Value = response.json().await?;
    Ok((cookie, body["csrf"].as_str().unwrap_or_default().to_owned()))
}

/// Sends `rate` messages per second for `seconds`, spread over the visitors; each
/// carries its send time; the agent side reports how long each took.
pub async fn measure(
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

/// Prints p50, p99 and max of `latencies` (ms).
pub fn report(name: &str, latencies: &[f64], rate: usize) {
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
pub fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
