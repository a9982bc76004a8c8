//! Offering slots and booking them: reads the hosts' working hours, calendars (health
//! recorded) and meetings, asks `chinwag-scheduling` for slots and for the host, and
//! stores the meeting in one guarded write. Visitors never learn who is free; only
//! when.

use super::calendar::Calendar;
use super::settings::Settings;
use super::store::{self, Meeting};
use crate::data::leads_store;
use crate::db::{self, Agent};
use crate::error::AppError;
use crate::state::AppState;
use chinwag_dialogue::{Card, Dialogue, Hosts};
use chinwag_scheduling::round_robin::{self, Candidate, Skip};
use chinwag_scheduling::slots::host_is_free;
use chinwag_scheduling::{Availability, Booked, Host, Interval, Rules, Slot};
use jiff::tz::TimeZone;
use std::collections::BTreeMap;

/// How often a booking picks again after others took its round-robin turn.
const TURNS: usize = 8;

/// Where a booking happens: the site, the dialogue's meeting card, its hosts and rules.
pub struct Place {
    pub site: String,
    pub dialogue: String,
    pub card: String,
    pub rules: Rules,
    pub settings: Settings,
    /// In round-robin order.
    pub hosts: Vec<Agent>,
    /// The round-robin pool's key.
    pub pool: String,
}

/// Finds the meeting card (by its `id` or its path, `stream[2]`) of a stored dialogue.
pub async fn place(state: &AppState, site: &str, dialogue: &str, card: &str) -> Result<Place, AppError> {
    let bodies = db::all_dialogues(&state.db, site).await?;
    let parsed: Option<Dialogue> = bodies
        .iter()
        .filter_map(|b| serde_json::from_str::<Dialogue>(b).ok())
        .find(|d| d.id == dialogue);
    let parsed = parsed.ok_or_else(|| AppError::NotFound(format!("no dialogue {dialogue} on this site")))?;
    let mut found = None;
    chinwag_dialogue::path::walk(&parsed.stream, |path, c| {
        if let Card::Meeting(m) = c {
            if m.id.as_deref() == Some(card) || path.to_string() == card {
                found = Some(m.clone());
            }
        }
    });
    let meeting = found.ok_or_else(|| AppError::NotFound(format!("no meeting card {card} in {dialogue}")))?;
    let ids = match &meeting.hosts {
        Hosts::Agents(ids) => ids.clone(),
        Hosts::Team(team) => store::team_members(&state.db, team).await?,
    };
    let mut hosts = Vec::new();
    for id in &ids {
        if let Some(agent) = db::agent(&state.db, id).await? {
            hosts.push(agent);
        }
    }
    let settings = match store::settings(&state.db, site).await? {
        Some(json) => Settings::read(&json).unwrap_or_default(),
        None => Settings::default(),
    };
    let rules = Rules {
        length_minutes: meeting.duration_minutes,
        ..settings.rules
    };
    let pool = format!("meeting:{site}:{}", ids.join(","));
    Ok(Place {
        site: site.into(),
        dialogue: dialogue.into(),
        card: card.into(),
        rules,
        settings,
        hosts,
        pool,
    })
}

/// One host's inputs, read now.
pub struct HostState {
    pub availability: Option<Availability>,
    /// `Err`: the calendar could not be read (never treated as free).
    pub busy: Result<Vec<Interval>, String>,
    pub meetings: Vec<Booked>,
}

/// The stored calendar of an agent, password unsealed.
pub async fn agent_calendar(state: &AppState, agent: &str) -> Result<Option<Calendar>, String> {
    let Ok(stored) = store::calendar(&state.db, agent).await else {
        return Err("the calendar settings cannot be read".into());
    };
    let Some(stored) = stored else { return Ok(None) };
    Ok(Some(match stored.kind {
        store::CalendarKind::Ics => Calendar::Feed { url: stored.url },
        store::CalendarKind::CalDav => Calendar::CalDav {
            url: stored.url,
            username: stored.username,
            password: state.sealer.open(&stored.sealed_password).ok_or(
                "the calendar password cannot be unsealed (the server's secret changed): enter it again",
            )?,
        },
    }))
}

/// The instants of the local day (in `zone`) that `at` falls on.
fn local_day(zone: &TimeZone, at: i64) -> Option<(i64, i64)> {
    let date = chinwag_scheduling::availability::local_date(zone, at)?;
    let start = |d: jiff::civil::Date| {
        zone.to_ambiguous_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
            .compatible()
            .ok()
            .map(|t| t.as_second())
    };
    Some((start(date)?, start(date.tomorrow().ok()?)?))
}

/// Reads one host's calendar (recording its health) and meetings around `[from, to)`.
pub async fn host_state(
    state: &AppState,
    agent: &str,
    from: i64,
    to: i64,
    now: i64,
) -> Result<HostState, AppError> {
    let availability = store::availability(&state.db, agent).await?;
    let zone = availability
        .as_ref()
        .and_then(|a| a.zone().ok())
        .unwrap_or(TimeZone::UTC);
    let busy = match agent_calendar(state, agent).await {
        Ok(None) => Ok(Vec::new()),
        Ok(Some(calendar)) => {
            let read = calendar.busy(&state.meetings.http, &zone, from, to).await;
            store::set_health(&state.db, agent, read.as_ref().err().map(String::as_str), now).await?;
            if let Err(problem) = &read {
                tracing::warn!(
                    agent,
                    problem,
                    "calendar unreadable: the agent is offered as busy"
                );
            }
            read
        }
        Err(problem) => {
            store::set_health(&state.db, agent, Some(&problem), now).await?;
            Err(problem)
        }
    };
    let meetings = store::host_meetings(&state.db, agent, from - 86_400, to + 86_400).await?;
    Ok(HostState {
        availability,
        busy,
        meetings,
    })
}

async fn host_states(
    state: &AppState,
    place: &Place,
    from: i64,
    to: i64,
    now: i64,
) -> Result<Vec<HostState>, AppError> {
    let reads = place
        .hosts
        .iter()
        .map(|h| host_state(state, &h.id, from, to, now));
    futures_util::future::try_join_all(reads).await
}

fn window(rules: &Rules, now: i64) -> (i64, i64) {
    let from = now + i64::from(rules.notice_minutes) * 60 - i64::from(rules.buffer_before_minutes) * 60;
    let to = now
        + i64::from(rules.days_ahead) * 86_400
        + i64::from(rules.length_minutes + rules.buffer_after_minutes) * 60;
    (from, to)
}

/// Every slot some host can take, with no host named.
pub async fn offer(
    state: &AppState,
    place: &Place,
    zone: &TimeZone,
    now: i64,
) -> Result<Vec<Slot>, AppError> {
    let (from, to) = window(&place.rules, now);
    let states = host_states(state, place, from, to, now).await?;
    Ok(compute(&states, &place.rules, zone, now))
}

fn compute(states: &[HostState], rules: &Rules, zone: &TimeZone, now: i64) -> Vec<Slot> {
    let hosts: Vec<Host> = states
        .iter()
        .filter_map(|s| {
            Some(Host {
                availability: s.availability.as_ref()?,
                busy: s.busy.as_ref().ok()?,
                meetings: &s.meetings,
            })
        })
        .collect();
    let mut slots = chinwag_scheduling::slots(&hosts, rules, now, zone);
    for slot in &mut slots {
        slot.hosts.clear();
    }
    slots
}

/// What a visitor gives to book.
pub struct Request {
    pub start: i64,
    pub zone: String,
    pub locale: String,
    pub name: String,
    pub email: String,
    pub transcript: serde_json::Value,
}

pub enum Refusal {
    /// Nobody can take that time (any more): fresh slots to choose from.
    Taken(Vec<Slot>),
    Error(AppError),
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Refusal {
        Refusal::Error(e)
    }
}

impl From<sqlx::Error> for Refusal {
    fn from(e: sqlx::Error) -> Refusal {
        Refusal::Error(e.into())
    }
}

/// A start no listing offers (off the grid, passed, too soon, too far ahead) is a bad
/// request with the reason (400), never "taken" (409: offered, then taken meanwhile).
fn refuse_never_offered(rules: &Rules, now: i64, zone: &TimeZone, start: i64) -> Result<(), AppError> {
    match chinwag_scheduling::never_offered(rules, now, zone, start) {
        Some(reason) => Err(AppError::BadRequest(reason)),
        None => Ok(()),
    }
}

/// Books `request.start` with the host round robin picks among those free now
/// (calendars read again, not from the listing). The database has the last word: when
/// a concurrent booking took the host, the next free host is tried, then the visitor
/// hears the time is taken; when a concurrent booking moved the round-robin position
/// first, the pick is made again after it (`TURNS` times, then in any turn).
pub async fn book(state: &AppState, place: &Place, request: &Request, now: i64) -> Result<Meeting, Refusal> {
    let zone = TimeZone::get(&request.zone)
        .map_err(|_| AppError::BadRequest(format!("`{}` is not an IANA time zone", request.zone)))?;
    refuse_never_offered(&place.rules, now, &zone, request.start)?;
    let (from, to) = window(&place.rules, now);
    let states = host_states(state, place, from, to, now).await?;
    let length = i64::from(place.rules.length_minutes) * 60;
    let span = Interval::new(request.start, request.start + length);
    // On the offered slots only: a start a listing offered but no host can take now was
    // taken meanwhile.
    let offered = compute(&states, &place.rules, &zone, now);
    if !offered.iter().any(|s| s.start == request.start) {
        return Err(Refusal::Taken(offered));
    }
    let month = month_of(request.start);
    let mut order = Vec::new();
    for (host, s) in place.hosts.iter().zip(&states) {
        let unavailable = match (&s.availability, &s.busy) {
            (_, Err(_)) => Some(Skip::CalendarUnreadable),
            (None, _) => Some(Skip::NotFree),
            (Some(a), Ok(busy)) => {
                let h = Host {
                    availability: a,
                    busy,
                    meetings: &s.meetings,
                };
                if host_is_free(&h, &place.rules, now, span) {
                    None
                } else {
                    let capped = Rules {
                        daily_cap: None,
                        ..place.rules
                    };
                    Some(if host_is_free(&h, &capped, now, span) {
                        Skip::DailyCap
                    } else {
                        Skip::NotFree
                    })
                }
            }
        };
        order.push(Candidate {
            host: host.id.clone(),
            unavailable,
            meetings_this_month: store::count_meetings(&state.db, &host.id, month.0, month.1).await?,
            weight: place.settings.weight(&host.id),
        });
    }
    let mut last = store::last_host(&state.db, &place.pool).await?;
    let mut turns_lost = 0;
    loop {
        let last_position = last
            .as_ref()
            .and_then(|l| order.iter().position(|c| &c.host == l));
        let Some(pick) = round_robin::pick(&order, last_position, place.settings.strategy) else {
            return Err(Refusal::Taken(offer(state, place, &zone, now).await?));
        };
        let meeting = Meeting {
            id: db::new_id(),
            site_id: place.site.clone(),
            dialogue_id: place.dialogue.clone(),
            card: place.card.clone(),
            host_id: pick.host.clone(),
            start_at: span.start,
            end_at: span.end,
            busy_from: span.start - i64::from(place.rules.buffer_before_minutes) * 60,
            busy_until: span.end + i64::from(place.rules.buffer_after_minutes) * 60,
            status: store::Status::Booked,
            outcome: None,
            visitor_name: request.name.clone(),
            visitor_email: request.email.clone(),
            visitor_zone: request.zone.clone(),
            locale: request.locale.clone(),
            reason: serde_json::to_value(&pick).unwrap_or_default(),
            sequence: 0,
            transcript: request.transcript.clone(),
            calendar_synced: false,
            created_at: now,
            updated_at: now,
        };
        // After `TURNS` lost races, any turn: fairness slips once rather than refusing a
        // free time.
        let turn = match turns_lost < TURNS {
            true => store::Turn::After(last.as_deref()),
            false => store::Turn::Any,
        };
        let cap = place.rules.daily_cap.and_then(|most| {
            let zone = states[pick.position].availability.as_ref()?.zone().ok()?;
            let (from, until) = local_day(&zone, span.start)?;
            Some(store::DailyCap { most, from, until })
        });
        match store::insert_in_turn(&state.db, &meeting, &place.pool, turn, cap).await {
            // Another booking (on any node) took this turn first: pick again after it.
            Ok(store::Stored::TurnTaken) => {
                turns_lost += 1;
                last = store::last_host(&state.db, &place.pool).await?;
            }
            // A booking beside this one took the host's last place of the day.
            Ok(store::Stored::OverCap) => order[pick.position].unavailable = Some(Skip::DailyCap),
            Ok(store::Stored::Yes) => {
                let mut attributes = BTreeMap::from([("email".to_owned(), meeting.visitor_email.clone())]);
                if let Some(first) = meeting.visitor_name.split_whitespace().next() {
                    attributes.insert("first_name".into(), first.to_owned());
                }
                let owned = (leads_store::Owned::Meeting, meeting.id.as_str());
                leads_store::record(&state.db, &meeting.site_id, &attributes, &[], "meeting", owned).await;
                return Ok(meeting);
            }
            // Taken by a concurrent booking: that host is not free after all.
            Err(e) if store::is_overlap(&e) => order[pick.position].unavailable = Some(Skip::NotFree),
            Err(e) => return Err(e.into()),
        }
    }
}

/// Moves a meeting to `start` with its host, if the host is free then (the meeting's
/// own time does not count against itself).
pub async fn reschedule(
    state: &AppState,
    place: &Place,
    meeting: &Meeting,
    start: i64,
    now: i64,
) -> Result<(), Refusal> {
    let zone = TimeZone::get(&meeting.visitor_zone).unwrap_or(TimeZone::UTC);
    refuse_never_offered(&place.rules, now, &zone, start)?;
    let (from, to) = window(&place.rules, now);
    let mut s = host_state(state, &meeting.host_id, from, to, now).await?;
    s.meetings
        .retain(|m| !(m.meeting.start == meeting.start_at && m.meeting.end == meeting.end_at));
    let own = Interval::new(meeting.start_at, meeting.end_at);
    if let Ok(busy) = &mut s.busy {
        // Our own event in the host's calendar is not a conflict either.
        busy.retain(|b| *b != own);
    }
    let length = i64::from(place.rules.length_minutes) * 60;
    let span = Interval::new(start, start + length);
    let free = match (&s.availability, &s.busy) {
        (Some(a), Ok(busy)) => host_is_free(
            &Host {
                availability: a,
                busy,
                meetings: &s.meetings,
            },
            &place.rules,
            now,
            span,
        ),
        _ => false,
    };
    let fresh = |s: &HostState| compute(std::slice::from_ref(s), &place.rules, &zone, now);
    if !free || !fresh(&s).iter().any(|x| x.start == start) {
        return Err(Refusal::Taken(fresh(&s)));
    }
    let busy = Interval::new(
        span.start - i64::from(place.rules.buffer_before_minutes) * 60,
        span.end + i64::from(place.rules.buffer_after_minutes) * 60,
    );
    match store::reschedule(&state.db, &meeting.id, span, busy, now).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(Refusal::Error(AppError::BadRequest(
            "this meeting is cancelled".into(),
        ))),
        Err(e) if store::is_overlap(&e) => Err(Refusal::Taken(fresh(&s))),
        Err(e) => Err(e.into()),
    }
}

/// The calendar month (UTC) around an instant, for equal distribution's counts.
fn month_of(at: i64) -> (i64, i64) {
    let Ok(t) = jiff::Timestamp::from_second(at) else {
        return (at, at);
    };
    let date = t.to_zoned_datetime(TimeZone::UTC).date();
    let first = date.first_of_month();
    let next = first.last_of_month().tomorrow().unwrap_or(first);
    let start = |d: jiff::civil::Date| {
        TimeZone::UTC
            .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
            .map_or(at, |t| t.as_second())
    };
    (start(first), start(next))
}

/// A site's settings, or the defaults.
pub async fn place_settings(state: &AppState, site: &str) -> Settings {
    match store::settings(&state.db, site).await {
        Ok(Some(json)) => Settings::read(&json).unwrap_or_default(),
        _ => Settings::default(),
    }
}
