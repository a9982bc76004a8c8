//! A dialogue's or a site's metrics read and computed (docs/metrics.md): what the
//! console and the REST API both answer, from the store's counts and the versions'
//! cards.

use super::store::{self, Filter};
use super::{activity, metrics};
use crate::error::AppError;
use crate::state::AppState;
use chinwag_dialogue::ValidDialogue;
use std::collections::BTreeMap;

/// The query of the metrics' routes: every field optional, the range the last 90 days.
#[derive(Debug, Default, serde::Deserialize)]
pub struct MetricsQuery {
    from: Option<String>,
    to: Option<String>,
    version: Option<i64>,
    known: Option<bool>,
    locale: Option<String>,
}

/// The days a metric covers by default.
pub const DEFAULT_DAYS: i64 = 90;

impl MetricsQuery {
    pub(super) fn filter(self) -> Result<Filter, AppError> {
        // The server's one clock (`db::now_ms`), as everywhere else.
        let today = jiff::Timestamp::from_millisecond(crate::db::now_ms() as i64)
            .unwrap_or_default()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date();
        let day = |text: Option<String>, default: jiff::civil::Date| match text.filter(|t| !t.is_empty()) {
            None => Ok(default),
            Some(t) => t
                .parse::<jiff::civil::Date>()
                .map_err(|_| AppError::BadRequest(format!("`{t}` is not a day (YYYY-MM-DD)"))),
        };
        let to = day(self.to, today)?;
        let from = day(
            self.from,
            to.saturating_sub(jiff::Span::new().days(DEFAULT_DAYS - 1)),
        )?;
        if from > to {
            return Err(AppError::BadRequest("`from` is after `to`".into()));
        }
        Ok(Filter {
            from: from.to_string(),
            to: to.to_string(),
            version: self.version,
            known: self.known,
            locale: self.locale.filter(|l| !l.is_empty()),
        })
    }
}

/// The range's bounds in ms (from the first day's midnight UTC to the day after the last).
pub(super) fn bounds(f: &Filter) -> (i64, i64) {
    let ms = |day: &str, plus: i64| {
        day.parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| d.checked_add(jiff::Span::new().days(plus)).ok())
            .and_then(|d| {
                jiff::tz::TimeZone::UTC
                    .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                    .ok()
            })
            .map_or(0, |t| t.as_millisecond())
    };
    (ms(&f.from, 0), ms(&f.to, 1))
}

/// Days of the meetings booked from `dialogue` (all dialogues: `None`) in the range,
/// unless the filter names what meetings do not record (a version, known visitors).
pub(super) async fn meeting_days(
    state: &AppState,
    site: &str,
    f: &Filter,
) -> Result<Vec<(String, String)>, AppError> {
    if f.version.is_some() || f.known.is_some() || f.locale.is_some() {
        return Ok(Vec::new());
    }
    let (from, to) = bounds(f);
    Ok(store::meetings_booked(&state.db, site, (from / 1000, to / 1000))
        .await?
        .into_iter()
        .map(|(dialogue, at)| (dialogue, activity::day_of(at as u64 * 1000)))
        .collect())
}

/// The published versions of a dialogue named in `versions`, read.
pub(super) async fn versions_of(
    state: &AppState,
    site: &str,
    dialogue: &str,
    versions: &[i64],
) -> Result<Vec<(i64, ValidDialogue)>, AppError> {
    let mut read = Vec::new();
    for v in versions {
        let body = store::version_body(&state.db, site, dialogue, *v).await?;
        if let Some(d) = body.and_then(|body| chinwag_dialogue::json::check(&body).ok()) {
            read.push((*v, d));
        }
    }
    Ok(read)
}

/// The (version, path) of every live-chat card of these versions.
pub(super) fn live_chat_cards(versions: &[(i64, ValidDialogue)]) -> Vec<(i64, String)> {
    versions
        .iter()
        .flat_map(|(v, d)| metrics::live_chat_cards(d).into_iter().map(|c| (*v, c)))
        .collect()
}

pub(super) fn versions_in(counts: &[store::Count]) -> Vec<i64> {
    let mut versions: Vec<i64> = counts.iter().map(|c| c.version).collect();
    versions.sort_unstable_by(|a, b| b.cmp(a));
    versions.dedup();
    versions
}

/// A dialogue's metrics (docs/metrics.md), for the console and the REST API.
pub async fn metrics_of(
    state: &AppState,
    site: &str,
    id: &str,
    query: MetricsQuery,
) -> Result<metrics::Metrics, AppError> {
    let (state, site, id) = (state.clone(), site.to_owned(), id.to_owned());
    let f = query.filter()?;
    let counts = store::counts(&state.db, &site, Some(&id), &f).await?;
    let versions = versions_in(&counts);
    let read = versions_of(&state, &site, &id, &versions).await?;
    let cards = live_chat_cards(&read);
    let meetings: Vec<String> = meeting_days(&state, &site, &f)
        .await?
        .into_iter()
        .filter(|(d, _)| *d == id)
        .map(|(_, day)| day)
        .collect();
    let (totals, days) = metrics::totals(&counts, &cards, &meetings);
    let shown = f.version.or_else(|| versions.first().copied());
    let (mut funnel, mut goals) = (Vec::new(), BTreeMap::<String, i64>::new());
    if let Some((v, d)) = read.iter().find(|(v, _)| Some(*v) == shown) {
        let times = store::answer_times(&state.db, &site, &id, *v, &f).await?;
        funnel = metrics::funnel(d, *v, &counts, &times);
    }
    for (v, d) in &read {
        for c in counts.iter().filter(|c| c.version == *v && c.kind == "goal") {
            let name = metrics::goal_name(d, &c.card).unwrap_or_else(|| c.card.clone());
            *goals.entry(name).or_default() += c.count;
        }
    }
    Ok(metrics::Metrics {
        from: f.from,
        to: f.to,
        totals,
        days: days
            .into_iter()
            .map(|(day, totals)| metrics::MetricsDay { day, totals })
            .collect(),
        goals: goals
            .into_iter()
            .map(|(name, count)| metrics::Goal { name, count })
            .collect(),
        versions,
        version: shown,
        funnel,
    })
}
