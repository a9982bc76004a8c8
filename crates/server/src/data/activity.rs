//! Reported activity: the widget sends a run's marks in batches; each batch is checked
//! against the published version it names and the run's marks so far
//! (`chinwag_dialogue::engine::Run`), then stored with the daily counts in one
//! transaction. A refused batch stores nothing, so nothing forged or broken is counted.

use super::leads_store;
use super::store::{self, Row_};
use crate::error::AppError;
use crate::state::AppState;
use chinwag_dialogue::engine::{Mark, Run};
use chinwag_dialogue::ValidDialogue;

/// The most marks in one batch, and in one run.
pub const MAX_BATCH: usize = 200;
pub const MAX_RUN: i64 = 2_000;
/// Runs one visitor may start in a day.
pub const MAX_RUNS_PER_DAY: i64 = 100;
/// How far a mark's time may lie ahead of the server's clock, or behind it.
const AHEAD_MS: u64 = 10 * 60 * 1000;
const BEHIND_MS: u64 = 3 * 24 * 3600 * 1000;

/// One batch as the widget sends it.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// The run (`{visitor}-{started_at}`): the same across reloads of the page.
    pub run: String,
    /// The browser's random id for this visitor.
    pub visitor: String,
    pub dialogue: String,
    pub version: i64,
    pub locale: String,
    /// Whether the page identified the visitor by email before the run.
    pub known: bool,
    /// The index in the run of `marks[0]`: marks already stored are skipped, so a
    /// batch sent twice counts once.
    pub from: i64,
    pub marks: Vec<Mark>,
    /// What the visitor gave in this run (forms and typed answers that set an
    /// attribute): an email makes them a lead (docs/leads.md).
    #[serde(default)]
    pub captured: std::collections::BTreeMap<String, String>,
}

fn bad(message: impl Into<String>) -> AppError {
    AppError::BadRequest(message.into())
}

/// Checks and stores a batch for `site`; how many marks were new.
pub async fn ingest(state: &AppState, site: &str, batch: Batch) -> Result<usize, AppError> {
    let short = |s: &str| !s.is_empty() && s.len() <= 100;
    if !short(&batch.run) || !short(&batch.visitor) || !short(&batch.dialogue) || batch.locale.len() > 35 {
        return Err(bad(
            "run, visitor and dialogue are 1 to 100 characters, locale at most 35",
        ));
    }
    if batch.marks.len() > MAX_BATCH {
        return Err(bad(format!("at most {MAX_BATCH} marks in one batch")));
    }
    let stored = store::run(&state.db, &batch.run).await?;
    let (before, mut run) = match &stored {
        Some(s) => {
            if (
                s.site.as_str(),
                s.dialogue.as_str(),
                s.version,
                s.visitor.as_str(),
            ) != (
                site,
                batch.dialogue.as_str(),
                batch.version,
                batch.visitor.as_str(),
            ) {
                return Err(bad(
                    "this run belongs to another site, dialogue, version or visitor",
                ));
            }
            (s.marks, serde_json::from_str::<Run>(&s.state).unwrap_or_default())
        }
        None => (0, Run::default()),
    };
    if batch.from > before {
        return Err(AppError::Conflict(format!(
            "marks {before} to {} are missing: send from {before}",
            batch.from - 1
        )));
    }
    let skip = usize::try_from(before - batch.from.max(0)).unwrap_or(usize::MAX);
    let new = batch.marks.get(skip..).unwrap_or_default();
    if new.is_empty() {
        return Ok(0);
    }
    if before + new.len() as i64 > MAX_RUN {
        return Err(bad(format!("at most {MAX_RUN} marks in one run")));
    }
    let now = crate::db::now_ms();
    if stored.is_none() {
        let day_ago = now.saturating_sub(24 * 3600 * 1000) as i64;
        if store::runs_of_visitor(&state.db, &batch.visitor, day_ago).await? >= MAX_RUNS_PER_DAY {
            // Another run may start when the first of the day's leaves the day.
            let oldest = store::oldest_run_of_visitor(&state.db, &batch.visitor, day_ago).await?;
            let wait_ms = oldest.map_or(0, |at| at - day_ago).max(1000);
            let what = format!("runs for this visitor (at most {MAX_RUNS_PER_DAY} in a day)");
            return Err(AppError::too_many(
                &what,
                std::time::Duration::from_millis(wait_ms as u64),
            ));
        }
    }
    let dialogue = published(state, site, &batch.dialogue, batch.version).await?;
    let mut rows = Vec::with_capacity(new.len());
    for (i, mark) in new.iter().enumerate() {
        let seq = before + i as i64;
        if mark.at > now + AHEAD_MS || mark.at + BEHIND_MS < now {
            return Err(bad(format!("marks[{}]: its time is not around now", skip + i)));
        }
        let took = run
            .take(&dialogue, mark)
            .map_err(|problem| bad(format!("marks[{}]: {problem}", skip + i)))?;
        rows.push(Row_ {
            seq,
            kind: mark.kind.name(),
            card: mark.card.clone(),
            at: mark.at as i64,
            ms: took.map(|ms| ms as i64),
            day: day_of(mark.at),
            goal: mark
                .card
                .as_deref()
                .and_then(|c| super::metrics::goal_name(&dialogue, c)),
        });
    }
    let started_at = rows.first().map_or(0, |r| r.at);
    let batch_rows = store::Batch {
        run: &batch.run,
        site,
        dialogue: &batch.dialogue,
        version: batch.version,
        visitor: &batch.visitor,
        locale: &batch.locale,
        known: batch.known,
        started_at,
        before,
        state: serde_json::to_string(&run).unwrap_or_default(),
        rows,
    };
    match store::store(&state.db, &batch_rows).await {
        Ok(()) => {
            // Captures come with answers: only then is there anything new to save.
            if batch_rows.rows.iter().any(|r| r.kind == "answered") {
                let source = format!("dialogue {} v{}", batch.dialogue, batch.version);
                let owned = (leads_store::Owned::Run, batch.run.as_str());
                leads_store::record(&state.db, site, &batch.captured, &[], &source, owned).await;
            }
            Ok(batch_rows.rows.len())
        }
        Err(sqlx::Error::RowNotFound) => Err(AppError::Conflict(
            "another batch of this run was stored meanwhile: send again".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// The published version a batch names, read and checked (versions never change, so a
/// stored one is valid; one that no longer parses is refused all the same).
async fn published(
    state: &AppState,
    site: &str,
    dialogue: &str,
    version: i64,
) -> Result<ValidDialogue, AppError> {
    let body = store::version_body(&state.db, site, dialogue, version)
        .await?
        .ok_or_else(|| bad(format!("no published version {version} of dialogue {dialogue}")))?;
    chinwag_dialogue::json::check(&body).map_err(|_| {
        AppError::Internal(anyhow::anyhow!(
            "stored version {version} of {dialogue} is invalid"
        ))
    })
}

/// The UTC day (`YYYY-MM-DD`) of a time in ms.
pub fn day_of(ms: u64) -> String {
    jiff::Timestamp::from_millisecond(ms as i64)
        .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date().to_string())
        .unwrap_or_default()
}
