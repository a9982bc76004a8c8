//! The data side's HTTP handlers: the widget's activity batches (origin-checked, rate
//! limited), and the metrics for admins.

use super::activity::{self, Batch};
use super::metrics;
use super::store::{self, Filter};
use crate::access::auth::SignedIn;
use crate::error::AppError;
use crate::page_call::{self, cors, json_body};
use crate::peer::Peer;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chinwag_dialogue::ValidDialogue;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// `POST /api/sites/{site}/activity`: a batch of one run's marks (`data::activity`).
pub async fn post_activity(
    State(state): State<AppState>,
    Path(site): Path<String>,
    headers: HeaderMap,
    peer: Peer,
    body: String,
) -> Result<Response, AppError> {
    page_call::site(&state, &site, &headers, "activity").await?;
    state
        .limits
        .activity_call(peer.0)
        .map_err(|wait| AppError::too_many("activity reports", wait))?;
    let batch: Batch = json_body(&body)?;
    let stored = activity::ingest(&state, &site, batch).await?;
    Ok(cors(Json(json!({ "stored": stored })).into_response(), &headers))
}

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
    fn filter(self) -> Result<Filter, AppError> {
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
fn bounds(f: &Filter) -> (i64, i64) {
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
async fn meeting_days(state: &AppState, site: &str, f: &Filter) -> Result<Vec<(String, String)>, AppError> {
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
async fn versions_of(
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
fn live_chat_cards(versions: &[(i64, ValidDialogue)]) -> Vec<(i64, String)> {
    versions
        .iter()
        .flat_map(|(v, d)| metrics::live_chat_cards(d).into_iter().map(|c| (*v, c)))
        .collect()
}

fn versions_in(counts: &[store::Count]) -> Vec<i64> {
    let mut versions: Vec<i64> = counts.iter().map(|c| c.version).collect();
    versions.sort_unstable_by(|a, b| b.cmp(a));
    versions.dedup();
    versions
}

/// `GET /api/sites/{site}/metrics`: each dialogue's totals over the range.
pub async fn site_metrics(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(site): Path<String>,
    Query(query): Query<MetricsQuery>,
) -> Result<Json<Value>, AppError> {
    signed_in.admin()?;
    let f = query.filter()?;
    let counts = store::counts(&state.db, &site, None, &f).await?;
    let mut by_dialogue: BTreeMap<String, Vec<store::Count>> = BTreeMap::new();
    for c in counts {
        by_dialogue.entry(c.dialogue.clone()).or_default().push(c);
    }
    let meetings = meeting_days(&state, &site, &f).await?;
    let mut dialogues = serde_json::Map::new();
    for (id, counts) in by_dialogue {
        let cards = live_chat_cards(&versions_of(&state, &site, &id, &versions_in(&counts)).await?);
        let days: Vec<String> = meetings
            .iter()
            .filter(|(d, _)| *d == id)
            .map(|(_, day)| day.clone())
            .collect();
        let (totals, _) = metrics::totals(&counts, &cards, &days);
        dialogues.insert(id, json!(totals));
    }
    Ok(Json(
        json!({ "from": f.from, "to": f.to, "dialogues": dialogues }),
    ))
}

/// `GET /api/sites/{site}/dialogues/{id}/metrics`: totals, each day, the goals, and the
/// funnel of one version (`version`, or the newest with activity in the range).
pub async fn dialogue_metrics(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((site, id)): Path<(String, String)>,
    Query(query): Query<MetricsQuery>,
) -> Result<Json<metrics::Metrics>, AppError> {
    signed_in.admin()?;
    Ok(Json(metrics_of(&state, &site, &id, query).await?))
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

/// `GET /api/sites/{site}/dialogues/{id}/metrics.csv`: the daily numbers as CSV.
pub async fn dialogue_metrics_csv(
    state: State<AppState>,
    signed_in: SignedIn,
    path: Path<(String, String)>,
    query: Query<MetricsQuery>,
) -> Result<Response, AppError> {
    let Json(metrics) = dialogue_metrics(state, signed_in, path, query).await?;
    let metrics = json!(metrics);
    const COLUMNS: [&str; 9] = [
        "triggered",
        "engaged",
        "completed",
        "people_acquired",
        "meetings_booked",
        "live_chats",
        "goals_reached",
        "engagement_rate",
        "conversion_rate",
    ];
    let rows = metrics["days"].as_array().into_iter().flatten().map(|day| {
        let cells = COLUMNS.iter().map(|c| match &day[*c] {
            Value::Null => String::new(),
            v => v.to_string(),
        });
        std::iter::once(day["day"].as_str().unwrap_or_default().to_owned()).chain(cells)
    });
    let header: Vec<&str> = std::iter::once("day").chain(COLUMNS).collect();
    let csv = crate::csv::numbers(&header, rows);
    Ok(crate::csv::download("metrics.csv", csv))
}

/// `GET /api/sites/{site}/dialogues/{id}/marks.ndjson`: every raw mark in the range, one
/// JSON object a line, streamed a chunk at a time (a million marks never sit in memory).
pub async fn marks_ndjson(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((site, id)): Path<(String, String)>,
    Query(query): Query<MetricsQuery>,
) -> Result<axum::response::Response, AppError> {
    signed_in.admin()?;
    let range = bounds(&query.filter()?);
    let start = Some((i64::MIN, String::new(), i64::MIN));
    let chunks = futures_util::stream::unfold(start, move |after| {
        let (state, site, id) = (state.clone(), site.clone(), id.clone());
        async move {
            let after = after?;
            match store::marks_chunk(&state.db, &site, &id, range, &after, 5_000).await {
                Ok((text, next)) if !text.is_empty() => Some((Ok::<_, sqlx::Error>(text), next)),
                Ok(_) => None,
                Err(e) => Some((Err(e), None)),
            }
        }
    });
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/x-ndjson"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"marks.ndjson\"",
            ),
        ],
        axum::body::Body::from_stream(chunks),
    )
        .into_response())
}
