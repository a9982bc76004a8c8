//! The data side's HTTP handlers: the widget's activity batches (origin-checked, rate
//! limited), and the metrics for admins.

use super::activity::{self, Batch};
use super::metrics;
pub use super::report::MetricsQuery;
use super::report::{bounds, live_chat_cards, meeting_days, metrics_of, versions_in, versions_of};
use super::store;
use crate::access::auth::Admin;
use crate::error::AppError;
use crate::page_call::{cors, json_body, PageSite};
use crate::peer::Peer;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// `POST /api/sites/{site}/activity`: a batch of one run's marks (`data::activity`).
pub async fn post_activity(
    State(state): State<AppState>,
    PageSite(site): PageSite,
    headers: HeaderMap,
    peer: Peer,
    body: String,
) -> Result<Response, AppError> {
    state
        .limits
        .activity_call(peer.0)
        .map_err(|wait| AppError::too_many("activity reports", wait))?;
    let batch: Batch = json_body(&body)?;
    let stored = activity::ingest(&state, &site.id, batch).await?;
    Ok(cors(Json(json!({ "stored": stored })).into_response(), &headers))
}

/// `GET /api/sites/{site}/metrics`: each dialogue's totals over the range.
pub async fn site_metrics(
    State(state): State<AppState>,
    _admin: Admin,
    Path(site): Path<String>,
    Query(query): Query<MetricsQuery>,
) -> Result<Json<Value>, AppError> {
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
    _admin: Admin,
    Path((site, id)): Path<(String, String)>,
    Query(query): Query<MetricsQuery>,
) -> Result<Json<metrics::Metrics>, AppError> {
    Ok(Json(metrics_of(&state, &site, &id, query).await?))
}

/// `GET /api/sites/{site}/dialogues/{id}/metrics.csv`: the daily numbers as CSV.
pub async fn dialogue_metrics_csv(
    state: State<AppState>,
    admin: Admin,
    path: Path<(String, String)>,
    query: Query<MetricsQuery>,
) -> Result<Response, AppError> {
    let Json(metrics) = dialogue_metrics(state, admin, path, query).await?;
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
    _admin: Admin,
    Path((site, id)): Path<(String, String)>,
    Query(query): Query<MetricsQuery>,
) -> Result<axum::response::Response, AppError> {
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
