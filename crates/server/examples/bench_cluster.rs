//! The cluster benchmark (prints figures, asserts nothing): three nodes of the server
//! binary on one PostgreSQL (`scripts/bench-cluster.sh` starts a throw-away one).
//! Idle visitor sockets held by the cluster and memory per socket; relay latency
//! visitor → agent with both on one node and across nodes at a steady rate; then
//! higher rates across nodes until p99 passes 50 ms.
//! Usage: bench_cluster SERVER_BINARY DATABASE_URL [SOCKETS] [RATE] [SECONDS]
//!
//! The idle sockets are held by child processes of this benchmark (`--hold ADDRESS
//! COUNT`), one per node: a process may open 20,000 files on this machine, so one
//! client could not hold more.

mod common;

use common::{chatting_across, connect, measure, report, rss_kib, start_with};
use futures_util::{SinkExt, StreamExt};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

/// Visitors per 1,000 messages a second: each stays under its socket's rate limit.
const VISITORS_PER_THOUSAND: usize = 250;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--hold") {
        return hold(&args[2], args[3].parse()?).await;
    }
    let usage = "usage: bench_cluster SERVER_BINARY DATABASE_URL [SOCKETS] [RATE] [SECONDS]";
    let binary = args.get(1).expect(usage);
    let database = args.get(2).expect(usage);
    let sockets: usize = args.get(3).map_or(Ok(15_000), |s| s.parse())?;
    let rate: usize = args.get(4).map_or(Ok(1_000), |s| s.parse())?;
    let seconds: u64 = args.get(5).map_or(Ok(10), |s| s.parse())?;

    let ports: Vec<u16> = (0..3)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").map(|l| l.local_addr().map(|a| a.port())))
        .collect::<Result<Result<_, _>, _>>()??;
    let origins: Vec<String> = ports.iter().map(|p| format!("http://127.0.0.1:{p}")).collect();
    let origins = origins.join(",");
    let mut nodes = Vec::new();
    for port in &ports {
        let listen = format!("127.0.0.1:{port}");
        let env = [
            ("CHINWAG_LISTEN", listen.as_str()),
            ("CHINWAG_DATABASE", database.as_str()),
            ("CHINWAG_SECRET", "bench-cluster-secret-of-enough-length"),
            ("CHINWAG_DEMO_ORIGINS", origins.as_str()),
            // Every client of the benchmark comes from one address.
            ("CHINWAG_SOCKETS_PER_ADDRESS", "1000000"),
        ];
        let (child, addr) = start_with(binary, &env).await?;
        println!("node at {addr} (pid {})", child.id().unwrap_or_default());
        nodes.push((child, addr));
    }

    // 1. Idle visitor sockets, spread over the nodes.
    let before: Vec<u64> = nodes
        .iter()
        .map(|(c, _)| rss_kib(c.id().unwrap_or_default()))
        .collect();
    let started = Instant::now();
    let mut holders = Vec::new();
    for (n, (_, addr)) in nodes.iter().enumerate() {
        let count = sockets / nodes.len() + usize::from(n < sockets % nodes.len());
        holders.push(holder(addr, count)?);
    }
    for (child, lines) in &mut holders {
        let line = lines.next_line().await?.unwrap_or_default();
        anyhow::ensure!(
            line.starts_with("held"),
            "a holder failed: {line} ({:?})",
            child.id()
        );
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after: Vec<u64> = nodes
        .iter()
        .map(|(c, _)| rss_kib(c.id().unwrap_or_default()))
        .collect();
    let grown: u64 = after.iter().zip(&before).map(|(a, b)| a.saturating_sub(*b)).sum();
    println!(
        "idle visitor sockets: {sockets} over 3 nodes, open in {:.1} s; nodes' RSS {:.1} MB -> {:.1} MB; {:.1} KB per socket",
        started.elapsed().as_secs_f64(),
        before.iter().sum::<u64>() as f64 / 1024.0,
        after.iter().sum::<u64>() as f64 / 1024.0,
        grown as f64 / sockets as f64
    );
    for (mut child, _) in holders {
        child.kill().await?;
    }
    // The nodes close tens of thousands of sockets: let them finish before timing.
    tokio::time::sleep(Duration::from_secs(10)).await;

    // 2. Relay latency, the agent on the visitors' node, then on another node.
    let visitors = VISITORS_PER_THOUSAND * rate.div_ceil(1000);
    let (one, two) = (&nodes[0].1, &nodes[1].1);
    let (v, agent) = chatting_across(one, one, visitors).await?;
    report(
        "cluster, same node",
        &measure(v, agent, rate, seconds, common::chinwag_text).await?,
        rate,
    );
    let (v, agent) = chatting_across(one, two, visitors).await?;
    report(
        "cluster, across nodes",
        &measure(v, agent, rate, seconds, common::chinwag_text).await?,
        rate,
    );

    // 3. Higher rates across nodes until p99 passes 50 ms.
    let mut step = rate * 2;
    while step <= 16_000 {
        let (v, agent) = chatting_across(one, two, VISITORS_PER_THOUSAND * step.div_ceil(1000)).await?;
        let latencies = measure(v, agent, step, 5, common::chinwag_text).await?;
        report("cluster, across nodes", &latencies, step);
        let mut sorted = latencies.clone();
        sorted.sort_by(|a, b| a.total_cmp(b));
        let p99 = sorted
            .get(sorted.len() * 99 / 100)
            .copied()
            .unwrap_or(f64::INFINITY);
        if p99 > 50.0 || latencies.len() < step * 5 * 9 / 10 {
            println!("p99 passed 50 ms (or messages went missing) at {step}/s");
            break;
        }
        step *= 2;
    }
    for (mut child, _) in nodes {
        child.kill().await?;
    }
    Ok(())
}

type Lines = tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>;

/// A child process of this benchmark holding `count` idle sockets at `addr`.
fn holder(addr: &str, count: usize) -> anyhow::Result<(tokio::process::Child, Lines)> {
    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .args(["--hold", addr, &count.to_string()])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().expect("piped");
    Ok((child, tokio::io::BufReader::new(stdout).lines()))
}

/// `--hold`: opens `count` visitor sockets at `addr` (each says hello and hears the
/// welcome), prints "held", and keeps them until killed.
async fn hold(addr: &str, count: usize) -> anyhow::Result<()> {
    use futures_util::stream::{self, TryStreamExt};
    let open = |_| async move {
        let mut ws = connect(
            &format!("ws://{addr}/ws/visitor?site=demo"),
            &format!("http://{addr}"),
            None,
        )
        .await?;
        ws.send(Message::Text(r#"{"hello":{"version":1,"site":"demo"}}"#.into()))
            .await?;
        ws.next().await;
        anyhow::Ok(ws)
    };
    let held: Vec<_> = stream::iter((0..count).map(anyhow::Ok))
        .map_ok(open)
        .try_buffer_unordered(64)
        .try_collect()
        .await?;
    println!("held {}", held.len());
    std::future::pending::<()>().await;
    Ok(())
}
