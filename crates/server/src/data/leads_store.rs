//! Leads' queries: saving a capture (the lead, its company, its attributes) in one
//! transaction, linking runs, conversations and meetings to it, the list, and one
//! lead's story. Portable SQL.

use super::leads::Capture;
use crate::db::{new_id, Db};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

/// Saves what a capture says about a person; their lead's id, and whether it is new.
/// `verified` names the attributes a signed identity vouched for; an unverified value
/// never replaces a verified one.
pub async fn save(
    db: &Db,
    site: &str,
    capture: &Capture,
    verified: &[String],
    source: &str,
    at: i64,
    owned: Option<(Owned, &str)>,
) -> sqlx::Result<(String, bool)> {
    let mut tx = crate::db::write_tx(db).await?;
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM leads WHERE site_id = $1 AND email = $2")
        .bind(site)
        .bind(&capture.email)
        .fetch_optional(&mut *tx)
        .await?;
    let (id, created) = match found {
        Some(id) => (id, false),
        None => (new_id(), true),
    };
    let company = match &capture.company {
        Some((name, domain)) => {
            sqlx::query(
                "INSERT INTO companies (id, site_id, name, domain, created_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (site_id, name) DO NOTHING",
            )
            .bind(new_id())
            .bind(site)
            .bind(name)
            .bind(domain)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query_scalar::<_, String>("SELECT id FROM companies WHERE site_id = $1 AND name = $2")
                .bind(site)
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };
    // A company the person named replaces the one they had; one read from their email's
    // domain only fills a gap.
    let upsert = match capture.attributes.contains_key("company") {
        true => concat!(
            "INSERT INTO leads (id, site_id, email, company_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ",
            "ON CONFLICT (site_id, email) DO UPDATE SET updated_at = excluded.updated_at, ",
            "company_id = COALESCE(excluded.company_id, leads.company_id)"
        ),
        false => concat!(
            "INSERT INTO leads (id, site_id, email, company_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ",
            "ON CONFLICT (site_id, email) DO UPDATE SET updated_at = excluded.updated_at, ",
            "company_id = COALESCE(leads.company_id, excluded.company_id)"
        ),
    };
    sqlx::query(upsert)
        .bind(&id)
        .bind(site)
        .bind(&capture.email)
        .bind(&company)
        .bind(at)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    let mut changed = 0;
    for (name, value) in &capture.attributes {
        changed += sqlx::query(
            "INSERT INTO lead_attributes (lead_id, name, value, source, verified, captured_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (lead_id, name) DO UPDATE SET value = excluded.value, source = excluded.source, \
             verified = excluded.verified, captured_at = excluded.captured_at \
             WHERE (lead_attributes.verified = 0 OR excluded.verified = 1) \
             AND (lead_attributes.value <> excluded.value OR lead_attributes.verified <> excluded.verified)",
        )
        .bind(&id)
        .bind(name)
        .bind(value)
        .bind(source)
        .bind(i64::from(verified.contains(name)))
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    // The webhook's message in the same transaction (docs/webhooks.md).
    if created || changed > 0 {
        use super::webhooks::events::{Event, Lead};
        let lead = Lead {
            id: id.clone(),
            email: capture.email.clone(),
            company: capture.company.as_ref().map(|(name, _)| name.clone()),
            attributes: capture.attributes.clone(),
            source: source.to_owned(),
        };
        let event = if created {
            Event::LeadCreated(lead)
        } else {
            Event::LeadUpdated(lead)
        };
        super::webhooks::store::enqueue(&mut tx, site, &event, at).await?;
    }
    // What the capture came from joins the lead in the same transaction: a run, chat or
    // meeting is never left outside it (an erasure by email would miss it).
    if let Some((owned, of)) = owned {
        link(&mut tx, owned, of, &id).await?;
    }
    tx.commit().await?;
    Ok((id, created))
}

/// Makes whoever `attributes` name (by email) a lead of the site, or updates them, and
/// gives them `owned`. What already happened (a conversation, a booking, a stored
/// report) stands if this fails: it is logged.
pub async fn record(
    db: &Db,
    site: &str,
    attributes: &BTreeMap<String, String>,
    verified: &[String],
    source: &str,
    owned: (Owned, &str),
) {
    let Some(capture) = super::leads::capture(attributes) else {
        return;
    };
    let at = crate::db::now_ms() as i64;
    let saved = async {
        if !may_merge(db, site, &capture).await? {
            tracing::info!(
                site,
                "a known email given without consent to merge: not merged into its lead"
            );
            return Ok(());
        }
        save(db, site, &capture, verified, source, at, Some(owned)).await?;
        Ok::<(), sqlx::Error>(())
    };
    if let Err(e) = saved.await {
        tracing::error!(site, "saving a lead failed: {e}");
    }
}

/// Whether a visitor's capture may join its lead: always, unless the site asks for
/// consent before merging visits, a lead with this email exists already, and the
/// capture does not carry `merge_consent: yes` (docs/leads.md). A first capture makes a
/// new lead: there is nothing to merge it with.
async fn may_merge(db: &Db, site: &str, capture: &Capture) -> sqlx::Result<bool> {
    if super::leads::consented(&capture.attributes) {
        return Ok(true);
    }
    let held_back: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM sites s JOIN leads l ON l.site_id = s.id WHERE s.id = $1 AND s.merge_consent = 1 AND l.email = $2",
    )
    .bind(site)
    .bind(&capture.email)
    .fetch_optional(db)
    .await?;
    Ok(held_back.is_none())
}

/// What can belong to a lead.
#[derive(Clone, Copy)]
pub enum Owned {
    Run,
    Conversation,
    Meeting,
}

async fn link(conn: &mut sqlx::AnyConnection, owned: Owned, id: &str, lead: &str) -> sqlx::Result<()> {
    let sql = match owned {
        Owned::Run => "UPDATE activity_runs SET lead_id = $1 WHERE id = $2",
        Owned::Conversation => "UPDATE conversations SET lead_id = $1 WHERE id = $2",
        Owned::Meeting => "UPDATE meetings SET lead_id = $1 WHERE id = $2",
    };
    sqlx::query(sql).bind(lead).bind(id).execute(conn).await?;
    Ok(())
}

/// A lead in the list.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Listed {
    pub id: String,
    pub email: String,
    pub name: String,
    pub company: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A site's leads, latest first; `q` finds a part of the email, the company or any
/// attribute's value.
pub async fn list(db: &Db, site: &str, q: &str, limit: i64) -> sqlx::Result<Vec<Listed>> {
    let like = format!("%{}%", q.trim().to_lowercase());
    sqlx::query_as(concat!(
        "SELECT ",
        listed!(),
        " WHERE l.site_id = $1 AND ($2 = '%%' OR l.email LIKE $3 OR LOWER(c.name) LIKE $4 \
           OR EXISTS (SELECT 1 FROM lead_attributes a WHERE a.lead_id = l.id AND LOWER(a.value) LIKE $5)) \
         ORDER BY l.updated_at DESC LIMIT $6"
    ))
    .bind(site)
    .bind(&like)
    .bind(&like)
    .bind(&like)
    .bind(&like)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// What a listed lead is read from: `concat!("SELECT ", listed!(), " WHERE …")` (a
/// macro: each query is one constant).
macro_rules! listed {
    () => {
        "l.id, l.email, l.created_at, l.updated_at, c.name AS company, \
         (SELECT value FROM lead_attributes a WHERE a.lead_id = l.id AND a.name = 'first_name') AS first_name, \
         (SELECT value FROM lead_attributes a WHERE a.lead_id = l.id AND a.name = 'last_name') AS last_name \
         FROM leads l LEFT JOIN companies c ON c.id = l.company_id"
    };
}
pub(crate) use listed;

/// By hand: the name is the first and last names joined.
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Listed {
    fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        let first: Option<String> = r.try_get("first_name")?;
        let last: Option<String> = r.try_get("last_name")?;
        Ok(Listed {
            id: r.try_get("id")?,
            email: r.try_get("email")?,
            name: [first, last].into_iter().flatten().collect::<Vec<_>>().join(" "),
            company: r.try_get("company")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        })
    }
}

/// One attribute as the lead's story shows it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Attribute {
    pub name: String,
    pub value: String,
    pub source: String,
    pub verified: bool,
    pub captured_at: i64,
}

pub async fn attributes(db: &Db, lead: &str) -> sqlx::Result<Vec<Attribute>> {
    sqlx::query_as(
        "SELECT name, value, source, verified, captured_at FROM lead_attributes WHERE lead_id = $1 ORDER BY name",
    )
    .bind(lead)
    .fetch_all(db)
    .await
}

/// By hand: `verified` is an integer flag.
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Attribute {
    fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        Ok(Attribute {
            name: r.try_get("name")?,
            value: r.try_get("value")?,
            source: r.try_get("source")?,
            verified: r.try_get::<i64, _>("verified")? != 0,
            captured_at: r.try_get("captured_at")?,
        })
    }
}

/// The runs, conversations and meetings of a lead, oldest first, each with its time
/// (`at`, ms) and `kind` (`dialogue`, `live_chat`, `meeting`).
async fn activity(db: &Db, lead: &str) -> sqlx::Result<Vec<serde_json::Value>> {
    let mut out = Vec::new();
    for r in
        sqlx::query("SELECT dialogue_id, version, started_at, state FROM activity_runs WHERE lead_id = $1")
            .bind(lead)
            .fetch_all(db)
            .await?
    {
        let state: serde_json::Value = serde_json::from_str(r.get("state")).unwrap_or_default();
        out.push((
            r.get("started_at"),
            "dialogue".to_owned(),
            serde_json::json!({ "dialogue": r.get::<String, _>("dialogue_id"), "version": r.get::<i64, _>("version"), "seen": state["seen"] }),
        ));
    }
    for r in sqlx::query(
        "SELECT id, dialogue_id, created_at, status, agent_id FROM conversations WHERE lead_id = $1",
    )
    .bind(lead)
    .fetch_all(db)
    .await?
    {
        out.push((
            r.get("created_at"),
            "live_chat".to_owned(),
            serde_json::json!({ "conversation": r.get::<String, _>("id"), "dialogue": r.get::<String, _>("dialogue_id"),
                "status": r.get::<String, _>("status"), "agent": r.get::<Option<String>, _>("agent_id") }),
        ));
    }
    for r in sqlx::query(
        "SELECT id, dialogue_id, start_at, status, host_id, created_at FROM meetings WHERE lead_id = $1",
    )
    .bind(lead)
    .fetch_all(db)
    .await?
    {
        out.push((
            r.get::<i64, _>("created_at") * 1000,
            "meeting".to_owned(),
            serde_json::json!({ "meeting": r.get::<String, _>("id"), "dialogue": r.get::<String, _>("dialogue_id"),
                "start_at": r.get::<i64, _>("start_at"), "status": r.get::<String, _>("status"), "host": r.get::<String, _>("host_id") }),
        ));
    }
    out.sort_by_key(|(at, _, _)| *at);
    Ok(out
        .into_iter()
        .map(|(at, kind, mut detail)| {
            detail["at"] = serde_json::json!(at);
            detail["kind"] = serde_json::json!(kind);
            detail
        })
        .collect())
}

/// A lead's story: who, their attributes, and what they did.
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(rename = "Lead")]
pub struct Story {
    pub id: String,
    pub email: String,
    pub company: Option<String>,
    pub created_at: i64,
    pub attributes: Vec<Attribute>,
    /// Runs, live chats and meetings, oldest first (`kind`: `dialogue`, `live_chat`, `meeting`).
    pub activity: Vec<serde_json::Value>,
}

/// A lead of the site, with its story; `None` when the site has no such lead.
pub async fn story(db: &Db, site: &str, id: &str) -> sqlx::Result<Option<Story>> {
    let row = sqlx::query(
        "SELECT l.email, c.name AS company, l.created_at FROM leads l LEFT JOIN companies c ON c.id = l.company_id \
         WHERE l.site_id = $1 AND l.id = $2",
    )
    .bind(site)
    .bind(id)
    .fetch_optional(db)
    .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(Story {
        id: id.to_owned(),
        email: r.get("email"),
        company: r.get("company"),
        created_at: r.get("created_at"),
        attributes: attributes(db, id).await?,
        activity: activity(db, id).await?,
    }))
}
