//! The data side's queries: runs, their marks, and the daily counts. Portable SQL.

use crate::db::{AnyQuery, Db};
use sqlx::{Any, AnyConnection, Row};

/// A run as stored.
#[derive(sqlx::FromRow)]
pub struct StoredRun {
    #[sqlx(rename = "site_id")]
    pub site: String,
    #[sqlx(rename = "dialogue_id")]
    pub dialogue: String,
    pub version: i64,
    #[sqlx(rename = "visitor_id")]
    pub visitor: String,
    pub marks: i64,
    pub state: String,
}

pub async fn run(db: &Db, id: &str) -> sqlx::Result<Option<StoredRun>> {
    sqlx::query_as(
        "SELECT site_id, dialogue_id, version, visitor_id, marks, state FROM activity_runs WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Runs a visitor started since `since` (ms).
pub async fn runs_of_visitor(db: &Db, visitor: &str, since: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM activity_runs WHERE visitor_id = $1 AND started_at >= $2")
        .bind(visitor)
        .bind(since)
        .fetch_one(db)
        .await
}

/// When the visitor's first run since `since` started.
pub async fn oldest_run_of_visitor(db: &Db, visitor: &str, since: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT MIN(started_at) FROM activity_runs WHERE visitor_id = $1 AND started_at >= $2")
        .bind(visitor)
        .bind(since)
        .fetch_one(db)
        .await
}

pub use crate::console::store::version_body;

/// One mark ready to store.
pub struct Row_ {
    pub seq: i64,
    pub kind: &'static str,
    pub card: Option<String>,
    pub at: i64,
    pub ms: Option<i64>,
    pub day: String,
    /// A goal's name.
    pub goal: Option<String>,
}

/// What a batch adds to a run, in one transaction: the run's new state, its marks, and
/// the daily counts. Nothing is stored when any part fails.
pub struct Batch<'a> {
    pub run: &'a str,
    pub site: &'a str,
    pub dialogue: &'a str,
    pub version: i64,
    pub visitor: &'a str,
    pub locale: &'a str,
    pub known: bool,
    pub started_at: i64,
    /// Marks stored before this batch (the run is new when 0).
    pub before: i64,
    pub state: String,
    pub rows: Vec<Row_>,
}

/// A day's count of a kind of mark at a card (`card` is '' for marks that name none).
const DAILY: &str = "INSERT INTO activity_daily (site_id, dialogue_id, version, day, locale, known, kind, card, count) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) ON CONFLICT (site_id, dialogue_id, version, day, locale, known, kind, card) \
     DO UPDATE SET count = activity_daily.count + 1";

/// A day's count of answers at a card within one bucket of time (`histogram::bucket`).
const TIMES: &str = "INSERT INTO activity_times (site_id, dialogue_id, version, day, locale, known, card, bucket, count) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) ON CONFLICT (site_id, dialogue_id, version, day, locale, known, card, bucket) \
     DO UPDATE SET count = activity_times.count + 1";

/// Adds one to a daily count (`DAILY` or `TIMES`), keyed by the run's site, dialogue,
/// version, locale and visitors, the day, and the table's last two columns.
async fn add_one<'q, T>(
    tx: &mut AnyConnection,
    sql: &'static str,
    b: &'q Batch<'_>,
    day: &'q str,
    last: (&'q str, T),
) -> sqlx::Result<()>
where
    T: 'q + Send + sqlx::Encode<'q, Any> + sqlx::Type<Any>,
{
    sqlx::query(sql)
        .bind(b.site)
        .bind(b.dialogue)
        .bind(b.version)
        .bind(day)
        .bind(b.locale)
        .bind(i64::from(b.known))
        .bind(last.0)
        .bind(last.1)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn store(db: &Db, b: &Batch<'_>) -> sqlx::Result<()> {
    let mut tx = crate::db::begin(db).await?;
    let after = b.before + b.rows.len() as i64;
    // The run's row moves only from the count this batch was checked against: a
    // concurrent batch of the same run makes this one fail instead of interleaving.
    let moved = if b.before == 0 {
        sqlx::query(
            "INSERT INTO activity_runs (id, site_id, dialogue_id, version, visitor_id, locale, known, started_at, marks, state) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING",
        )
        .bind(b.run)
        .bind(b.site)
        .bind(b.dialogue)
        .bind(b.version)
        .bind(b.visitor)
        .bind(b.locale)
        .bind(i64::from(b.known))
        .bind(b.started_at)
        .bind(after)
        .bind(&b.state)
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query("UPDATE activity_runs SET marks = $1, state = $2 WHERE id = $3 AND marks = $4")
            .bind(after)
            .bind(&b.state)
            .bind(b.run)
            .bind(b.before)
            .execute(&mut *tx)
            .await?
    };
    if moved.rows_affected() != 1 {
        return Err(sqlx::Error::RowNotFound);
    }
    for r in &b.rows {
        sqlx::query(
            "INSERT INTO activity_marks (run_id, seq, site_id, dialogue_id, version, kind, card, at, ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(b.run)
        .bind(r.seq)
        .bind(b.site)
        .bind(b.dialogue)
        .bind(b.version)
        .bind(r.kind)
        .bind(&r.card)
        .bind(r.at)
        .bind(r.ms)
        .execute(&mut *tx)
        .await?;
        let card = r.card.as_deref();
        add_one(&mut tx, DAILY, b, &r.day, (r.kind, card.unwrap_or(""))).await?;
        if let (Some(ms), Some(card)) = (r.ms, card) {
            add_one(&mut tx, TIMES, b, &r.day, (card, super::histogram::bucket(ms))).await?;
        }
    }
    // The webhooks' messages in the same transaction (docs/webhooks.md).
    for r in &b.rows {
        use super::webhooks::events::{Event, Run};
        let run = || Run {
            run: b.run.to_owned(),
            visitor: b.visitor.to_owned(),
            dialogue: b.dialogue.to_owned(),
            version: b.version,
            card: r.card.clone(),
            goal: r.goal.clone(),
            at: jiff::Timestamp::from_millisecond(r.at)
                .map(|t| t.to_string())
                .unwrap_or_default(),
        };
        let event = match r.kind {
            "completed" => Event::DialogueCompleted(run()),
            "goal" => Event::GoalReached(run()),
            _ => continue,
        };
        super::webhooks::store::enqueue(&mut tx, b.site, &event, crate::db::now_ms() as i64).await?;
    }
    tx.commit().await
}

/// A filter on the counts and marks (docs/metrics.md): days are `YYYY-MM-DD`, inclusive.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct Filter {
    pub from: String,
    pub to: String,
    pub version: Option<i64>,
    pub known: Option<bool>,
    pub locale: Option<String>,
}

/// One daily count.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Count {
    pub dialogue: String,
    pub version: i64,
    pub day: String,
    pub kind: String,
    pub card: String,
    /// Counts of runs whose visitor the page had identified by email.
    pub known: bool,
    pub count: i64,
}

/// Binds the filter's last two conditions, each twice (`$n IS NULL OR column = $n+1`).
fn known_and_locale<'q>(query: AnyQuery<'q>, f: &'q Filter) -> AnyQuery<'q> {
    let known = f.known.map(i64::from);
    query.bind(known).bind(known).bind(&f.locale).bind(&f.locale)
}

/// By hand: `known` is an integer flag.
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Count {
    fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        Ok(Count {
            dialogue: r.try_get("dialogue_id")?,
            version: r.try_get("version")?,
            day: r.try_get("day")?,
            kind: r.try_get("kind")?,
            card: r.try_get("card")?,
            known: r.try_get::<i64, _>("known")? != 0,
            count: r.try_get("n")?,
        })
    }
}

/// The daily counts of a site (one dialogue, or all) under a filter.
pub async fn counts(db: &Db, site: &str, dialogue: Option<&str>, f: &Filter) -> sqlx::Result<Vec<Count>> {
    let query = sqlx::query(
        "SELECT dialogue_id, version, day, kind, card, known, CAST(SUM(count) AS BIGINT) AS n FROM activity_daily \
         WHERE site_id = $1 AND ($2 IS NULL OR dialogue_id = $3) AND day >= $4 AND day <= $5 \
         AND ($6 IS NULL OR version = $7) AND ($8 IS NULL OR known = $9) AND ($10 IS NULL OR locale = $11) \
         GROUP BY dialogue_id, version, day, kind, card, known ORDER BY day",
    )
    .bind(site)
    .bind(dialogue)
    .bind(dialogue)
    .bind(&f.from)
    .bind(&f.to)
    .bind(f.version)
    .bind(f.version);
    let rows = known_and_locale(query, f).fetch_all(db).await?;
    rows.iter().map(sqlx::FromRow::from_row).collect()
}

/// Times to answer per card of one version under a filter, as histograms: (card,
/// bucket, how many), from the daily histograms (`histogram::bucket`).
pub async fn answer_times(
    db: &Db,
    site: &str,
    dialogue: &str,
    version: i64,
    f: &Filter,
) -> sqlx::Result<Vec<(String, i64, i64)>> {
    let query = sqlx::query(
        "SELECT card, bucket, CAST(SUM(count) AS BIGINT) AS n FROM activity_times \
         WHERE site_id = $1 AND dialogue_id = $2 AND version = $3 AND day >= $4 AND day <= $5 \
         AND ($6 IS NULL OR known = $7) AND ($8 IS NULL OR locale = $9) GROUP BY card, bucket",
    )
    .bind(site)
    .bind(dialogue)
    .bind(version)
    .bind(&f.from)
    .bind(&f.to);
    known_and_locale(query, f)
        .fetch_all(db)
        .await?
        .iter()
        .map(sqlx::FromRow::from_row)
        .collect()
}

/// When each meeting booked from a dialogue of the site in `[from, to)` (seconds, as
/// meetings keep time) was booked: from the meetings themselves.
pub async fn meetings_booked(
    db: &Db,
    site: &str,
    (from, to): (i64, i64),
) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT dialogue_id, created_at FROM meetings WHERE site_id = $1 AND created_at >= $2 AND created_at < $3",
    )
    .bind(site)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}

/// Raw marks of a dialogue in `[from, to)` ms, as NDJSON lines, a chunk at a time after
/// `after` (time, run, seq); the last key of the chunk for the next.
pub async fn marks_chunk(
    db: &Db,
    site: &str,
    dialogue: &str,
    (from, to): (i64, i64),
    after: &(i64, String, i64),
    limit: i64,
) -> sqlx::Result<(String, Option<(i64, String, i64)>)> {
    let rows = sqlx::query(
        "SELECT run_id, seq, version, kind, card, at, ms FROM activity_marks \
         WHERE site_id = $1 AND dialogue_id = $2 AND at >= $3 AND at < $4 AND (at, run_id, seq) > ($5, $6, $7) \
         ORDER BY at, run_id, seq LIMIT $8",
    )
    .bind(site)
    .bind(dialogue)
    .bind(from)
    .bind(to)
    .bind(after.0)
    .bind(&after.1)
    .bind(after.2)
    .bind(limit)
    .fetch_all(db)
    .await?;
    let mut out = String::new();
    let mut last = None;
    for r in &rows {
        let (run, seq, at): (String, i64, i64) = (r.get("run_id"), r.get("seq"), r.get("at"));
        let line = serde_json::json!({
            "run": run, "seq": seq, "version": r.get::<i64, _>("version"), "kind": r.get::<String, _>("kind"),
            "card": r.get::<Option<String>, _>("card"), "at": at, "ms": r.get::<Option<i64>, _>("ms"),
        });
        out.push_str(&line.to_string());
        out.push('\n');
        last = Some((at, run, seq));
    }
    Ok((out, last.filter(|_| rows.len() as i64 == limit)))
}
