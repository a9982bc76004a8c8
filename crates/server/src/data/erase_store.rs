//! Erasing a person, and exporting everything about them (docs/privacy.md). A person is
//! found by email (their lead, the chats that carry it, the meetings booked with it)
//! and by the browser ids their runs came from; everything that names them goes, in one
//! transaction: runs and marks, chats and their messages, meetings and their emails,
//! the lead (and a company only they belonged to), webhook messages about any of it;
//! the audit log keeps its lines with the email and names blanked. Daily counts stay
//! (they name nobody).

use crate::db::{quoted, Db};
use serde_json::{json, Value};
use sqlx::{AnyConnection, Row};

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
    pub leads: Vec<String>,
    pub visitors: Vec<String>,
    pub conversations: Vec<String>,
    pub meetings: Vec<String>,
    pub runs: Vec<String>,
    /// Their names and emails as written anywhere, to blank where they stay.
    pub words: Vec<String>,
}

async fn ids(conn: &mut AnyConnection, sql: &str, binds: &[&str]) -> sqlx::Result<Vec<String>> {
    let mut q = sqlx::query_scalar::<_, String>(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.fetch_all(conn).await
}

pub async fn find(conn: &mut AnyConnection, site: &str, person: &Person) -> sqlx::Result<Found> {
    let mut f = Found::default();
    let email = person
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .unwrap_or_default();
    if !email.is_empty() {
        f.leads = ids(
            conn,
            "SELECT id FROM leads WHERE site_id = $1 AND email = $2",
            &[site, &email],
        )
        .await?;
        f.words.push(email.clone());
        let pattern = format!("%{email}%");
        f.conversations = ids(
            conn,
            &format!(
                "SELECT id FROM conversations WHERE site_id = $1 AND (LOWER(attributes) LIKE $2 OR lead_id IN ({}))",
                quoted(&f.leads)
            ),
            &[site, &pattern],
        )
        .await?;
        f.meetings = ids(
            conn,
            "SELECT id FROM meetings WHERE site_id = $1 AND LOWER(visitor_email) = $2",
            &[site, &email],
        )
        .await?;
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
    f.visitors = ids(
        conn,
        &format!(
            "SELECT DISTINCT visitor_id FROM activity_runs WHERE lead_id IN ({})",
            quoted(&f.leads)
        ),
        &[],
    )
    .await?;
    f.visitors.extend(person.visitor.clone());
    f.runs = ids(
        conn,
        &format!(
            "SELECT id FROM activity_runs WHERE site_id = $1 AND (visitor_id IN ({}) OR lead_id IN ({}))",
            quoted(&f.visitors),
            quoted(&f.leads)
        ),
        &[site],
    )
    .await?;
    // Their names, wherever they gave one.
    for r in sqlx::query(&format!(
        "SELECT value FROM lead_attributes WHERE lead_id IN ({}) AND name IN ('first_name', 'last_name', 'name')",
        quoted(&f.leads)
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        f.words.push(r.get("value"));
    }
    for r in sqlx::query(&format!(
        "SELECT visitor_name FROM meetings WHERE id IN ({})",
        quoted(&f.meetings)
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        f.words.push(r.get("visitor_name"));
    }
    // Names and emails a chat's visitor typed count only when an admin names the person
    // by email: a visitor deleting their own chat could otherwise type anything (`%%`,
    // `in`, someone else's email) and have it blanked or deleted wherever it appears.
    let typed_by_visitor = match email.is_empty() {
        true => Vec::new(),
        false => f.conversations.clone(),
    };
    for r in sqlx::query(&format!(
        "SELECT attributes FROM conversations WHERE id IN ({})",
        quoted(&typed_by_visitor)
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        let attributes: Value = serde_json::from_str(r.get("attributes")).unwrap_or_default();
        for key in ["first_name", "last_name", "name", "email"] {
            if let Some(v) = attributes[key].as_str() {
                f.words.push(v.to_owned());
            }
        }
    }
    f.words.retain(|w| w.trim().chars().count() >= 2);
    f.words.sort();
    f.words.dedup();
    Ok(f)
}

/// Deletes everything `found` names; how many rows, by table.
pub async fn erase(db: &Db, site: &str, person: &Person) -> sqlx::Result<Value> {
    let mut tx = crate::db::write_tx(db).await?;
    let f = find(&mut tx, site, person).await?;
    let (conversations, meetings, runs, leads) = (
        quoted(&f.conversations),
        quoted(&f.meetings),
        quoted(&f.runs),
        quoted(&f.leads),
    );
    // Webhook messages about them: any that holds one of their ids, names or emails.
    let mut needles: Vec<String> = [&f.conversations, &f.meetings, &f.runs, &f.leads]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    needles.extend(f.words.iter().map(|w| w.to_lowercase()));
    let mut messages = Vec::new();
    for needle in &needles {
        let found = ids(
            &mut tx,
            "SELECT id FROM webhook_messages WHERE site_id = $1 AND LOWER(payload) LIKE $2",
            &[site, &format!("%{needle}%")],
        )
        .await?;
        messages.extend(found);
    }
    let messages = quoted(&messages);
    let statements = [
        ("events", format!("DELETE FROM events WHERE conversation_id IN ({conversations})")),
        ("conversations", format!("DELETE FROM conversations WHERE id IN ({conversations})")),
        ("meeting_emails", format!("DELETE FROM meeting_emails WHERE meeting_id IN ({meetings})")),
        ("meetings", format!("DELETE FROM meetings WHERE id IN ({meetings})")),
        ("activity_marks", format!("DELETE FROM activity_marks WHERE run_id IN ({runs})")),
        ("activity_runs", format!("DELETE FROM activity_runs WHERE id IN ({runs})")),
        ("lead_attributes", format!("DELETE FROM lead_attributes WHERE lead_id IN ({leads})")),
        ("leads", format!("DELETE FROM leads WHERE id IN ({leads})")),
        // A company only they belonged to (a domain of their own, say) goes with them.
        (
            "companies",
            format!(
                "DELETE FROM companies WHERE site_id = {} AND NOT EXISTS (SELECT 1 FROM leads WHERE leads.company_id = companies.id)",
                quoted(&[site.to_owned()])
            ),
        ),
        ("webhook_deliveries", format!("DELETE FROM webhook_deliveries WHERE message_id IN ({messages})")),
        ("webhook_messages", format!("DELETE FROM webhook_messages WHERE id IN ({messages})")),
    ];
    let mut counts = serde_json::Map::new();
    for (table, sql) in statements {
        let n = sqlx::query(&sql).execute(&mut *tx).await?.rows_affected();
        counts.insert(table.into(), json!(n));
    }
    // The audit log keeps what happened, not who it was about.
    for word in &f.words {
        sqlx::query(
            "UPDATE audit_log SET detail = REPLACE(detail, $1, '[erased]'), subject = REPLACE(subject, $1, '[erased]') \
             WHERE detail LIKE '%' || $1 || '%' OR subject LIKE '%' || $1 || '%'",
        )
        .bind(word)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Value::Object(counts))
}

/// Everything stored about a person, as JSON (their right of access).
pub async fn export(db: &Db, site: &str, person: &Person) -> sqlx::Result<Value> {
    let mut conn = db.acquire().await?;
    let f = find(&mut conn, site, person).await?;
    let rows = |sql: String| {
        let db = db.clone();
        async move {
            let rows = sqlx::query(&sql).fetch_all(&db).await?;
            Ok::<_, sqlx::Error>(rows.iter().map(row_json).collect::<Vec<Value>>())
        }
    };
    Ok(json!({
        "leads": rows(format!("SELECT * FROM leads WHERE id IN ({})", quoted(&f.leads))).await?,
        "attributes": rows(format!("SELECT * FROM lead_attributes WHERE lead_id IN ({})", quoted(&f.leads))).await?,
        "conversations": rows(format!("SELECT * FROM conversations WHERE id IN ({})", quoted(&f.conversations))).await?,
        "messages": rows(format!("SELECT conversation_id, seq, at, body FROM events WHERE conversation_id IN ({}) ORDER BY conversation_id, seq", quoted(&f.conversations))).await?,
        "meetings": rows(format!("SELECT * FROM meetings WHERE id IN ({})", quoted(&f.meetings))).await?,
        "runs": rows(format!("SELECT * FROM activity_runs WHERE id IN ({})", quoted(&f.runs))).await?,
        "marks": rows(format!("SELECT run_id, seq, kind, card, at FROM activity_marks WHERE run_id IN ({}) ORDER BY run_id, seq", quoted(&f.runs))).await?,
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
