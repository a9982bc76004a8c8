//! The meetings worker: sends waiting invitations (retrying with backoff, every
//! failure kept on the email for the meetings list) and brings hosts' CalDAV calendars
//! up to date with each meeting (written on booking and on every move, removed on
//! cancel, retried until it works). One task per server; woken at once after a change.

use super::book::agent_calendar;
use super::email::{fill, host_texts, texts};
use super::ical::{Invitation, Method};
use super::store::{self, Email, Meeting, Notice, Recipient};
use crate::db;
use crate::state::AppState;
use jiff::tz::TimeZone;
use std::time::Duration;

/// Waits between attempts: 30 s, 1 min, 2 min, … up to an hour.
fn backoff(attempts: i64) -> i64 {
    (30i64 << attempts.clamp(0, 7)).min(3_600)
}

pub fn start(state: AppState) {
    let tasks = state.tasks.clone();
    tasks.keep("meetings worker", move |_| {
        let state = state.clone();
        async move {
            loop {
                let woken = state.meetings.wake.notified();
                if let Err(e) = round(&state).await {
                    tracing::warn!("meetings worker: {e}");
                }
                let _ = tokio::time::timeout(Duration::from_secs(2), woken).await;
            }
        }
    });
}

/// The lease: one node sends invitations and writes calendars at a time. Renewed
/// before every send, so a slow round (a mail or calendar server timing out) never
/// outlives it while another node takes over.
const LEASE: Duration = Duration::from_secs(120);

async fn holding(state: &AppState) -> sqlx::Result<bool> {
    crate::cluster::lease::hold(&state.db, "meetings", state.fanout.node(), LEASE).await
}

async fn round(state: &AppState) -> anyhow::Result<()> {
    if !holding(state).await? {
        return Ok(());
    }
    let now = (db::now_ms() / 1000) as i64;
    for email in store::due_emails(&state.db, now).await? {
        if !holding(state).await? {
            return Ok(());
        }
        let Some(meeting) = store::meeting(&state.db, &email.meeting_id).await? else {
            continue;
        };
        // An invitation older than the meeting's last change (it waited while the mail
        // server was down) would bring back a time, or a meeting, that is gone: the
        // change's own email goes instead (when it was queued; else this one goes, with
        // the meeting as it is now).
        let stale = email.kind != Notice::Cancel
            && (meeting.status == store::Status::Cancelled || email.sequence < meeting.sequence)
            && store::later_email(&state.db, &meeting.id, email.recipient, email.sequence).await?;
        if stale {
            store::email_superseded(&state.db, &email.id, now).await?;
            continue;
        }
        match send(state, &email, &meeting).await {
            Ok(()) => store::email_sent(&state.db, &email.id, now).await?,
            Err(problem) => {
                tracing::warn!(meeting = %meeting.id, recipient = <&str>::from(email.recipient), problem, "invitation not sent; will retry");
                store::email_failed(&state.db, &email.id, &problem, now + backoff(email.attempts)).await?;
            }
        }
    }
    // A host whose calendar fails is skipped for the rest of the round, their meetings
    // left out of the next batch: the others' meetings are still written, however many
    // of theirs wait. A few batches a round at most.
    let mut broken: Vec<String> = Vec::new();
    for _ in 0..4 {
        let batch = store::unsynced(&state.db, &broken).await?;
        if batch.is_empty() {
            break;
        }
        sync(state, batch, &mut broken, now).await?;
    }
    Ok(())
}

/// Writes (or deletes) the meetings' copies in their hosts' calendars; a host whose
/// calendar fails joins `broken`, and their other meetings wait for the next round.
async fn sync(
    state: &AppState,
    batch: Vec<Meeting>,
    broken: &mut Vec<String>,
    now: i64,
) -> anyhow::Result<()> {
    for meeting in batch {
        if !holding(state).await? {
            return Ok(());
        }
        if broken.contains(&meeting.host_id) {
            continue;
        }
        let synced = match agent_calendar(state, &meeting.host_id).await {
            Ok(Some(calendar)) => {
                let uid = uid(&meeting);
                if meeting.status == store::Status::Booked {
                    let zone = host_zone(state, &meeting).await;
                    match invitation(state, &meeting, Method::Publish, &zone).await {
                        Ok(ics) => calendar.put(&state.meetings.http, &uid, ics).await,
                        Err(e) => Err(format!("the event could not be written: {e}")),
                    }
                } else {
                    calendar.delete(&state.meetings.http, &uid).await
                }
            }
            Ok(None) => Ok(()),
            Err(problem) => Err(problem),
        };
        match synced {
            Ok(()) => store::set_synced(&state.db, &meeting.id, meeting.sequence).await?,
            Err(problem) => {
                tracing::warn!(meeting = %meeting.id, problem, "the host's calendar was not updated; will retry");
                store::set_health(&state.db, &meeting.host_id, Some(&problem), now).await?;
                // Retried on a later round; no point hammering a broken calendar now.
                broken.push(meeting.host_id.clone());
            }
        }
    }
    Ok(())
}

pub fn uid(meeting: &Meeting) -> String {
    format!("{}@chinwag", meeting.id)
}

async fn host_zone(state: &AppState, meeting: &Meeting) -> String {
    store::availability(&state.db, &meeting.host_id)
        .await
        .ok()
        .flatten()
        .map_or_else(|| "UTC".into(), |a| a.time_zone)
}

/// The iCalendar text of a meeting, its times written in `zone`.
pub async fn invitation(
    state: &AppState,
    meeting: &Meeting,
    method: Method,
    zone: &str,
) -> anyhow::Result<String> {
    let host = db::agent(&state.db, &meeting.host_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no host {}", meeting.host_id))?;
    let settings = super::book::place_settings(state, &meeting.site_id).await;
    let manage = manage_link(state, meeting);
    Ok(Invitation {
        uid: &uid(meeting),
        sequence: meeting.sequence,
        method,
        start: meeting.start_at,
        end: meeting.end_at,
        zone,
        summary: &format!("{} / {}", meeting.visitor_name, host.name),
        description: &format!("{}\n{manage}", settings.location),
        location: &settings.location,
        organizer: (&host.name, &host.email),
        attendee: (&meeting.visitor_name, &meeting.visitor_email),
        now: (db::now_ms() / 1000) as i64,
    }
    .to_ics())
}

pub fn manage_link(state: &AppState, meeting: &Meeting) -> String {
    format!(
        "{}/meetings/manage?id={}&token={}",
        state.meetings.public_url.trim_end_matches('/'),
        meeting.id,
        state.signer.sign(&format!("meeting:{}", meeting.id))
    )
}

/// A time as a recipient reads it: `2026-12-01 10:00 (Europe/Lisbon)`.
pub fn when(at: i64, zone: &str) -> String {
    let tz = TimeZone::get(zone).unwrap_or(TimeZone::UTC);
    jiff::Timestamp::from_second(at)
        .map(|t| format!("{} ({zone})", tz.to_datetime(t).strftime("%Y-%m-%d %H:%M")))
        .unwrap_or_default()
}

async fn send(state: &AppState, email: &Email, meeting: &Meeting) -> Result<(), String> {
    let host = db::agent(&state.db, &meeting.host_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the host is gone")?;
    let (to, to_name, zone) = match email.recipient {
        Recipient::Host => (
            host.email.clone(),
            host.name.clone(),
            host_zone(state, meeting).await,
        ),
        Recipient::Visitor => (
            meeting.visitor_email.clone(),
            meeting.visitor_name.clone(),
            meeting.visitor_zone.clone(),
        ),
    };
    let cancel = email.kind == Notice::Cancel;
    let moved = meeting.sequence > 0;
    let settings = super::book::place_settings(state, &meeting.site_id).await;
    // The host gets the host's text in the host's language; the site's own subject and
    // body are written to visitors and are theirs only (docs/meetings.md).
    let for_host = email.recipient == Recipient::Host;
    let built_in = match for_host {
        true => host_texts(
            &store::agent_locale(&state.db, &meeting.host_id)
                .await
                .map_err(|e| e.to_string())?,
        ),
        false => texts(&meeting.locale),
    };
    let own = |text: &str| !for_host && !text.is_empty();
    let subject = match (cancel, own(&settings.subject), moved) {
        (true, _, _) => built_in.cancelled,
        (false, true, _) => settings.subject.as_str(),
        (false, false, true) => built_in.moved,
        (false, false, false) => built_in.booked,
    };
    let body = match (cancel, own(&settings.body), moved) {
        (true, _, _) => built_in.cancelled_body,
        (false, true, _) => settings.body.as_str(),
        (false, false, true) => built_in.moved_body,
        (false, false, false) => built_in.body,
    };
    let first = meeting
        .visitor_name
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_owned();
    let start = when(meeting.start_at, &zone);
    let manage = manage_link(state, meeting);
    let values = [
        ("visitor.name", meeting.visitor_name.as_str()),
        ("visitor.first_name", first.as_str()),
        ("visitor.email", meeting.visitor_email.as_str()),
        ("agent.name", host.name.as_str()),
        ("meeting.start", start.as_str()),
        ("meeting.link", settings.location.as_str()),
        ("meeting.manage", manage.as_str()),
    ];
    let method = if cancel { Method::Cancel } else { Method::Request };
    let ics = invitation(state, meeting, method, &zone)
        .await
        .map_err(|e| e.to_string())?;
    state
        .meetings
        .mailer
        .send(
            &to,
            &to_name,
            &fill(subject, &values),
            &fill(body, &values),
            ics,
            cancel,
        )
        .await
}
