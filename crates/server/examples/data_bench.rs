//! `scripts/bench-data.sh`: the data side's figures (docs/performance.md). Prints
//! figures; asserts nothing.
//!
//! 1. Ingest: visitors' reports (12 marks a run, the pricing FAQ) at a steady rate of
//!    marks per second, from many loopback addresses (each address has its own limit,
//!    as visitors do); latency of each report, p50 and p99.
//! 2. Metrics: a dialogue's metrics and funnel over the last 90 days with MARKS stored.
//! 3. Purge: MARKS more, past the 90-day window, purged while visitors chat at 1,000
//!    messages a second; how long it takes, and the relay's latency during it next to
//!    before.
//!
//! Usage: data_bench SERVER_BINARY [MARKS_PER_SECOND=1000] [SECONDS=10] [MARKS=1000000]

mod common;

use common::{measure, report};
use std::time::{Duration, Instant};

/// A run of the pricing FAQ as the widget reports it (12 marks), starting at `t` ms.
fn run(id: &str, t: u64) -> serde_json::Value {
    let m = |kind: &str, card: Option<&str>, dt: u64| serde_json::json!({ "kind": kind, "card": card, "at": t + dt });
    let marks = [
        m("triggered", None, 0),
        m("reached", Some("stream[0]"), 0),
        m("reached", Some("stream[1]"), 0),
        m("answered", Some("stream[1]"), 1000),
        m("engaged", None, 1000),
        m("reached", Some("stream[1].answers[2].then[0]"), 1000),
        m("reached", Some("stream[1].answers[2].then[1]"), 1000),
        m("goal", Some("stream[1].answers[2].then[1]"), 1000),
        m("reached", Some("stream[2]"), 1000),
        m("answered", Some("stream[2]"), 2000),
        m("reached", Some("stream[2].answers[2].then[0]"), 2000),
        m("completed", None, 2000),
    ];
    // Drop the absent cards (serde_json writes null).
    let marks: Vec<serde_json::Value> = marks
        .into_iter()
        .map(|mut v| {
            if v["card"].is_null() {
                v.as_object_mut().map(|o| o.remove("card"));
            }
            v
        })
        .collect();
    serde_json::json!({ "run": id, "visitor": id, "dialogue": "pricing-faq", "version": 1, "locale": "en",
        "known": false, "from": 0, "marks": marks })
}

fn now_ms() -> u64 {
    chinwag_server::db::now_ms()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let binary = args
        .get(1)
        .expect("usage: data_bench SERVER_BINARY [MARKS_PER_SECOND] [SECONDS] [MARKS]");
    let rate: usize = args.get(2).map_or(Ok(1_000), |s| s.parse())?;
    let seconds: u64 = args.get(3).map_or(Ok(10), |s| s.parse())?;
    let stored: usize = args.get(4).map_or(Ok(1_000_000), |s| s.parse())?;
    let dir = tempfile::tempdir()?;
    let (mut server, addr) = common::start(binary, dir.path()).await?;
    println!("Chinwag server at {addr}");

    // 1. Ingest, from 100 loopback addresses.
    let clients: Vec<reqwest::Client> = (0..100u8)
        .map(|i| {
            reqwest::Client::builder()
                .local_address(std::net::IpAddr::from([127, 0, 1, i + 1]))
                .build()
                .expect("a client")
        })
        .collect();
    let batches = rate * seconds as usize / 12;
    let every = Duration::from_secs_f64(seconds as f64 / batches as f64);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<f64>();
    let started = Instant::now();
    let mut tick = tokio::time::interval(every);
    for n in 0..batches {
        tick.tick().await;
        let (client, tx) = (clients[n % clients.len()].clone(), tx.clone());
        let body = run(&format!("bench-{n}"), now_ms() - 3_000).to_string();
        let url = format!("http://{addr}/api/sites/demo/activity");
        let origin = format!("http://{addr}");
        tokio::spawn(async move {
            let sent = Instant::now();
            let ok = client.post(url).header("origin", origin).body(body).send().await;
            if ok.is_ok_and(|r| r.status().is_success()) {
                let _ = tx.send(sent.elapsed().as_secs_f64() * 1000.0);
            }
        });
    }
    drop(tx);
    let mut latencies = Vec::new();
    while let Some(ms) = rx.recv().await {
        latencies.push(ms);
    }
    let took = started.elapsed().as_secs_f64();
    report(
        &format!(
            "ingest ({} of {batches} reports stored, {:.0} marks/s)",
            latencies.len(),
            latencies.len() as f64 * 12.0 / took
        ),
        &latencies,
        rate,
    );

    // 2. MARKS stored in the last 90 days (and as many more past the window, for 3).
    let db = chinwag_server::db::connect(&dir.path().join("bench.db").display().to_string()).await?;
    let day = 24 * 3600 * 1000u64;
    let seeding = Instant::now();
    for (label, from_days) in [("recent", 1u64), ("expired", 91)] {
        let mut tx = chinwag_server::db::begin(&db).await?;
        let mut daily: std::collections::BTreeMap<(String, String, String), i64> = Default::default();
        let mut times: std::collections::BTreeMap<(String, String, i64), i64> = Default::default();
        for r in 0..stored / 12 {
            let t = now_ms() - (from_days + (r as u64 % 89)) * day;
            let id = format!("seed-{label}-{r}");
            sqlx::query("INSERT INTO activity_runs (id, site_id, dialogue_id, version, visitor_id, locale, known, started_at, marks, state) VALUES ($1, 'demo', 'pricing-faq', 1, $2, 'en', 0, $3, 12, '{}')")
                .bind(&id).bind(&id).bind(t as i64).execute(&mut *tx).await?;
            for (seq, m) in run(&id, t)["marks"].as_array().into_iter().flatten().enumerate() {
                let (kind, card) = (m["kind"].as_str().unwrap_or_default(), m["card"].as_str());
                // Times to answer spread from 0.3 s to 2 minutes, as real ones are.
                let ms =
                    (kind == "answered").then_some(300 + (r as i64 * 7_919 + seq as i64 * 104_729) % 120_000);
                sqlx::query("INSERT INTO activity_marks (run_id, seq, site_id, dialogue_id, version, kind, card, at, ms) VALUES ($1, $2, 'demo', 'pricing-faq', 1, $3, $4, $5, $6)")
                    .bind(&id).bind(seq as i64).bind(kind).bind(card).bind(m["at"].as_i64()).bind(ms).execute(&mut *tx).await?;
                let day = chinwag_server::data::activity::day_of(m["at"].as_u64().unwrap_or_default());
                if let (Some(ms), Some(card)) = (ms, card) {
                    let bucket = chinwag_server::data::histogram::bucket(ms);
                    *times.entry((day.clone(), card.to_owned(), bucket)).or_default() += 1;
                }
                *daily
                    .entry((day, kind.to_owned(), card.unwrap_or_default().to_owned()))
                    .or_default() += 1;
            }
        }
        for ((day, kind, card), n) in daily {
            sqlx::query("INSERT INTO activity_daily (site_id, dialogue_id, version, day, locale, known, kind, card, count) VALUES ('demo', 'pricing-faq', 1, $1, 'en', 0, $2, $3, $4) ON CONFLICT (site_id, dialogue_id, version, day, locale, known, kind, card) DO UPDATE SET count = activity_daily.count + excluded.count")
                .bind(day).bind(kind).bind(card).bind(n).execute(&mut *tx).await?;
        }
        for ((day, card, bucket), n) in times {
            sqlx::query("INSERT INTO activity_times (site_id, dialogue_id, version, day, locale, known, card, bucket, count) VALUES ('demo', 'pricing-faq', 1, $1, 'en', 0, $2, $3, $4) ON CONFLICT (site_id, dialogue_id, version, day, locale, known, card, bucket) DO UPDATE SET count = activity_times.count + excluded.count")
                .bind(day).bind(card).bind(bucket).bind(n).execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    // The seeding's log goes into the database now, not while the relay is measured.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&db)
        .await?;
    println!(
        "seeded {} marks ({} past the window) in {:.1} s",
        stored * 2,
        stored,
        seeding.elapsed().as_secs_f64()
    );
    let (cookie, csrf) = common::login(&addr, "ana@demo.chinwag").await?;
    let admin = reqwest::Client::new();
    let mut times = Vec::new();
    for _ in 0..7 {
        let started = Instant::now();
        let body: serde_json::Value = admin
            .get(format!(
                "http://{addr}/api/sites/demo/dialogues/pricing-faq/metrics"
            ))
            .header("cookie", &cookie)
            .send()
            .await?
            .json()
            .await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(
            body["totals"]["triggered"].as_i64().unwrap_or(0) > 0,
            "metrics: {body}"
        );
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "metrics of one dialogue over {stored} marks (90 days): median {:.1} ms, first {:.1} ms",
        times[3],
        times[0].max(times[6])
    );

    // 3. The purge of the expired marks while visitors chat.
    let (visitors, agent) = common::chatting(&addr).await?;
    let before = measure(visitors, agent, 1_000, seconds, common::chinwag_text).await?;
    report("relay before the purge", &before, 1_000);
    let (visitors, agent) = common::chatting(&addr).await?;
    let relay = tokio::spawn(measure(visitors, agent, 1_000, seconds, common::chinwag_text));
    tokio::time::sleep(Duration::from_secs(1)).await;
    let started = Instant::now();
    let purged: serde_json::Value = admin
        .post(format!("http://{addr}/api/sites/demo/retention/purge"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send()
        .await?
        .json()
        .await?;
    println!(
        "purge: answered {purged} after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let during = relay.await??;
    // A long purge goes on after its request answers: wait for the last expired mark.
    let cutoff = (now_ms() - 90 * day) as i64;
    loop {
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activity_marks WHERE at < $1")
            .bind(cutoff)
            .fetch_one(&db)
            .await?;
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    println!(
        "purge: every expired mark gone after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    report("relay during the purge", &during, 1_000);
    server.kill().await?;
    Ok(())
}
