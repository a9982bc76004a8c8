//! Erasing a person, and exporting everything about them (docs/privacy.md). A person is
//! found exactly, never by a part of a text: by email (their lead, the chats whose
//! `email` is that address, the meetings booked with it), by the browser ids their
//! runs came from, or by one conversation's id. Everything that is theirs goes, in one
//! transaction: runs and marks, chats and their messages, meetings and their emails,
//! the lead (and a company only they belonged to), and the webhook messages about any of
//! it (by the ids and the email in the fields that hold them). The audit log of the site
//! keeps its lines with their email blanked where it stands as a whole address. Names
//! are never used to find anything: two people may share one. Daily counts stay (they
//! name nobody). Afterwards the bytes are gone from the files too
//! ([`crate::db::forget_deleted`]).

use crate::db::{bind_ids, in_list, Db};

/// How many ids one statement binds (well under SQLite's and PostgreSQL's limits).
const CHUNK: usize = 500;
use serde_json::{json, Value};
use sqlx::{AnyConnection, Row};
use std::collections::BTreeSet;

/// Whom to erase or export.
pub struct Person {
    pub email: Option<String>,
    pub visitor: Option<String>,
    /// One conversation (a visitor deleting theirs from the widget).
    pub conversation: Option<String>,
}

/// The rows that are theirs.
#[derive(Debug, Default)]
pub struct Found {
    /// Their email, trimmed and in lower case (empty when they were not named by one).
    pub email: String,
    pub leads: Vec<String>,
    /// The browser ids their runs came from; with [`Found::browser`], the one they were
    /// named by.
    pub visitors: Vec<String>,
    /// The browser they were named by (every run from it is theirs).
    pub browser: Option<String>,
    pub conversations: Vec<String>,
    pub meetings: Vec<String>,
    pub runs: Vec<String>,
}

/// The site, then every id of `lists` in order: the binds of a query with `in_list`s.
fn with<'a>(site: &'a str, lists: &[&'a Vec<String>]) -> Vec<&'a str> {
    std::iter::once(site)
        .chain(lists.iter().flat_map(|l| l.iter().map(String::as_str)))
        .collect()
}

async fn ids(conn: &mut AnyConnection, sql: &str, binds: &[&str]) -> sqlx::Result<Vec<String>> {
    let mut q = sqlx::query_scalar::<_, String>(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.fetch_all(conn).await
}

/// A `LIKE` pattern that finds `text` anywhere, with `%`, `_` and `\` taken as
/// themselves (used with `ESCAPE '\'`): only to narrow a search that is then checked
/// exactly.
pub fn containing(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// An email as leads store it: trimmed, lower case.
fn normal(email: &str) -> String {
    email.trim().to_lowercase()
}

/// What of an email a `LOWER(…) LIKE` can find on every engine: its longest run of
/// ASCII characters (SQLite folds only ASCII letters, so `JOSÉ` never matches `josé`),
/// to narrow a search that is then decided exactly, in Rust.
fn narrowing(email: &str) -> String {
    email
        .split(|c: char| !c.is_ascii())
        .max_by_key(|run| run.len())
        .unwrap_or_default()
        .to_owned()
}

pub async fn find(conn: &mut AnyConnection, site: &str, person: &Person) -> sqlx::Result<Found> {
    let mut f = Found {
        email: person.email.as_deref().map(normal).unwrap_or_default(),
        ..Found::default()
    };
    if !f.email.is_empty() {
        f.leads = ids(
            conn,
            "SELECT id FROM leads WHERE site_id = $1 AND email = $2",
            &[site, &f.email],
        )
        .await?;
        let sql = [
            "SELECT id FROM conversations WHERE site_id = $1 AND lead_id IN ",
            &in_list(2, f.leads.len()),
        ]
        .concat();
        f.conversations = ids(conn, &sql, &with(site, &[&f.leads])).await?;
        // Chats whose visitor gave this email: narrowed by text, decided by the field.
        let narrowed = sqlx::query(
            "SELECT id, attributes FROM conversations WHERE site_id = $1 AND LOWER(attributes) LIKE $2 ESCAPE '\\'",
        )
        .bind(site)
        .bind(containing(&narrowing(&f.email)))
        .fetch_all(&mut *conn)
        .await?;
        for r in narrowed {
            let attributes: Value = serde_json::from_str(r.get("attributes")).unwrap_or_default();
            if attributes["email"].as_str().map(normal).as_deref() == Some(f.email.as_str()) {
                f.conversations.push(r.get("id"));
            }
        }
        // Meetings booked with the address (in any case, on any engine) or by their lead.
        let sql = [
            "SELECT id, visitor_email, lead_id FROM meetings WHERE site_id = $1 AND (LOWER(visitor_email) LIKE $2 ESCAPE '\\' OR lead_id IN ",
            &in_list(3, f.leads.len()),
            ")",
        ]
        .concat();
        let mut q = sqlx::query(&sql)
            .bind(site)
            .bind(containing(&narrowing(&f.email)));
        for lead in &f.leads {
            q = q.bind(lead);
        }
        for r in q.fetch_all(&mut *conn).await? {
            let lead: Option<String> = r.get("lead_id");
            let email: String = r.get("visitor_email");
            if normal(&email) == f.email || lead.is_some_and(|l| f.leads.contains(&l)) {
                f.meetings.push(r.get("id"));
            }
        }
    }
    if let Some(id) = &person.conversation {
        f.conversations.extend(
            ids(
                conn,
                "SELECT id FROM conversations WHERE site_id = $1 AND id = $2",
                &[site, id],
            )
            .await?,
        );
    }
    let sql = [
        "SELECT DISTINCT visitor_id FROM activity_runs WHERE site_id = $1 AND lead_id IN ",
        &in_list(2, f.leads.len()),
    ]
    .concat();
    f.visitors = ids(conn, &sql, &with(site, &[&f.leads])).await?;
    f.browser = person.visitor.clone();
    // Their runs: by their leads; from the browser they were named by, all; from the
    // other browsers their leads used, only runs of nobody known (a shared computer's
    // runs of another person, with another lead, are not theirs).
    let browser: Vec<String> = f.browser.iter().cloned().collect();
    let sql = [
        "SELECT id FROM activity_runs WHERE site_id = $1 AND (lead_id IN ",
        &in_list(2, f.leads.len()),
        " OR visitor_id IN ",
        &in_list(2 + f.leads.len(), browser.len()),
        " OR (lead_id IS NULL AND visitor_id IN ",
        &in_list(2 + f.leads.len() + browser.len(), f.visitors.len()),
        "))",
    ]
    .concat();
    f.runs = ids(conn, &sql, &with(site, &[&f.leads, &browser, &f.visitors])).await?;
    f.visitors.extend(browser);
    for list in [&mut f.conversations, &mut f.visitors, &mut f.runs] {
        list.sort();
        list.dedup();
    }
    Ok(f)
}

/// Whether a webhook message is about them: by the field that holds an id or an email
/// in each message type (crates/server/src/data/webhooks/events.rs), compared whole.
fn about(payload: &Value, f: &Found) -> bool {
    let data = &payload["data"];
    let is = |v: &Value, set: &[String]| v.as_str().is_some_and(|s| set.iter().any(|x| x == s));
    let email =
        |v: &Value| !f.email.is_empty() && v.as_str().map(normal).as_deref() == Some(f.email.as_str());
    match payload["type"].as_str().unwrap_or_default() {
        "lead.created" | "lead.updated" => is(&data["id"], &f.leads) || email(&data["email"]),
        "conversation.started" => is(&data["id"], &f.conversations) || email(&data["attributes"]["email"]),
        "conversation.assigned"
        | "conversation.closed"
        | "conversation.snoozed"
        | "conversation.reopened"
        | "conversation.labelled"
        | "conversation.rated" => is(&data["id"], &f.conversations),
        "message.created" => is(&data["conversation"], &f.conversations),
        "meeting.booked" | "meeting.rescheduled" => {
            is(&data["id"], &f.meetings) || email(&data["visitor"]["email"])
        }
        "meeting.cancelled" => is(&data["id"], &f.meetings),
        "dialogue.completed" | "goal.reached" => {
            is(&data["run"], &f.runs) || is(&data["visitor"], f.browser.as_slice())
        }
        _ => false,
    }
}

/// `text` with every whole occurrence of `email` (not a part of a longer address),
/// in any case, replaced by `[erased]`; `None` when there is none.
pub fn blank_email(text: &str, email: &str) -> Option<String> {
    let part = |c: char| c.is_alphanumeric() || "._%+-@".contains(c);
    let lower = text.to_lowercase();
    // Positions in `lower` are positions in `text` only where no character changes its
    // length when lower-cased (a few outside ASCII do).
    let same = text
        .chars()
        .all(|c| c.to_lowercase().map(char::len_utf8).sum::<usize>() == c.len_utf8());
    if email.is_empty() || !same {
        return None;
    }
    let (mut out, mut from, mut hit) = (String::new(), 0, false);
    for (at, _) in lower.match_indices(email) {
        let before = lower[..at].chars().next_back();
        let after = lower[at + email.len()..].chars().next();
        if at < from || before.is_some_and(part) || after.is_some_and(part) {
            continue;
        }
        out.push_str(&text[from..at]);
        out.push_str("[erased]");
        from = at + email.len();
        hit = true;
    }
    out.push_str(&text[from..]);
    hit.then_some(out)
}

/// The webhook messages about them (`id`, `type`, `payload`): narrowed by the ids and
/// the email as text, then decided by the fields that hold them.
async fn webhook_messages(conn: &mut AnyConnection, site: &str, f: &Found) -> sqlx::Result<Vec<Value>> {
    let needles: BTreeSet<&String> = [&f.conversations, &f.meetings, &f.runs, &f.leads, &f.visitors]
        .into_iter()
        .flatten()
        .chain((!f.email.is_empty()).then_some(&f.email))
        .collect();
    let mut found = std::collections::BTreeMap::new();
    for needle in needles {
        let narrowed = sqlx::query(
            "SELECT id, type, payload FROM webhook_messages WHERE site_id = $1 AND LOWER(payload) LIKE $2 ESCAPE '\\'",
        )
        .bind(site)
        .bind(containing(&narrowing(&needle.to_lowercase())))
        .fetch_all(&mut *conn)
        .await?;
        for r in narrowed {
            let payload: Value = serde_json::from_str(r.get("payload")).unwrap_or_default();
            if about(&payload, f) {
                let id: String = r.get("id");
                found.insert(
                    id.clone(),
                    json!({ "id": id, "type": r.get::<String, _>("type"), "payload": payload }),
                );
            }
        }
    }
    Ok(found.into_values().collect())
}

/// What an erasure took.
pub struct Erased {
    /// How many rows, by table.
    pub counts: Value,
    /// The conversations that went (inboxes that show one are told).
    pub conversations: Vec<String>,
}

/// Deletes everything that is theirs.
pub async fn erase(db: &Db, site: &str, person: &Person) -> sqlx::Result<Erased> {
    let mut tx = crate::db::write_tx(db).await?;
    let f = find(&mut tx, site, person).await?;
    let messages: Vec<String> = webhook_messages(&mut tx, site, &f)
        .await?
        .iter()
        .filter_map(|m| m["id"].as_str().map(str::to_owned))
        .collect();

    let sql = [
        "SELECT DISTINCT company_id FROM leads WHERE company_id IS NOT NULL AND id IN ",
        &in_list(1, f.leads.len()),
    ]
    .concat();
    let their_companies: Vec<String> = bind_ids(sqlx::query(&sql), &f.leads)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    // Each statement deletes the rows whose column is in a list of ids, bound (never
    // written into the SQL), a chunk at a time.
    let statements: [(&str, &str, &[String]); 14] = [
        (
            "events",
            "DELETE FROM events WHERE conversation_id IN ",
            &f.conversations,
        ),
        (
            "search_lines",
            "DELETE FROM search_lines WHERE conversation_id IN ",
            &f.conversations,
        ),
        (
            "mail_outbox",
            "DELETE FROM mail_outbox WHERE conversation_id IN ",
            &f.conversations,
        ),
        (
            "files",
            "DELETE FROM files WHERE conversation_id IN ",
            &f.conversations,
        ),
        (
            "conversation_labels",
            "DELETE FROM conversation_labels WHERE conversation_id IN ",
            &f.conversations,
        ),
        (
            "conversations",
            "DELETE FROM conversations WHERE id IN ",
            &f.conversations,
        ),
        (
            "meeting_emails",
            "DELETE FROM meeting_emails WHERE meeting_id IN ",
            &f.meetings,
        ),
        ("meetings", "DELETE FROM meetings WHERE id IN ", &f.meetings),
        (
            "activity_marks",
            "DELETE FROM activity_marks WHERE run_id IN ",
            &f.runs,
        ),
        ("activity_runs", "DELETE FROM activity_runs WHERE id IN ", &f.runs),
        (
            "lead_attributes",
            "DELETE FROM lead_attributes WHERE lead_id IN ",
            &f.leads,
        ),
        ("leads", "DELETE FROM leads WHERE id IN ", &f.leads),
        (
            "webhook_deliveries",
            "DELETE FROM webhook_deliveries WHERE message_id IN ",
            &messages,
        ),
        (
            "webhook_messages",
            "DELETE FROM webhook_messages WHERE id IN ",
            &messages,
        ),
    ];
    let mut counts = serde_json::Map::new();
    for (table, head, ids) in statements {
        let mut n = 0;
        for chunk in ids.chunks(CHUNK) {
            let sql = [head, &in_list(1, chunk.len())].concat();
            n += bind_ids(sqlx::query(&sql), chunk)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        counts.insert(table.into(), json!(n));
    }
    // A company only they belonged to (a domain of their own, say) goes with them; no
    // other company does.
    let mut companies = 0;
    for company in &their_companies {
        companies += sqlx::query(
            "DELETE FROM companies WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM leads WHERE leads.company_id = companies.id)",
        )
        .bind(company)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    counts.insert("companies".into(), json!(companies));
    // The audit log keeps what happened on this site, not whom it was about.
    if !f.email.is_empty() {
        let lines = sqlx::query(
            "SELECT id, subject, detail FROM audit_log WHERE subject = $1 AND LOWER(detail) LIKE $2 ESCAPE '\\'",
        )
        .bind(site)
        .bind(containing(&narrowing(&f.email)))
        .fetch_all(&mut *tx)
        .await?;
        for r in lines {
            if let Some(detail) = blank_email(r.get("detail"), &f.email) {
                sqlx::query("UPDATE audit_log SET detail = $1 WHERE id = $2")
                    .bind(detail)
                    .bind(r.get::<String, _>("id"))
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    tx.commit().await?;
    crate::db::forget_deleted(db).await;
    Ok(Erased {
        counts: Value::Object(counts),
        conversations: f.conversations,
    })
}

/// Everything stored about a person, as JSON (their right of access).
pub async fn export(db: &Db, site: &str, person: &Person) -> sqlx::Result<Value> {
    let mut conn = db.acquire().await?;
    let f = find(&mut conn, site, person).await?;
    // The rows whose column is in a list of ids (bound, a chunk at a time), in order.
    let rows = |head: &'static str, ids: Vec<String>, tail: &'static str| {
        let db = db.clone();
        async move {
            let mut out = Vec::new();
            for chunk in ids.chunks(CHUNK) {
                let sql = [head, &in_list(1, chunk.len()), tail].concat();
                let rows = bind_ids(sqlx::query(&sql), chunk).fetch_all(&db).await?;
                out.extend(rows.iter().map(row_json));
            }
            Ok::<_, sqlx::Error>(out)
        }
    };
    Ok(json!({
        "leads": rows("SELECT * FROM leads WHERE id IN ", f.leads.clone(), "").await?,
        "attributes": rows("SELECT * FROM lead_attributes WHERE lead_id IN ", f.leads.clone(), "").await?,
        "conversations": rows("SELECT * FROM conversations WHERE id IN ", f.conversations.clone(), "").await?,
        "messages": rows("SELECT conversation_id, seq, at, body FROM events WHERE conversation_id IN ", f.conversations.clone(), " ORDER BY conversation_id, seq").await?,
        "meetings": rows("SELECT * FROM meetings WHERE id IN ", f.meetings.clone(), "").await?,
        "runs": rows("SELECT * FROM activity_runs WHERE id IN ", f.runs.clone(), "").await?,
        "marks": rows("SELECT run_id, seq, kind, card, at FROM activity_marks WHERE run_id IN ", f.runs.clone(), " ORDER BY run_id, seq").await?,
        // What an erasure also deletes: the files sent in their chats (described; the
        // files themselves are in the chat, `GET /api/files/…`), the mail sent to them
        // about a chat, the labels on their chats, the company of their leads, and the
        // webhook messages about them.
        "files": rows("SELECT id, conversation_id, name, mime, size, created_at FROM files WHERE conversation_id IN ", f.conversations.clone(), " ORDER BY created_at").await?,
        "mail": rows("SELECT conversation_id, to_address, to_name, subject, body, created_at, sent_at FROM mail_outbox WHERE conversation_id IN ", f.conversations.clone(), " ORDER BY created_at").await?,
        "labels": rows("SELECT cl.conversation_id, l.name FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id WHERE cl.conversation_id IN ", f.conversations.clone(), " ORDER BY cl.conversation_id, l.name").await?,
        "companies": rows("SELECT c.id, c.name, c.domain FROM companies c WHERE c.id IN (SELECT company_id FROM leads WHERE id IN ", f.leads.clone(), ")").await?,
        "webhook_messages": webhook_messages(&mut conn, site, &f).await?,
    }))
}

/// A row as JSON: every column as text, number or null.
fn row_json(r: &sqlx::any::AnyRow) -> Value {
    use sqlx::{Column, ValueRef};
    let mut out = serde_json::Map::new();
    for (i, c) in r.columns().iter().enumerate() {
        let raw = r.try_get_raw(i);
        let v = match raw {
            Ok(v) if v.is_null() => Value::Null,
            _ => r
                .try_get::<i64, _>(i)
                .map(Value::from)
                .or_else(|_| r.try_get::<String, _>(i).map(Value::from))
                .unwrap_or(Value::Null),
        };
        out.insert(c.name().to_owned(), v);
    }
    Value::Object(out)
}
