//! Every meetings query, in portable SQL. Booking is one statement guarded by the
//! database (the overlap triggers of migration 0004); the round-robin position moves
//! in the same transaction.

use crate::data::webhooks::events::{self, Event, Gone};
use crate::db::Db;
use chinwag_scheduling::{Availability, Booked, Interval};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

pub async fn availability(db: &Db, agent: &str) -> sqlx::Result<Option<Availability>> {
    let body: Option<String> = sqlx::query_scalar("SELECT body FROM agent_availability WHERE agent_id = $1")
        .bind(agent)
        .fetch_optional(db)
        .await?;
    Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
}

pub async fn put_availability(db: &Db, agent: &str, availability: &Availability) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO agent_availability (agent_id, body) VALUES ($1, $2) ON CONFLICT (agent_id) DO UPDATE SET body = excluded.body")
        .bind(agent)
        .bind(serde_json::to_string(availability).unwrap_or_default())
        .execute(db)
        .await?;
    Ok(())
}

/// The language of the agent's own meeting emails (migration 0020); English when unset
/// or the agent is gone.
pub async fn agent_locale(db: &Db, agent: &str) -> sqlx::Result<String> {
    let locale: Option<String> = sqlx::query_scalar("SELECT locale FROM agents WHERE id = $1")
        .bind(agent)
        .fetch_optional(db)
        .await?;
    Ok(locale.unwrap_or_else(|| "en".into()))
}

pub async fn put_agent_locale(db: &Db, agent: &str, locale: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE agents SET locale = $1 WHERE id = $2")
        .bind(locale)
        .bind(agent)
        .execute(db)
        .await?;
    Ok(())
}

/// How a host's calendar is read: CalDAV (busy times and a copy of each meeting) or an
/// iCalendar feed (busy times only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, strum::EnumString, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum CalendarKind {
    CalDav,
    Ics,
}
crate::db::text_column!(CalendarKind);

/// A calendar as stored: the password still sealed.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoredCalendar {
    #[sqlx(try_from = "String")]
    pub kind: CalendarKind,
    pub url: String,
    pub username: String,
    #[sqlx(rename = "password")]
    pub sealed_password: String,
    pub problem: Option<String>,
    pub checked_at: Option<i64>,
}

pub async fn calendar(db: &Db, agent: &str) -> sqlx::Result<Option<StoredCalendar>> {
    sqlx::query_as(
        "SELECT kind, url, username, password, problem, checked_at FROM agent_calendars WHERE agent_id = $1",
    )
    .bind(agent)
    .fetch_optional(db)
    .await
}

pub async fn put_calendar(db: &Db, agent: &str, c: &StoredCalendar) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO agent_calendars (agent_id, kind, url, username, password, problem, checked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (agent_id) DO UPDATE SET kind = excluded.kind, url = excluded.url, username = excluded.username,
         password = excluded.password, problem = excluded.problem, checked_at = excluded.checked_at",
    )
    .bind(agent)
    .bind(<&str>::from(c.kind))
    .bind(&c.url)
    .bind(&c.username)
    .bind(&c.sealed_password)
    .bind(&c.problem)
    .bind(c.checked_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete_calendar(db: &Db, agent: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM agent_calendars WHERE agent_id = $1")
        .bind(agent)
        .execute(db)
        .await?;
    Ok(())
}

/// Records whether the last read worked (`None`) or why not.
pub async fn set_health(db: &Db, agent: &str, problem: Option<&str>, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE agent_calendars SET problem = $1, checked_at = $2 WHERE agent_id = $3")
        .bind(problem)
        .bind(at)
        .bind(agent)
        .execute(db)
        .await?;
    Ok(())
}

/// Calendars that could not be read last time, with their agents' names.
pub async fn calendar_problems(db: &Db) -> sqlx::Result<Vec<(String, String, String)>> {
    sqlx::query_as(
        "SELECT c.agent_id, a.name, c.problem FROM agent_calendars c JOIN agents a ON a.id = c.agent_id WHERE c.problem IS NOT NULL ORDER BY a.name",
    )
    .fetch_all(db)
    .await
}

pub async fn settings(db: &Db, site: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT body FROM meeting_settings WHERE site_id = $1")
        .bind(site)
        .fetch_optional(db)
        .await
}

pub async fn put_settings(db: &Db, site: &str, body: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO meeting_settings (site_id, body) VALUES ($1, $2) ON CONFLICT (site_id) DO UPDATE SET body = excluded.body")
        .bind(site)
        .bind(body)
        .execute(db)
        .await?;
    Ok(())
}

/// The members of a team, in a stable order (their ids).
pub async fn team_members(db: &Db, team: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT agent_id FROM team_members WHERE team_id = $1 ORDER BY agent_id")
        .bind(team)
        .fetch_all(db)
        .await
}

/// A host's booked meetings that hold time after `from` and before `to`, with the time
/// their buffers hold.
pub async fn host_meetings(db: &Db, host: &str, from: i64, to: i64) -> sqlx::Result<Vec<Booked>> {
    let spans: Vec<(i64, i64, i64, i64)> = sqlx::query_as("SELECT start_at, end_at, busy_from, busy_until FROM meetings WHERE host_id = $1 AND status = 'booked' AND busy_until > $2 AND busy_from < $3 ORDER BY start_at")
        .bind(host)
        .bind(from)
        .bind(to)
        .fetch_all(db)
        .await?;
    Ok(spans
        .into_iter()
        .map(|(start, end, from, until)| Booked {
            meeting: Interval::new(start, end),
            held: Interval::new(from, until),
        })
        .collect())
}

/// Booked meetings of a host starting in `[from, to)` (equal distribution's count).
pub async fn count_meetings(db: &Db, host: &str, from: i64, to: i64) -> sqlx::Result<u32> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meetings WHERE host_id = $1 AND status = 'booked' AND start_at >= $2 AND start_at < $3")
        .bind(host)
        .bind(from)
        .bind(to)
        .fetch_one(db)
        .await?;
    Ok(n as u32)
}

pub async fn last_host(db: &Db, pool: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT agent_id FROM positions WHERE pool = $1")
        .bind(pool)
        .fetch_optional(db)
        .await
}

/// A meeting is booked until it is cancelled; a moved meeting stays booked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, strum::EnumString, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Status {
    Booked,
    Cancelled,
}

/// What an invitation email carries: iCalendar's REQUEST (booked or moved) or CANCEL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, strum::EnumString, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Notice {
    Request,
    Cancel,
}

/// Who an invitation goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, strum::EnumString, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Recipient {
    Visitor,
    Host,
}
crate::db::text_column!(Status, Notice, Recipient);

#[derive(Clone, Debug, Serialize)]
pub struct Meeting {
    pub id: String,
    pub site_id: String,
    pub dialogue_id: String,
    pub card: String,
    pub host_id: String,
    pub start_at: i64,
    pub end_at: i64,
    pub busy_from: i64,
    pub busy_until: i64,
    pub status: Status,
    pub outcome: Option<String>,
    pub visitor_name: String,
    pub visitor_email: String,
    pub visitor_zone: String,
    pub locale: String,
    pub reason: serde_json::Value,
    pub sequence: i64,
    pub transcript: serde_json::Value,
    pub calendar_synced: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A meeting's columns (read by name into [`Meeting`]) (a macro: each query is one constant).
macro_rules! columns {
    () => {
        "id, site_id, dialogue_id, card, host_id, start_at, end_at, busy_from, busy_until, status, outcome, visitor_name, visitor_email, visitor_zone, locale, reason, sequence, transcript, calendar_synced, created_at, updated_at"
    };
}

/// By hand: reason and transcript are JSON text, the calendar flag an integer.
impl sqlx::FromRow<'_, AnyRow> for Meeting {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        let json = |name: &str| -> sqlx::Result<serde_json::Value> {
            Ok(serde_json::from_str(r.try_get(name)?).unwrap_or(serde_json::Value::Null))
        };
        Ok(Meeting {
            id: r.try_get("id")?,
            site_id: r.try_get("site_id")?,
            dialogue_id: r.try_get("dialogue_id")?,
            card: r.try_get("card")?,
            host_id: r.try_get("host_id")?,
            start_at: r.try_get("start_at")?,
            end_at: r.try_get("end_at")?,
            busy_from: r.try_get("busy_from")?,
            busy_until: r.try_get("busy_until")?,
            // Only the two are ever written; an unknown one would be a hand edit: not booked.
            status: r
                .try_get::<&str, _>("status")?
                .parse()
                .unwrap_or(Status::Cancelled),
            outcome: r.try_get("outcome")?,
            visitor_name: r.try_get("visitor_name")?,
            visitor_email: r.try_get("visitor_email")?,
            visitor_zone: r.try_get("visitor_zone")?,
            locale: r.try_get("locale")?,
            reason: json("reason")?,
            sequence: r.try_get("sequence")?,
            transcript: json("transcript")?,
            calendar_synced: r.try_get::<i64, _>("calendar_synced")? != 0,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        })
    }
}

/// Whether the database refused a write because meetings would overlap (the triggers).
pub fn is_overlap(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.message().contains("meeting overlaps"))
}

/// Stores a booked meeting and moves the pool's round-robin position to its host, in one
/// transaction. `Err` with [`is_overlap`] when the host was taken meanwhile.
pub async fn insert(db: &Db, m: &Meeting, pool: &str) -> sqlx::Result<()> {
    insert_in_turn(db, m, pool, Turn::Any, None).await.map(|_| ())
}

/// Which round-robin position a booking may move from.
pub enum Turn<'a> {
    /// Whichever it is (a host named outright).
    Any,
    /// Only from the host the booking picked after (`None`: nobody yet): a booking on
    /// another node that moved it first wins, and this one picks again.
    After(Option<&'a str>),
}

/// The most meetings a host takes on one local day, and that day's instants.
pub struct DailyCap {
    pub most: u32,
    pub from: i64,
    pub until: i64,
}

/// What became of a booking's insert.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    Yes,
    /// Another booking moved the round-robin position first: nothing stored.
    TurnTaken,
    /// The host's day was full by the time it was stored (a booking beside it): nothing
    /// stored.
    OverCap,
}

/// [`insert`], unless the position moved since it was read, or the host's daily cap is
/// reached: checked inside the transaction, so two bookings at once cannot both take
/// the last place of a day.
pub async fn insert_in_turn(
    db: &Db,
    m: &Meeting,
    pool: &str,
    turn: Turn<'_>,
    cap: Option<DailyCap>,
) -> sqlx::Result<Stored> {
    let mut tx = crate::db::begin(db).await?;
    // One booking of a host at a time on PostgreSQL (SQLite's write lock already does
    // it): the count below then sees the other's meeting.
    if crate::db::engine(db) == crate::db::Engine::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))::text")
            .bind(&m.host_id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(concat!("INSERT INTO meetings (", columns!(), ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)"))
    .bind(&m.id)
    .bind(&m.site_id)
    .bind(&m.dialogue_id)
    .bind(&m.card)
    .bind(&m.host_id)
    .bind(m.start_at)
    .bind(m.end_at)
    .bind(m.busy_from)
    .bind(m.busy_until)
    .bind(<&str>::from(m.status))
    .bind(&m.outcome)
    .bind(&m.visitor_name)
    .bind(&m.visitor_email)
    .bind(&m.visitor_zone)
    .bind(&m.locale)
    .bind(m.reason.to_string())
    .bind(m.sequence)
    .bind(m.transcript.to_string())
    .bind(i64::from(m.calendar_synced))
    .bind(m.created_at)
    .bind(m.updated_at)
    .execute(&mut *tx)
    .await?;
    let position = match turn {
        Turn::Any => {
            "INSERT INTO positions (pool, agent_id) VALUES ($1, $2) \
                      ON CONFLICT (pool) DO UPDATE SET agent_id = excluded.agent_id"
        }
        Turn::After(Some(_)) => "UPDATE positions SET agent_id = $2 WHERE pool = $1 AND agent_id = $3",
        Turn::After(None) => {
            "INSERT INTO positions (pool, agent_id) VALUES ($1, $2) ON CONFLICT (pool) DO NOTHING"
        }
    };
    let mut moved = sqlx::query(position).bind(pool).bind(&m.host_id);
    if let Turn::After(Some(last)) = turn {
        moved = moved.bind(last);
    }
    let moved = moved.execute(&mut *tx).await?;
    if moved.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(Stored::TurnTaken);
    }
    if let Some(cap) = cap {
        let that_day: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM meetings WHERE host_id = $1 AND status = 'booked' AND start_at >= $2 AND start_at < $3",
        )
        .bind(&m.host_id)
        .bind(cap.from)
        .bind(cap.until)
        .fetch_one(&mut *tx)
        .await?;
        if that_day > i64::from(cap.most) {
            tx.rollback().await?;
            return Ok(Stored::OverCap);
        }
    }
    tell(&mut tx, &m.site_id, Event::MeetingBooked(about(m)), m.created_at).await?;
    tx.commit().await?;
    Ok(Stored::Yes)
}

/// A meeting as its webhook messages describe it.
fn about(m: &Meeting) -> events::Meeting {
    events::Meeting {
        id: m.id.clone(),
        dialogue: m.dialogue_id.clone(),
        host: m.host_id.clone(),
        start_at: m.start_at,
        end_at: m.end_at,
        visitor: events::MeetingVisitor {
            name: m.visitor_name.clone(),
            email: m.visitor_email.clone(),
            zone: m.visitor_zone.clone(),
        },
    }
}

/// The webhook's message about a meeting, in the change's transaction (docs/webhooks.md).
async fn tell(conn: &mut sqlx::AnyConnection, site: &str, event: Event, now: i64) -> sqlx::Result<()> {
    crate::data::webhooks::store::enqueue(conn, site, &event, now * 1000).await?;
    Ok(())
}

pub async fn meeting(db: &Db, id: &str) -> sqlx::Result<Option<Meeting>> {
    sqlx::query_as(concat!("SELECT ", columns!(), " FROM meetings WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Moves a booked meeting (the triggers refuse an overlap) and bumps its sequence.
pub async fn reschedule(db: &Db, id: &str, span: Interval, busy: Interval, now: i64) -> sqlx::Result<bool> {
    let mut tx = crate::db::begin(db).await?;
    let done = sqlx::query(
        "UPDATE meetings SET start_at = $1, end_at = $2, busy_from = $3, busy_until = $4, sequence = sequence + 1, calendar_synced = 0, updated_at = $5
         WHERE id = $6 AND status = 'booked'",
    )
    .bind(span.start)
    .bind(span.end)
    .bind(busy.start)
    .bind(busy.end)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let moved = done.rows_affected() == 1;
    if moved {
        let m: Meeting = sqlx::query_as(concat!("SELECT ", columns!(), " FROM meetings WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        tell(&mut tx, &m.site_id, Event::MeetingRescheduled(about(&m)), now).await?;
    }
    tx.commit().await?;
    Ok(moved)
}

pub async fn cancel(db: &Db, id: &str, now: i64) -> sqlx::Result<bool> {
    let mut tx = crate::db::begin(db).await?;
    let site: Option<String> = sqlx::query_scalar(
        "UPDATE meetings SET status = 'cancelled', sequence = sequence + 1, calendar_synced = 0, updated_at = $1 WHERE id = $2 AND status = 'booked' RETURNING site_id",
    )
    .bind(now)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(site) = &site {
        let gone = Gone { id: id.to_owned() };
        tell(&mut tx, site, Event::MeetingCancelled(gone), now).await?;
    }
    tx.commit().await?;
    Ok(site.is_some())
}

pub async fn set_outcome(db: &Db, id: &str, outcome: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE meetings SET outcome = $1, updated_at = $2 WHERE id = $3 AND status = 'booked' AND end_at <= $4",
    )
    .bind(outcome)
    .bind(now)
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_synced(db: &Db, id: &str, sequence: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE meetings SET calendar_synced = 1 WHERE id = $1 AND sequence = $2")
        .bind(id)
        .bind(sequence)
        .execute(db)
        .await?;
    Ok(())
}

/// Meetings whose calendar copy is behind (a failed write to be retried), but those of
/// `skipped` hosts (whose calendar failed this round).
pub async fn unsynced(db: &Db, skipped: &[String]) -> sqlx::Result<Vec<Meeting>> {
    let sql = [
        concat!(
            "SELECT ",
            columns!(),
            " FROM meetings WHERE calendar_synced = 0 AND host_id NOT IN "
        ),
        &crate::db::in_list(1, skipped.len()),
        " ORDER BY updated_at LIMIT 50",
    ]
    .concat();
    crate::db::bind_ids(sqlx::query(&sql), skipped)
        .fetch_all(db)
        .await?
        .iter()
        .map(Meeting::from_row)
        .collect()
}

/// The meetings list: one host's (`Some`) or everyone's, newest start first.
pub async fn list(db: &Db, host: Option<&str>) -> sqlx::Result<Vec<Meeting>> {
    // `?` IS NULL: everyone's.
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM meetings WHERE ($1 IS NULL OR host_id = $2) ORDER BY start_at DESC LIMIT 1000"
    );
    sqlx::query_as(sql).bind(host).bind(host).fetch_all(db).await
}

/// An email waiting to go out.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Email {
    pub id: String,
    pub meeting_id: String,
    #[sqlx(try_from = "String")]
    pub recipient: Recipient,
    #[sqlx(try_from = "String")]
    pub kind: Notice,
    pub sequence: i64,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
}

pub async fn enqueue_email(
    db: &Db,
    meeting: &str,
    recipient: Recipient,
    kind: Notice,
    sequence: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO meeting_emails (id, meeting_id, recipient, kind, sequence, next_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(crate::db::new_id())
        .bind(meeting)
        .bind(<&str>::from(recipient))
        .bind(<&str>::from(kind))
        .bind(sequence)
        .bind(now)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// An email's columns (read by name into [`Email`]).
macro_rules! email_columns {
    () => {
        "id, meeting_id, recipient, kind, sequence, attempts, sent_at, last_error"
    };
}

pub async fn due_emails(db: &Db, now: i64) -> sqlx::Result<Vec<Email>> {
    sqlx::query_as(concat!(
        "SELECT ",
        email_columns!(),
        " FROM meeting_emails WHERE sent_at IS NULL AND next_at <= $1 ORDER BY created_at LIMIT 20"
    ))
    .bind(now)
    .fetch_all(db)
    .await
}

pub async fn emails_of(db: &Db, meeting: &str) -> sqlx::Result<Vec<Email>> {
    sqlx::query_as(concat!(
        "SELECT ",
        email_columns!(),
        " FROM meeting_emails WHERE meeting_id = $1 ORDER BY created_at"
    ))
    .bind(meeting)
    .fetch_all(db)
    .await
}

pub async fn email_sent(db: &Db, id: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE meeting_emails SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Whether an email for the meeting's `recipient` newer than `sequence` is queued (or
/// sent): what makes an older invitation stale.
pub async fn later_email(db: &Db, meeting: &str, recipient: Recipient, sequence: i64) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM meeting_emails WHERE meeting_id = $1 AND recipient = $2 AND sequence > $3",
    )
    .bind(meeting)
    .bind(<&str>::from(recipient))
    .bind(sequence)
    .fetch_one(db)
    .await?;
    Ok(n > 0)
}

/// An email a later change made stale (a booking's invitation still waiting when the
/// meeting moved or was cancelled): never sent, and said so.
pub async fn email_superseded(db: &Db, id: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE meeting_emails SET sent_at = $1, last_error = $2 WHERE id = $3")
        .bind(now)
        .bind("not sent: a later change to the meeting replaced it")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn email_failed(db: &Db, id: &str, error: &str, next_at: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE meeting_emails SET attempts = attempts + 1, last_error = $1, next_at = $2 WHERE id = $3",
    )
    .bind(error)
    .bind(next_at)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}
