//! Erasure takes exactly what is the person's and nothing else, and leaves no byte of
//! them in the files: 50 people on two sites with overlapping names and look-alike
//! emails (`a_b@x.com`, `a%b@x.com`, `xa_b@x.com`), one erased, every other row of
//! every table byte for byte the same; then, through the real binary, an erased
//! person's name, email, browser id and words are in no byte of the database file, its
//! write-ahead log, or the server's log.

mod support;

use chinwag_server::data::erase_store::{self, Person};
use chinwag_server::data::{leads, leads_store};
use serde_json::json;
use sqlx::{Column, Row};
use std::collections::{BTreeMap, BTreeSet};
use support::*;

/// Every row of every table, as `table: column=value, …` (a multiset: row → count).
async fn snapshot(pool: &chinwag_server::db::Db) -> BTreeMap<String, usize> {
    let tables: Vec<String> = sqlx::query_scalar(match chinwag_server::db::engine(pool) {
        chinwag_server::db::Engine::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> '_sqlx_migrations'"
        }
        chinwag_server::db::Engine::Postgres => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'"
        }
    })
    .fetch_all(pool)
    .await
    .unwrap();
    let mut rows = BTreeMap::new();
    for table in tables {
        for row in sqlx::query(&format!("SELECT * FROM \"{table}\""))
            .fetch_all(pool)
            .await
            .unwrap()
        {
            let mut text = format!("{table}:");
            for (i, column) in row.columns().iter().enumerate() {
                let value = row
                    .try_get::<String, _>(i)
                    .or_else(|_| row.try_get::<i64, _>(i).map(|n| n.to_string()))
                    .or_else(|_| row.try_get::<f64, _>(i).map(|n| n.to_string()))
                    .unwrap_or_else(|_| "NULL".into());
                text.push_str(&format!(" {}={value:?}", column.name()));
            }
            *rows.entry(text).or_insert(0) += 1;
        }
    }
    rows
}

fn minus(a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>) -> BTreeSet<String> {
    a.iter()
        .filter(|(row, n)| b.get(*row).copied().unwrap_or(0) < **n)
        .map(|(row, _)| row.clone())
        .collect()
}

const LOOKALIKES: [&str; 10] = [
    "a_b@x.com",
    "a%b@x.com",
    "axb@x.com",
    "a_b@x.co",
    "xa_b@x.com",
    "al@x.com",
    "jo@x.com",
    "ab@x.com",
    "a_b@y.com",
    "b_a@x.com",
];
const NAMES: [(&str, &str); 5] = [
    ("Al", "Jo"),
    ("Jo", "Al"),
    ("Alan", "Jones"),
    ("Joanna", "Al"),
    ("Al", "Joanna"),
];

#[tokio::test]
async fn erasing_one_person_leaves_every_other_row_byte_for_byte() {
    let (_dir, path) = temp_db();
    let database = database(&path).await;
    seed(&database).await;
    let pool = chinwag_server::db::connect(&database).await.unwrap();
    sqlx::query("INSERT INTO sites (id, name, origins) VALUES ('other', 'Other', '[\"http://other.test\"]')")
        .execute(&pool)
        .await
        .unwrap();
    for site in ["demo", "other"] {
        sqlx::query(
            "INSERT INTO webhook_endpoints (id, site_id, url, description, events, secrets, status, created_at) \
             VALUES ($1, $2, 'http://127.0.0.1:9/hooks', '', '[\"*\"]', '', 'enabled', 0)",
        )
        .bind(format!("ep-{site}"))
        .bind(site)
        .execute(&pool)
        .await
        .unwrap();
    }
    // 50 people: the ten look-alikes on both sites, then thirty more whose emails and
    // names hold "al", "jo", "_" and "%".
    let mut erased = None;
    for i in 0..50usize {
        let site = ["demo", "other"][i % 2];
        let email = match i < 20 {
            true => LOOKALIKES[i / 2].to_owned(),
            false => format!("al{i}_jo%{}@x.com", i % 3),
        };
        let (first, last) = NAMES[i % NAMES.len()];
        let attributes = BTreeMap::from([
            ("email".to_owned(), email.clone()),
            ("first_name".to_owned(), first.to_owned()),
            ("last_name".to_owned(), last.to_owned()),
        ]);
        let capture = leads::capture(&attributes).unwrap_or_else(|| panic!("{email} is an email"));
        let (lead, _) = leads_store::save(&pool, site, &capture, &[], "test", 1_000 + i as i64, None)
            .await
            .unwrap();
        // A chat where they gave it, with a message that names them.
        let conversation = format!("c{i}");
        sqlx::query(
            "INSERT INTO conversations (id, site_id, dialogue_id, page_url, attributes, status, last_seq, created_at) \
             VALUES ($1, $2, 'sales-handoff', 'http://shop.test/', $3, 'closed', 1, 0)",
        )
        .bind(&conversation)
        .bind(site)
        .bind(json!({ "email": email, "first_name": first }).to_string())
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO events (conversation_id, seq, at, body) VALUES ($1, 1, 0, $2)")
            .bind(&conversation)
            .bind(json!({ "message": { "text": format!("hi, {first} {last} here, al jo") } }).to_string())
            .execute(&pool)
            .await
            .unwrap();
        chinwag_server::console::store::audit(&pool, "ana", "note", site, &format!("called {email} back"))
            .await
            .unwrap();
        if i == 0 {
            erased = Some((lead, conversation));
        }
    }
    let (lead, conversation) = erased.unwrap();
    // Around them: a company nobody belongs to any more (not theirs); a browser they
    // shared with another person, each with a run of their own lead; a rating of their
    // chat, with words of theirs, told to a webhook.
    let other: String =
        sqlx::query_scalar("SELECT id FROM leads WHERE site_id = 'demo' AND id <> $1 ORDER BY id LIMIT 1")
            .bind(&lead)
            .fetch_one(&pool)
            .await
            .unwrap();
    sqlx::query("INSERT INTO companies (id, site_id, name, domain, created_at) VALUES ('co-left', 'demo', 'Left Behind', 'left.test', 0)")
        .execute(&pool)
        .await
        .unwrap();
    for (run, owner) in [("run-theirs", &lead), ("run-other", &other)] {
        sqlx::query(
            "INSERT INTO activity_runs (id, site_id, dialogue_id, version, visitor_id, locale, known, started_at, marks, state, lead_id) \
             VALUES ($1, 'demo', 'sales-handoff', 1, 'shared-browser', 'en', 1, 0, 0, 'done', $2)",
        )
        .bind(run)
        .bind(owner)
        .execute(&pool)
        .await
        .unwrap();
    }
    let rated = json!({ "type": "conversation.rated", "data": { "id": conversation, "rating": 2, "comment": "call me on 0612" } });
    sqlx::query("INSERT INTO webhook_messages (id, site_id, type, payload, created_at) VALUES ('msg-rated', 'demo', 'conversation.rated', $1, 0)")
        .bind(rated.to_string())
        .execute(&pool)
        .await
        .unwrap();
    // A photo they sent in their chat, and the transcript mailed to them.
    sqlx::query("INSERT INTO files (id, conversation_id, name, mime, size, bytes, created_at) VALUES ('f-theirs', $1, 'me.png', 'image/png', 4, $2, 0)")
        .bind(&conversation)
        .bind(b"\x89PNG".to_vec())
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO mail_outbox (id, conversation_id, to_address, to_name, subject, body, created_at, next_at) \
         VALUES ('mail-theirs', $1, 'a_b@x.com', 'Al', 'Your conversation', 'You: hi', 0, 0)",
    )
    .bind(&conversation)
    .execute(&pool)
    .await
    .unwrap();
    let before = snapshot(&pool).await;

    let person = Person {
        email: Some(" A_B@x.com ".into()),
        visitor: None,
        conversation: None,
    };
    // What they may ask to see holds what an erasure deletes.
    let seen = erase_store::export(&pool, "demo", &person)
        .await
        .unwrap()
        .to_string();
    for expected in [
        "\"me.png\"",
        "\"Your conversation\"",
        "\"msg-rated\"",
        "call me on 0612",
        "run-theirs",
    ] {
        assert!(seen.contains(expected), "{expected} in the export: {seen}");
    }
    assert!(!seen.contains("run-other"), "another person's run: {seen}");
    let counts = erase_store::erase(&pool, "demo", &person).await.unwrap().counts;
    let after = snapshot(&pool).await;

    // Gone: their lead, its attributes, their chat and its message, the webhook messages
    // about them and their deliveries; their audit line on this site, blanked.
    let messages: Vec<String> = before
        .keys()
        .filter(|r| r.starts_with("webhook_messages:") && r.contains(&lead))
        .filter_map(|r| r.split(" id=\"").nth(1)?.split('"').next().map(str::to_owned))
        .collect();
    assert_eq!(messages.len(), 1, "one lead.created about them");
    let theirs = |row: &String| {
        row.contains(&format!("\"{lead}\""))
            || row.contains(&format!("\"{conversation}\""))
            || messages.iter().any(|m| row.contains(&format!("\"{m}\"")))
            || row.contains("\"msg-rated\"")
            || (row.starts_with("audit_log:")
                && row.contains("called a_b@x.com back")
                && row.contains("subject=\"demo\""))
    };
    let expected: BTreeSet<String> = before.keys().filter(|r| theirs(r)).cloned().collect();
    let removed = minus(&before, &after);
    assert_eq!(
        removed
            .iter()
            .filter(|r| !expected.contains(*r))
            .collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "rows that were not theirs changed or went (erased: {counts})"
    );
    assert_eq!(
        expected
            .iter()
            .filter(|r| !removed.contains(*r))
            .collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "rows of theirs that stayed"
    );
    let added = minus(&after, &before);
    assert_eq!(added.len(), 1, "only their audit line changed: {added:?}");
    assert!(
        added
            .iter()
            .all(|r| r.contains("called [erased] back") && r.contains("subject=\"demo\"")),
        "{added:?}"
    );
    assert_eq!(counts["leads"], 1);
    assert_eq!(counts["conversations"], 1);
    assert_eq!(counts["webhook_messages"], 2, "lead.created and the rating");
    pool.close().await;
}

/// `s` as a query string carries it.
fn encoded(s: &str) -> String {
    s.bytes()
        .map(|b| match b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            true => (b as char).to_string(),
            false => format!("%{b:02X}"),
        })
        .collect()
}

/// The forms a string may take in a file: as written, lower case, URL-encoded.
fn forms(s: &str) -> Vec<String> {
    let encoded = encoded(s);
    let mut all = vec![
        s.to_owned(),
        s.to_lowercase(),
        encoded.clone(),
        encoded.to_lowercase(),
    ];
    all.sort();
    all.dedup();
    all
}

fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn an_erased_person_leaves_no_byte_in_the_database_files_or_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("chinwag.db");
    let log = dir.path().join("server.log");
    let port = free_port();
    let repo = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_chinwag"))
        .args(["serve", "--demo"])
        .current_dir(repo)
        .env("CHINWAG_DATABASE", &db)
        .env("CHINWAG_LISTEN", format!("127.0.0.1:{port}"))
        .env("CHINWAG_SECRET", SECRET)
        .env("RUST_LOG", "debug,sqlx=info,hyper=info,h2=info,reqwest=info")
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::OpenOptions::new().append(true).open(&log).unwrap())
        .spawn()
        .unwrap();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let http = reqwest::Client::new();
    let mut up = false;
    for _ in 0..300 {
        if let Ok(r) = http.get(format!("http://{addr}/readyz")).send().await {
            up = r.status().is_success();
        }
        if up {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        up,
        "the server is ready: {}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    let origin = format!("http://{addr}");

    let (name, last, email, browser, words) = (
        "Zephyrine",
        "Quillborough",
        "Zephyrine.Q+chat@Quillborough-Mail.test",
        "browser-7f3e9c1d2b",
        "my parakeet Thistlewhump",
    );
    // A live chat where they give their name and email and say something.
    let url = format!("ws://{addr}/ws/visitor?site=demo");
    let mut ws = connect(&url, &[("origin", origin.as_str())]).await.unwrap();
    send(&mut ws, &hello(None, 0)).await;
    until(&mut ws, |f| {
        matches!(f, chinwag_protocol::ServerFrame::Welcome(_))
    })
    .await;
    let fields = [("first_name", name), ("last_name", last), ("email", email)];
    let mut frame = handoff("h1", "stream[1].answers[0].then[2]", &fields);
    if let chinwag_protocol::VisitorFrame::Handoff(h) = &mut frame {
        h.dialogue_id = "sales-handoff".into();
    }
    send(&mut ws, &frame).await;
    until(
        &mut ws,
        |f| matches!(f, chinwag_protocol::ServerFrame::Welcome(w) if w.conversation.is_some()),
    )
    .await;
    send(
        &mut ws,
        &message("m1", &format!("Hello, {name} {last} here, {words}")),
    )
    .await;
    until(&mut ws, |f| {
        matches!(f, chinwag_protocol::ServerFrame::Ack { .. })
    })
    .await;
    drop(ws);
    // Their run of the dialogue from their browser, with the same form.
    let now = chinwag_server::db::now_ms() - 10_000;
    let r = http
        .post(format!("http://{addr}/api/sites/demo/activity"))
        .header("origin", &origin)
        .body(handoff_report("run-zq", browser, &fields, now).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    // An admin looks them up by query string (which must not reach the log), then
    // erases them.
    let ana = agent_at(addr, "ana@demo.chinwag").await;
    let q = encoded(email);
    for path in [
        format!("/api/sites/demo/people?email={q}"),
        format!("/api/sites/demo/leads?q={q}"),
    ] {
        let r = ana.http.get(format!("http://{addr}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
    }
    let r = ana
        .http
        .post(format!("http://{addr}/api/sites/demo/erase"))
        .header("x-csrf-token", &ana.csrf)
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    let needles: Vec<String> = [name, last, email, browser, "Thistlewhump"]
        .iter()
        .flat_map(|s| forms(s))
        .collect();
    let files = ["chinwag.db", "chinwag.db-wal", "server.log"];
    let mut found = Vec::new();
    for file in files {
        let bytes = std::fs::read(dir.path().join(file)).unwrap_or_default();
        for needle in &needles {
            if holds(&bytes, needle) {
                found.push(format!("{file}: {needle}"));
            }
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    // After a stop, the files once more (the log as the process left it).
    for file in files {
        let bytes = std::fs::read(dir.path().join(file)).unwrap_or_default();
        for needle in &needles {
            if holds(&bytes, needle) {
                found.push(format!("{file} after the stop: {needle}"));
            }
        }
    }
    found.dedup();
    assert_eq!(found, Vec::<String>::new(), "bytes of the erased person remain");
    // The log did record the requests (by path): the test looked in the right place.
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("/api/sites/demo/people"),
        "requests are logged by path"
    );
}

#[tokio::test]
async fn an_address_written_in_capitals_beyond_ascii_is_found_on_every_engine() {
    let (_dir, path) = temp_db();
    let database = database(&path).await;
    seed(&database).await;
    let pool = chinwag_server::db::connect(&database).await.unwrap();
    // SQLite's LOWER and LIKE fold only ASCII letters: JOSÉ is not josé to them.
    sqlx::query(
        "INSERT INTO conversations (id, site_id, dialogue_id, page_url, attributes, status, last_seq, created_at) \
         VALUES ('c-jose', 'demo', 'sales-handoff', 'http://shop.test/', $1, 'closed', 0, 0)",
    )
    .bind(json!({ "email": "JOSÉ@ACME.TEST" }).to_string())
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO meetings (id, site_id, dialogue_id, card, host_id, start_at, end_at, busy_from, busy_until, status, \
         visitor_name, visitor_email, visitor_zone, locale, reason, created_at, updated_at) \
         VALUES ('m-jose', 'demo', 'pricing-faq', 'stream[0]', 'ana', 2000, 3800, 2000, 3800, 'booked', 'José', \
         'JOSÉ@ACME.TEST', 'UTC', 'en', '{}', 1000, 1000)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let person = Person {
        email: Some("josé@acme.test".into()),
        visitor: None,
        conversation: None,
    };
    let counts = erase_store::erase(&pool, "demo", &person).await.unwrap().counts;
    assert_eq!(counts["conversations"], 1, "{counts}");
    assert_eq!(counts["meetings"], 1, "{counts}");
    pool.close().await;
}
