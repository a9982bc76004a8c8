//! `scripts/bench-search.sh`: search over many conversations (docs/performance.md,
//! "Search"). Prints figures; asserts nothing.
//!
//! Fills a fresh database (SQLite, or the PostgreSQL URL given) with CONVERSATIONS
//! conversations of six lines each (words drawn from a 2,000-word vocabulary, the
//! first ones far more often, as in real chats; every conversation has its own order
//! number) and the visitor's name and email, then times `search::store::find` (what
//! `GET /api/search` runs) for words from rare to common, as an admin (everything) and
//! as an agent (their conversations and unassigned ones): median and 95th percentile of
//! 21 runs each.
//!
//! Usage: search_bench [CONVERSATIONS=100000] [DATABASE_URL]

use chinwag_protocol::AgentStatus;
use chinwag_server::db::{self, Agent, Db, Role};
use chinwag_server::search::{store, terms};
use std::time::Instant;

/// A deterministic stream of numbers (no dependency, the same data every run).
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A word index, the first ones far more often (about a Zipf law).
    fn word(&mut self, words: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((words as f64).powf(u) as usize).saturating_sub(1).min(words - 1)
    }
}

fn vocabulary() -> Vec<String> {
    const COMMON: [&str; 20] = [
        "the", "you", "price", "plan", "team", "invoice", "help", "account", "order", "demo", "trial",
        "seats", "support", "billing", "please", "thanks", "today", "email", "quote", "pricing",
    ];
    let mut words: Vec<String> = COMMON.iter().map(|w| w.to_string()).collect();
    let syllables = ["ka", "lo", "mi", "ren", "to", "za", "vel", "qui", "dor", "sha"];
    let mut n = 0usize;
    while words.len() < 2_000 {
        let word = format!(
            "{}{}{}{}",
            syllables[n % 10],
            syllables[n / 10 % 10],
            syllables[n / 100 % 10],
            syllables[n / 1000 % 10]
        );
        n += 1;
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

async fn fill(db: &Db, conversations: usize) -> anyhow::Result<()> {
    let words = vocabulary();
    let mut draw = Draw(7);
    let agents = ["ana", "ben", "alice"];
    let started = Instant::now();
    for chunk in (0..conversations).collect::<Vec<_>>().chunks(1_000) {
        let mut tx = db::begin(db).await?;
        for &n in chunk {
            let id = format!("c{n:07}");
            let agent = agents[n % 3];
            let attributes = serde_json::json!({ "first_name": format!("Visitor{n}"), "email": format!("visitor{n}@shop.test") });
            sqlx::query(
                "INSERT INTO conversations (id, site_id, dialogue_id, page_url, attributes, verified, agent_id, status, last_seq, created_at, active_at) \
                 VALUES ($1, 'demo', 'sales-handoff', 'https://shop.test/', $2, '[]', $3, 'closed', 6, $4, $4)",
            )
            .bind(&id)
            .bind(attributes.to_string())
            .bind(agent)
            .bind(n as i64)
            .execute(&mut *tx)
            .await?;
            db::index_line(
                &mut tx,
                &id,
                0,
                "visitor",
                &format!("Visitor{n} visitor{n}@shop.test"),
            )
            .await?;
            for seq in 1..=6 {
                let mut line: Vec<&str> = (0..10).map(|_| words[draw.word(words.len())].as_str()).collect();
                let order = format!("order{n:07}");
                if seq == 3 {
                    line.push(&order);
                }
                db::index_line(&mut tx, &id, seq, "message", &line.join(" ")).await?;
            }
        }
        tx.commit().await?;
    }
    println!(
        "filled {conversations} conversations, {} lines, in {:.1} s",
        conversations * 7,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn time(db: &Db, query: &str, agent: &Agent) -> anyhow::Result<(f64, f64, usize)> {
    let words = terms::words(query);
    let mut runs = Vec::new();
    let mut found = 0;
    for _ in 0..21 {
        let started = Instant::now();
        found = store::find(db, &words, agent).await?.len();
        runs.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    runs.sort_by(f64::total_cmp);
    Ok((runs[10], runs[19], found))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let conversations: usize = args.get(1).map_or(Ok(100_000), |s| s.parse())?;
    let dir = tempfile::tempdir()?;
    let url = match args.get(2) {
        Some(url) => url.clone(),
        None => dir.path().join("search.db").display().to_string(),
    };
    let db = db::connect(&url).await?;
    println!("engine: {:?}", db::engine(&db));
    fill(&db, conversations).await?;
    let agent = |id: &str, role: Role| Agent {
        id: id.into(),
        name: id.into(),
        email: format!("{id}@demo.chinwag"),
        role,
        status: AgentStatus::Available,
        active: true,
        live_chat: true,
        max_chats: 5,
    };
    let (admin, ben) = (agent("ana", Role::Admin), agent("ben", Role::Agent));
    let words = vocabulary();
    let rare = format!("order{:07}", conversations / 2);
    let visitor = format!("visitor{}@shop", conversations / 3);
    let two = format!("{} {}", words[2], words[3]);
    // By the draw's law, word i is in about 1 line in (i + 1) × 0.76.
    let queries: [(&str, &str); 6] = [
        ("one conversation's order number", &rare),
        ("a visitor's email, begun", &visitor),
        ("a rare word (1 line in 1,500)", &words[1990]),
        ("a word of 1 line in 25", &words[30]),
        ("the commonest word (1 line in 2)", &words[0]),
        ("two common words", &two),
    ];
    println!(
        "{:<36} {:>10} {:>10} {:>10} {:>10}",
        "query", "admin p50", "p95", "agent p50", "p95"
    );
    for (what, query) in queries {
        let (a50, a95, found) = time(&db, query, &admin).await?;
        let (b50, b95, _) = time(&db, query, &ben).await?;
        println!(
            "{:<36} {:>8.1}ms {:>8.1}ms {:>8.1}ms {:>8.1}ms   ({found} lines answered)",
            format!("{what} ({query})"),
            a50,
            a95,
            b50,
            b95
        );
    }
    Ok(())
}
