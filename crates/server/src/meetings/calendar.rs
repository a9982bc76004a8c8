//! Agents' calendars over HTTP: a CalDAV collection (busy times by a calendar-query
//! REPORT with a time range; our meetings written with PUT and removed with DELETE) or
//! a read-only iCalendar feed (what Google and Outlook publish). Recurring events are
//! expanded here (`ical::busy`), as servers without `expand` support (Radicale) send
//! the series.
//!
//! Every failure is a sentence an agent can act on; the caller records it as the
//! calendar's health, and a calendar that cannot be read is never taken as free.

use super::ical::{self, utc};
use chinwag_scheduling::Interval;
use jiff::tz::TimeZone;
use std::time::Duration;

/// How long a calendar may take to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Calendar {
    CalDav {
        url: String,
        username: String,
        password: String,
    },
    Feed {
        url: String,
    },
}

impl Calendar {
    fn request(&self, client: &reqwest::Client, method: &str, url: &str) -> reqwest::RequestBuilder {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let builder = client.request(method, url).timeout(TIMEOUT);
        match self {
            Calendar::CalDav {
                username, password, ..
            } if !username.is_empty() => builder.basic_auth(username, Some(password)),
            _ => builder,
        }
    }

    /// Busy spans between `from` and `to`; floating times and all-day events in `zone`.
    pub async fn busy(
        &self,
        client: &reqwest::Client,
        zone: &TimeZone,
        from: i64,
        to: i64,
    ) -> Result<Vec<Interval>, String> {
        let body = match self {
            Calendar::CalDav { url, .. } => {
                let query = format!(
                    r#"<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
<D:prop><C:calendar-data/></D:prop>
<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
<C:time-range start="{}" end="{}"/></C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"#,
                    utc(from),
                    utc(to)
                );
                let response = self
                    .request(client, "REPORT", url)
                    .header("Depth", "1")
                    .header("Content-Type", "application/xml; charset=utf-8")
                    .body(query)
                    .send()
                    .await;
                let xml = answer(response).await?;
                calendar_data(&xml)?.join("\n")
            }
            Calendar::Feed { url } => answer(self.request(client, "GET", url).send().await).await?,
        };
        Ok(ical::busy(&body, zone, from, to))
    }

    /// Writes (or replaces) the event `uid` in a CalDAV calendar; feeds are read-only.
    pub async fn put(&self, client: &reqwest::Client, uid: &str, ics: String) -> Result<(), String> {
        let Calendar::CalDav { url, .. } = self else {
            return Ok(());
        };
        let response = self
            .request(client, "PUT", &event_url(url, uid))
            .header("Content-Type", "text/calendar; charset=utf-8")
            .body(ics)
            .send()
            .await;
        answer(response).await.map(drop)
    }

    /// Removes the event `uid`; one already gone is fine.
    pub async fn delete(&self, client: &reqwest::Client, uid: &str) -> Result<(), String> {
        let Calendar::CalDav { url, .. } = self else {
            return Ok(());
        };
        match self.request(client, "DELETE", &event_url(url, uid)).send().await {
            Ok(r) if r.status() == reqwest::StatusCode::NOT_FOUND => Ok(()),
            response => answer(response).await.map(drop),
        }
    }
}

fn event_url(collection: &str, uid: &str) -> String {
    let safe: String = uid
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("{}/{safe}.ics", collection.trim_end_matches('/'))
}

/// The body of a successful answer, or what went wrong in words.
async fn answer(response: Result<reqwest::Response, reqwest::Error>) -> Result<String, String> {
    let response = response.map_err(|e| {
        if e.is_timeout() {
            format!("the calendar did not answer within {} s", TIMEOUT.as_secs())
        } else if e.is_connect() {
            "the calendar's server cannot be reached".to_owned()
        } else {
            format!("the calendar could not be read: {e}")
        }
    })?;
    let status = response.status();
    match status.as_u16() {
        200..=299 => response
            .text()
            .await
            .map_err(|e| format!("the calendar's answer broke off: {e}")),
        401 | 403 => Err("the calendar refused the user name or password".into()),
        404 | 410 => Err("there is no calendar at this URL".into()),
        _ => Err(format!("the calendar answered HTTP {status}")),
    }
}

/// The text of every `calendar-data` element of a multistatus answer, whatever its
/// namespace prefix, unescaped (any character reference; an unknown entity is kept as
/// written) or from CDATA. An answer that is not XML is an error, never a shorter
/// answer: a calendar that cannot be read makes its host busy (`book::host_state`).
fn calendar_data(xml: &str) -> Result<Vec<String>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut inside: Option<String> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("the calendar's answer is not XML: {e}"))?;
        match event {
            Event::Start(e) if e.local_name().as_ref() == b"calendar-data" => inside = Some(String::new()),
            Event::End(e) if e.local_name().as_ref() == b"calendar-data" => out.extend(inside.take()),
            Event::Text(text) => {
                if let Some(data) = &mut inside {
                    match text.unescape() {
                        Ok(text) => data.push_str(&text),
                        Err(_) => data.push_str(&String::from_utf8_lossy(&text)),
                    }
                }
            }
            Event::CData(cdata) => {
                if let Some(data) = &mut inside {
                    data.push_str(&String::from_utf8_lossy(&cdata));
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_data_is_found_under_any_prefix() {
        let xml = r#"<multistatus xmlns="DAV:"><response><propstat><prop><C:calendar-data>BEGIN:VCALENDAR&#13;
A &amp; B&lt;END&#x2014;&#10;</C:calendar-data></prop></propstat></response><response><cal:calendar-data><![CDATA[X</Y]]></cal:calendar-data><calendar-data/></response></multistatus>"#;
        // Any character reference (the hand-written reader knew five names and `&#13;`),
        // and `</` inside CDATA (it ended the element there).
        assert_eq!(
            calendar_data(xml).unwrap(),
            vec![
                "BEGIN:VCALENDAR\r\nA & B<END\u{2014}\n".to_owned(),
                "X</Y".to_owned()
            ]
        );
    }

    /// A calendar that answers something other than XML is unreadable (its host is then
    /// busy), not empty; an unknown entity in an event's text keeps the event.
    #[test]
    fn an_answer_that_is_not_xml_is_an_error_and_unknown_entities_stay() {
        assert!(calendar_data("<multistatus><response><calendar-data>BEGIN</response>").is_err());
        let xml = "<multistatus><calendar-data>SUMMARY:Lunch&nbsp;break</calendar-data></multistatus>";
        assert_eq!(
            calendar_data(xml).unwrap(),
            vec!["SUMMARY:Lunch&nbsp;break".to_owned()]
        );
    }

    #[test]
    fn event_urls_are_safe() {
        assert_eq!(event_url("http://x/cal/", "m-1/../a"), "http://x/cal/m-1a.ics");
    }
}
