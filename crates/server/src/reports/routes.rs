//! `GET /api/reports` and `GET /api/reports.csv` (admins): a period's report, as JSON
//! for the console and as a CSV a spreadsheet opens.

use super::{Group, Report};
use crate::access::auth::Admin;
use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Json;
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// `from` and `to`: days (`YYYY-MM-DD`, UTC), both included; by default the 30 days to
/// today.
#[derive(Deserialize)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
}

/// The longest period a report covers, in days.
const LONGEST: i32 = 366;

impl Period {
    /// `[from, to)` in milliseconds, and the days as given back.
    fn range(&self) -> Result<(u64, u64, Date, Date), AppError> {
        let day = |text: &Option<String>, name: &str| -> Result<Option<Date>, AppError> {
            text.as_deref()
                .filter(|t| !t.is_empty())
                .map(|t| {
                    t.parse::<Date>()
                        .map_err(|_| AppError::BadRequest(format!("{name}: write a day as YYYY-MM-DD")))
                })
                .transpose()
        };
        let utc = jiff::tz::TimeZone::UTC;
        let now = jiff::Timestamp::from_millisecond(db::now_ms() as i64).map_err(anyhow::Error::from)?;
        let today = utc.to_datetime(now).date();
        let to = day(&self.to, "to")?.unwrap_or(today);
        let from = day(&self.from, "from")?.unwrap_or(to.saturating_sub(jiff::Span::new().days(29)));
        let days = (to - from).get_days() + 1;
        if days < 1 {
            return Err(AppError::BadRequest("from comes after to".into()));
        }
        if days > LONGEST {
            return Err(AppError::BadRequest(format!(
                "a report covers at most {LONGEST} days"
            )));
        }
        let ms = |d: Date| -> Result<u64, AppError> {
            let at = utc
                .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                .map_err(anyhow::Error::from)?;
            Ok(at.as_millisecond() as u64)
        };
        let end = to.tomorrow().map_err(anyhow::Error::from)?;
        Ok((ms(from)?, ms(end)?, from, to))
    }
}

async fn build(state: &AppState, period: &Period) -> Result<(Report, Date, Date), AppError> {
    let (start, end, from, to) = period.range()?;
    let conversations = super::store::conversations(&state.db, start, end).await?;
    let agents: BTreeMap<String, String> = db::agents(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let teams: BTreeMap<String, String> = db::teams(&state.db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    Ok((super::report(&conversations, &agents, &teams), from, to))
}

pub async fn json(
    State(state): State<AppState>,
    _admin: Admin,
    Query(period): Query<Period>,
) -> Result<Json<Value>, AppError> {
    let (report, from, to) = build(&state, &period).await?;
    Ok(Json(
        json!({ "from": from.to_string(), "to": to.to_string(), "report": report }),
    ))
}

/// The CSV's columns (docs/reports.md defines each).
const COLUMNS: [&str; 14] = [
    "group",
    "id",
    "name",
    "conversations",
    "answered",
    "missed",
    "first_response_median_s",
    "first_response_p90_s",
    "resolved",
    "resolution_median_s",
    "resolution_p90_s",
    "ratings",
    "rating_average",
    "from_to",
];

pub async fn csv(
    State(state): State<AppState>,
    _admin: Admin,
    Query(period): Query<Period>,
) -> Result<Response, AppError> {
    let (report, from, to) = build(&state, &period).await?;
    let overall = Group {
        id: String::new(),
        name: "Everyone".into(),
        stats: report.overall.clone(),
    };
    let number = |n: Option<f64>| n.map_or(String::new(), |n| format!("{n:.1}"));
    let period = format!("{from}/{to}");
    let rows = std::iter::once(("overall", &overall))
        .chain(report.agents.iter().map(|g| ("agent", g)))
        .chain(report.teams.iter().map(|g| ("team", g)))
        .map(|(kind, g)| {
            let s = &g.stats;
            vec![
                kind.to_owned(),
                g.id.clone(),
                g.name.clone(),
                s.conversations.to_string(),
                s.answered.to_string(),
                s.missed.to_string(),
                number(s.first_response.median_s),
                number(s.first_response.p90_s),
                s.resolution.count.to_string(),
                number(s.resolution.median_s),
                number(s.resolution.p90_s),
                s.ratings.count.to_string(),
                number(s.ratings.average),
                period.clone(),
            ]
        });
    Ok(crate::csv::download(
        &format!("chinwag-report-{from}-{to}.csv"),
        crate::csv::table(&COLUMNS, rows),
    ))
}
