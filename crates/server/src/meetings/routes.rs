//! The meetings' HTTP handlers. Visitors (from the widget, origin-checked and rate
//! limited): slots, book, and their own meeting by its signed token (view, move, cancel,
//! .ics). Agents (signed in): working hours, calendar, the meetings list, outcomes;
//! admins: every meeting and the site's settings.

use super::book::{self, Refusal, Request};
use super::calendar::Calendar;
use super::settings::Settings;
use super::store::{self, CalendarKind, Meeting, Notice, Recipient, Status, StoredCalendar};
use super::worker;
use crate::access::auth::{Admin, SignedIn};
use crate::db;
use crate::error::AppError;
use crate::page_call::{self, cors, json_body, PageSite};
use crate::peer::Peer;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chinwag_scheduling::{Availability, Slot};
use jiff::tz::TimeZone;
use serde::Deserialize;
use serde_json::{json, Value};

fn now() -> i64 {
    (db::now_ms() / 1000) as i64
}

/// A visitor's meeting call is within its address's budget (each reads calendars).
fn within_budget(state: &AppState, peer: &Peer) -> Result<(), AppError> {
    state
        .limits
        .meeting_call(peer.0)
        .map_err(|wait| AppError::too_many("meeting requests", wait))
}

fn zone(name: &str) -> Result<TimeZone, AppError> {
    TimeZone::get(name).map_err(|_| AppError::BadRequest(format!("`{name}` is not an IANA time zone")))
}

fn slot_list(slots: &[Slot]) -> Value {
    json!(slots
        .iter()
        .map(|s| json!({ "start": s.start, "end": s.end }))
        .collect::<Vec<_>>())
}

#[derive(Deserialize)]
pub struct SlotQuery {
    dialogue: String,
    card: String,
    zone: String,
    #[serde(default)]
    locale: String,
}

/// `GET /api/sites/{site}/meetings/slots?dialogue=&card=&zone=`
pub async fn slots(
    State(state): State<AppState>,
    PageSite(site): PageSite,
    Query(q): Query<SlotQuery>,
    peer: Peer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    within_budget(&state, &peer)?;
    let place = book::place(&state, &site.id, &q.dialogue, &q.card).await?;
    let slots = book::offer(&state, &place, &zone(&q.zone)?, now()).await?;
    let body = json!({
        "zone": q.zone,
        "length_minutes": place.rules.length_minutes,
        "slots": slot_list(&slots),
        // The card's texts in the visitor's language: no text in the widget's code.
        "texts": chinwag_site::meeting::texts(&q.locale),
    });
    Ok(cors(Json(body).into_response(), &headers))
}

#[derive(Deserialize)]
pub struct BookBody {
    dialogue: String,
    card: String,
    start: i64,
    zone: String,
    #[serde(default)]
    locale: String,
    name: String,
    email: String,
    #[serde(default)]
    transcript: Value,
}

fn check_visitor(name: &str, email: &str) -> Result<(), AppError> {
    if name.trim().is_empty() || name.chars().count() > 200 {
        return Err(AppError::BadRequest(
            "give a name (at most 200 characters)".into(),
        ));
    }
    if !chinwag_dialogue::fields::is_email(email) {
        return Err(AppError::BadRequest(format!("`{email}` is not an email address")));
    }
    Ok(())
}

fn refused(refusal: Refusal, headers: &HeaderMap) -> Response {
    match refusal {
        Refusal::Taken(slots) => cors(
            (
                StatusCode::CONFLICT,
                Json(
                    json!({ "error": "that time was just taken; pick another", "slots": slot_list(&slots) }),
                ),
            )
                .into_response(),
            headers,
        ),
        Refusal::Error(e) => cors(e.into_response(), headers),
    }
}

/// What the widget keeps of a meeting.
fn summary(state: &AppState, m: &Meeting, host: &str) -> Value {
    json!({
        "id": m.id,
        "token": state.signer.sign(&format!("meeting:{}", m.id)),
        "status": m.status,
        "start": m.start_at,
        "end": m.end_at,
        "host": host,
        "zone": m.visitor_zone,
    })
}

async fn host_name(state: &AppState, id: &str) -> String {
    db::agent(&state.db, id)
        .await
        .ok()
        .flatten()
        .map_or_else(String::new, |a| a.name)
}

/// After a change: invitations to both and the calendar copy (by the worker), and the
/// host's inbox told.
async fn changed(state: &AppState, m: &Meeting) -> Result<(), AppError> {
    let kind = match m.status {
        Status::Booked => Notice::Request,
        Status::Cancelled => Notice::Cancel,
    };
    for recipient in [Recipient::Visitor, Recipient::Host] {
        store::enqueue_email(&state.db, &m.id, recipient, kind, m.sequence, now()).await?;
    }
    state.meetings.wake.notify_one();
    let change = match (kind, m.sequence) {
        (Notice::Cancel, _) => "cancelled",
        (_, 0) => "booked",
        _ => "moved",
    };
    state.fanout.to_inbox(chinwag_protocol::ServerFrame::Meeting(
        chinwag_protocol::MeetingNotice {
            id: m.id.clone(),
            host: m.host_id.clone(),
            start: m.start_at,
            visitor: m.visitor_name.clone(),
            change: change.into(),
        },
    ));
    Ok(())
}

/// `POST /api/sites/{site}/meetings`
pub async fn create(
    State(state): State<AppState>,
    PageSite(site): PageSite,
    peer: Peer,
    headers: HeaderMap,
    body: String,
) -> Result<Response, AppError> {
    within_budget(&state, &peer)?;
    let body: BookBody = json_body(&body)?;
    check_visitor(&body.name, &body.email)?;
    zone(&body.zone)?;
    let place = book::place(&state, &site.id, &body.dialogue, &body.card).await?;
    let transcript = match body.transcript {
        Value::Array(lines) if lines.len() <= 500 => Value::Array(lines),
        _ => json!([]),
    };
    let request = Request {
        start: body.start,
        zone: body.zone,
        locale: chinwag_site::locale::built_in(&body.locale).into(),
        name: body.name.trim().into(),
        email: body.email.trim().into(),
        transcript,
    };
    match book::book(&state, &place, &request, now()).await {
        Ok(m) => {
            changed(&state, &m).await?;
            tracing::info!(meeting = %m.id, host = %m.host_id, "meeting booked");
            let host = host_name(&state, &m.host_id).await;
            Ok(cors(
                (StatusCode::CREATED, Json(summary(&state, &m, &host))).into_response(),
                &headers,
            ))
        }
        Err(refusal) => Ok(refused(refusal, &headers)),
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: String,
}

/// The meeting a visitor's token names.
pub async fn owned(state: &AppState, id: &str, token: &str) -> Result<Meeting, AppError> {
    let named = state
        .signer
        .verify(token)
        .and_then(|t| t.strip_prefix("meeting:").map(str::to_owned));
    if named.as_deref() != Some(id) {
        return Err(AppError::Forbidden(
            "this link is not valid for this meeting".into(),
        ));
    }
    store::meeting(&state.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such meeting".into()))
}

/// `GET /api/meetings/{id}?token=`
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let m = owned(&state, &id, &q.token).await?;
    let host = host_name(&state, &m.host_id).await;
    Ok(cors(Json(summary(&state, &m, &host)).into_response(), &headers))
}

/// `GET /api/meetings/{id}/invite.ics?token=`: "add to calendar".
pub async fn ics(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Result<Response, AppError> {
    let m = owned(&state, &id, &q.token).await?;
    let method = match m.status {
        Status::Cancelled => super::ical::Method::Cancel,
        Status::Booked => super::ical::Method::Publish,
    };
    let text = worker::invitation(&state, &m, method, &m.visitor_zone).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"meeting.ics\"",
            ),
        ],
        text,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct Change {
    token: String,
    /// A new start; absent: cancel.
    start: Option<i64>,
}

/// `POST /api/meetings/{id}/reschedule` and `/cancel`: by the visitor's token.
pub async fn change(
    State(state): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    peer: Peer,
    headers: HeaderMap,
    body: String,
) -> Result<Response, AppError> {
    let body: Change = json_body(&body)?;
    let m = owned(&state, &id, &body.token).await?;
    // Links in emails are followed from anywhere: the token is the permission.
    match page_call::site(&state, &m.site_id, &headers, "meeting change").await {
        Ok(_) | Err(AppError::Forbidden(_)) => {}
        Err(e) => return Err(e),
    }
    within_budget(&state, &peer)?;
    let now = now();
    match (action.as_str(), body.start) {
        ("cancel", _) => {
            if !store::cancel(&state.db, &m.id, now).await? {
                return Err(AppError::BadRequest("this meeting is already cancelled".into()));
            }
        }
        ("reschedule", Some(start)) => {
            let place = book::place(&state, &m.site_id, &m.dialogue_id, &m.card).await?;
            if let Err(refusal) = book::reschedule(&state, &place, &m, start, now).await {
                return Ok(refused(refusal, &headers));
            }
        }
        _ => return Err(AppError::BadRequest("reschedule needs a start".into())),
    }
    let m = store::meeting(&state.db, &id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such meeting".into()))?;
    changed(&state, &m).await?;
    let host = host_name(&state, &m.host_id).await;
    Ok(cors(Json(summary(&state, &m, &host)).into_response(), &headers))
}

/// `GET /api/me/availability`
pub async fn my_availability(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(
        store::availability(&state.db, &signed_in.agent.id).await?
    )))
}

/// `PUT /api/me/availability`: problems come back with their paths.
pub async fn put_availability(
    State(state): State<AppState>,
    signed_in: SignedIn,
    body: String,
) -> Result<Json<Value>, AppError> {
    let availability: Availability =
        serde_json::from_str(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let problems = availability.problems();
    if !problems.is_empty() {
        let lines: Vec<String> = problems.into_iter().map(|(p, m)| format!("{p}: {m}")).collect();
        return Err(AppError::BadRequest(lines.join("\n")));
    }
    store::put_availability(&state.db, &signed_in.agent.id, &availability).await?;
    Ok(Json(json!(availability)))
}

/// `GET /api/me/locale`: the language of the agent's own meeting emails, and the choices.
pub async fn my_locale(State(state): State<AppState>, signed_in: SignedIn) -> Result<Json<Value>, AppError> {
    let locale = store::agent_locale(&state.db, &signed_in.agent.id).await?;
    Ok(Json(
        json!({ "locale": locale, "choices": chinwag_site::locale::SUPPORTED }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocaleBody {
    locale: String,
}

/// `PUT /api/me/locale` with `{"locale": "pt"}`: one of the built-in languages
/// (`pt-BR` is kept as `pt`); anything else is refused.
pub async fn put_locale(
    State(state): State<AppState>,
    signed_in: SignedIn,
    body: String,
) -> Result<Json<Value>, AppError> {
    let body: LocaleBody = serde_json::from_str(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let locale = chinwag_site::locale::built_in(&body.locale);
    let english = body.locale.split(['-', '_']).next() == Some("en");
    if locale == "en" && !english {
        return Err(AppError::BadRequest(format!(
            "locale: `{}` is not one of {}",
            body.locale,
            chinwag_site::locale::SUPPORTED.join(", ")
        )));
    }
    store::put_agent_locale(&state.db, &signed_in.agent.id, locale).await?;
    Ok(Json(json!({ "locale": locale })))
}

#[derive(Deserialize)]
pub struct CalendarBody {
    kind: String,
    url: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

fn calendar_view(c: &StoredCalendar) -> Value {
    json!({ "kind": c.kind, "url": c.url, "username": c.username, "problem": c.problem, "checked_at": c.checked_at })
}

/// `GET /api/me/calendar`: never the password.
pub async fn my_calendar(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<Value>, AppError> {
    let c = store::calendar(&state.db, &signed_in.agent.id).await?;
    Ok(Json(c.as_ref().map_or(Value::Null, calendar_view)))
}

/// `PUT /api/me/calendar`: read once at once, so a wrong URL or password shows now.
pub async fn put_calendar(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Json(body): Json<CalendarBody>,
) -> Result<Json<Value>, AppError> {
    let url = body.url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(AppError::BadRequest(
            "the calendar URL starts with https://".into(),
        ));
    }
    let kind: CalendarKind = body
        .kind
        .parse()
        .map_err(|_| AppError::BadRequest(format!("kind is `caldav` or `ics`, not `{}`", body.kind)))?;
    let calendar = match kind {
        CalendarKind::CalDav => Calendar::CalDav {
            url: url.into(),
            username: body.username.clone(),
            password: body.password.clone(),
        },
        CalendarKind::Ics => Calendar::Feed { url: url.into() },
    };
    let now = now();
    let zone = store::availability(&state.db, &signed_in.agent.id)
        .await?
        .and_then(|a| a.zone().ok())
        .unwrap_or(TimeZone::UTC);
    let problem = calendar
        .busy(&state.meetings.http, &zone, now, now + 86_400)
        .await
        .err();
    let stored = StoredCalendar {
        kind,
        url: url.into(),
        username: body.username,
        sealed_password: state.sealer.seal(&body.password),
        problem,
        checked_at: Some(now),
    };
    store::put_calendar(&state.db, &signed_in.agent.id, &stored).await?;
    Ok(Json(calendar_view(&stored)))
}

/// `DELETE /api/me/calendar`
pub async fn delete_calendar(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<StatusCode, AppError> {
    store::delete_calendar(&state.db, &signed_in.agent.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/calendar-problems`: admins see everyone's, agents their own.
pub async fn calendar_problems(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<Value>, AppError> {
    let all = store::calendar_problems(&state.db).await?;
    let admin = signed_in.admin().is_ok();
    let shown: Vec<Value> = all
        .into_iter()
        .filter(|(agent, _, _)| admin || *agent == signed_in.agent.id)
        .map(|(agent, name, problem)| json!({ "agent": agent, "name": name, "problem": problem }))
        .collect();
    Ok(Json(json!(shown)))
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    format: String,
}

/// `GET /api/meetings` (`?format=csv`): agents their own, admins all; with the reason,
/// the emails' state and the host's name.
pub async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let host = if signed_in.admin().is_ok() {
        None
    } else {
        Some(signed_in.agent.id.as_str())
    };
    let meetings = store::list(&state.db, host).await?;
    let names: std::collections::BTreeMap<String, String> = db::agents(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    if q.format == "csv" {
        let rows = meetings.iter().map(|m| {
            [
                m.id.clone(),
                worker::when(m.start_at, "UTC"),
                worker::when(m.end_at, "UTC"),
                <&str>::from(m.status).to_owned(),
                m.outcome.clone().unwrap_or_default(),
                m.visitor_name.clone(),
                m.visitor_email.clone(),
                names.get(&m.host_id).cloned().unwrap_or_default(),
                m.dialogue_id.clone(),
                m.reason.to_string(),
            ]
        });
        let header = [
            "id",
            "start",
            "end",
            "status",
            "outcome",
            "visitor_name",
            "visitor_email",
            "host",
            "dialogue",
            "reason",
        ];
        let csv = crate::csv::table(&header, rows);
        return Ok(crate::csv::download("meetings.csv", csv));
    }
    let mut out = Vec::new();
    for m in &meetings {
        let mut v = serde_json::to_value(m).map_err(anyhow::Error::from)?;
        v["host_name"] = json!(names.get(&m.host_id));
        v["emails"] = json!(store::emails_of(&state.db, &m.id).await?);
        out.push(v);
    }
    Ok(Json(json!(out)).into_response())
}

#[derive(Deserialize)]
pub struct OutcomeBody {
    outcome: String,
}

/// `POST /api/meetings/{id}/outcome`: the host (or an admin) marks a past meeting.
pub async fn outcome(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Json(body): Json<OutcomeBody>,
) -> Result<Json<Value>, AppError> {
    if !["held", "no_show"].contains(&body.outcome.as_str()) {
        return Err(AppError::BadRequest("outcome is `held` or `no_show`".into()));
    }
    let m = store::meeting(&state.db, &id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such meeting".into()))?;
    if m.host_id != signed_in.agent.id {
        signed_in.admin()?;
    }
    if !store::set_outcome(&state.db, &id, &body.outcome, now()).await? {
        return Err(AppError::BadRequest(
            "only a booked meeting that has ended can be marked".into(),
        ));
    }
    Ok(Json(json!({ "id": id, "outcome": body.outcome })))
}

/// `GET /api/sites/{site}/meeting-settings` (admins).
pub async fn settings(
    State(state): State<AppState>,
    _admin: Admin,
    Path(site): Path<String>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(book::place_settings(&state, &site).await)))
}

/// `PUT /api/sites/{site}/meeting-settings` (admins): checked, errors with paths.
pub async fn put_settings(
    State(state): State<AppState>,
    _admin: Admin,
    Path(site): Path<String>,
    body: String,
) -> Result<Json<Value>, AppError> {
    db::site(&state.db, &site)
        .await?
        .ok_or_else(|| AppError::NotFound("no such site".into()))?;
    let settings = Settings::read(&body).map_err(AppError::BadRequest)?;
    store::put_settings(
        &state.db,
        &site,
        &serde_json::to_string(&settings).unwrap_or_default(),
    )
    .await?;
    Ok(Json(json!(settings)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visitors_give_a_name_and_an_email() {
        assert!(check_visitor("Ana", "ana@acme.com").is_ok());
        assert!(check_visitor(" ", "ana@acme.com").is_err());
        assert!(check_visitor("Ana", "ana@acme").is_err());
        assert!(check_visitor("Ana", "a na@acme.com").is_err());
    }
}
