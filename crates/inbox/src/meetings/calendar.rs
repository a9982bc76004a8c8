//! An agent's own working hours and calendar. Typed values stay when the server says
//! no; its problems are shown as it words them (with their paths).

use crate::api::call;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

const DAYS: [(&str, &str); 7] = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
];

/// `09:00-12:30, 14:00-18:00` → blocks; `None` when it does not read.
pub fn blocks(text: &str) -> Option<Vec<Value>> {
    text.split(',')
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| {
            let (start, end) = b.split_once(['-', '–'])?;
            Some(json!({ "start": start.trim(), "end": end.trim() }))
        })
        .collect()
}

fn blocks_text(value: &Value) -> String {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .map(|b| {
                    format!(
                        "{}-{}",
                        b["start"].as_str().unwrap_or(""),
                        b["end"].as_str().unwrap_or("")
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn browser_zone() -> String {
    let options =
        js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new()).resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|z| z.as_string())
        .unwrap_or_else(|| "UTC".into())
}

#[component]
pub fn CalendarSettings(csrf: String) -> impl IntoView {
    let zone = RwSignal::new(browser_zone());
    let days: [RwSignal<String>; 7] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let hours_said = RwSignal::new(None::<Result<String, String>>);
    let kind = RwSignal::new("caldav".to_owned());
    let url = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let calendar_said = RwSignal::new(None::<Result<String, String>>);
    spawn_local(async move {
        if let Ok(a) = call::<Value>("GET", "/api/me/availability", None, "").await {
            if let Some(z) = a["time_zone"].as_str() {
                zone.set(z.to_owned());
            }
            for (i, (key, _)) in DAYS.iter().enumerate() {
                days[i].set(blocks_text(&a["weekly"][key]));
            }
        }
        if let Ok(c) = call::<Value>("GET", "/api/me/calendar", None, "").await {
            if !c.is_null() {
                kind.set(c["kind"].as_str().unwrap_or("caldav").to_owned());
                url.set(c["url"].as_str().unwrap_or("").to_owned());
                user.set(c["username"].as_str().unwrap_or("").to_owned());
                calendar_said.set(Some(match c["problem"].as_str() {
                    Some(p) => Err(p.to_owned()),
                    None => Ok("Your calendar reads fine.".into()),
                }));
            }
        }
    });
    let csrf = StoredValue::new(csrf);
    let save_hours = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let mut weekly = serde_json::Map::new();
        for (i, (key, label)) in DAYS.iter().enumerate() {
            match blocks(&days[i].get_untracked()) {
                Some(b) if !b.is_empty() => {
                    weekly.insert((*key).into(), Value::Array(b));
                }
                Some(_) => {}
                None => {
                    return hours_said.set(Some(Err(format!(
                        "{label}: write times like 09:00-12:30, 14:00-18:00"
                    ))))
                }
            }
        }
        let body = json!({ "time_zone": zone.get_untracked(), "weekly": weekly }).to_string();
        spawn_local(async move {
            let said = call::<Value>("PUT", "/api/me/availability", Some(body), &csrf.get_value()).await;
            hours_said.set(Some(said.map(|_| "Working hours saved.".into())));
        });
    };
    let save_calendar = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let body = json!({ "kind": kind.get_untracked(), "url": url.get_untracked(), "username": user.get_untracked(), "password": password.get_untracked() }).to_string();
        calendar_said.set(Some(Ok("Reading your calendar…".into())));
        spawn_local(async move {
            let said = call::<Value>("PUT", "/api/me/calendar", Some(body), &csrf.get_value()).await;
            calendar_said.set(Some(match said {
                Ok(c) => match c["problem"].as_str() {
                    Some(p) => Err(format!("Saved, but it cannot be read: {p}")),
                    None => Ok("Saved. Your calendar reads fine.".into()),
                },
                Err(e) => Err(e),
            }));
        });
    };
    let said = |s: RwSignal<Option<Result<String, String>>>| {
        move || {
            s.get().map(|r| match r {
                Ok(text) => view! { <p role="status" class="said">{text}</p> }.into_any(),
                Err(text) => view! { <p role="alert" class="said error">{text}</p> }.into_any(),
            })
        }
    };
    view! {
        <section class="settings" aria-labelledby="hours-title">
            <form on:submit=save_hours>
                <h2 id="hours-title">"Working hours"</h2>
                <p class="hint">"When visitors may book you, in your time zone. Several blocks a day: 09:00-12:30, 14:00-18:00. Empty: not working."</p>
                <label>"Time zone (IANA) " <input required prop:value=zone on:input=move |e| zone.set(event_target_value(&e)) /></label>
                {DAYS.iter().enumerate().map(|(i, (_, label))| view! {
                    <label>{*label} " " <input prop:value=days[i] on:input=move |e| days[i].set(event_target_value(&e)) placeholder="09:00-17:00" /></label>
                }).collect_view()}
                <button type="submit">"Save working hours"</button>
                {said(hours_said)}
            </form>
            <form on:submit=save_calendar>
                <h2>"Calendar"</h2>
                <p class="hint">"Busy times are read from it; booked meetings are written to a CalDAV calendar. Use an app password."</p>
                <label>"Kind " <select on:change=move |e| kind.set(event_target_value(&e)) prop:value=kind>
                    <option value="caldav">"CalDAV (Nextcloud, Fastmail, iCloud, Radicale)"</option>
                    <option value="ics">"iCalendar feed (read only)"</option>
                </select></label>
                <label>"Calendar URL " <input type="url" required prop:value=url on:input=move |e| url.set(event_target_value(&e)) /></label>
                <label>"User name " <input autocomplete="username" prop:value=user on:input=move |e| user.set(event_target_value(&e)) /></label>
                <label>"App password " <input type="password" autocomplete="current-password" prop:value=password on:input=move |e| password.set(event_target_value(&e)) /></label>
                <button type="submit">"Save and check calendar"</button>
                {said(calendar_said)}
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_read_as_typed() {
        assert_eq!(blocks("09:00-12:30, 14:00–18:00").unwrap().len(), 2);
        assert_eq!(blocks("").unwrap().len(), 0);
        assert!(blocks("9 to 5").is_none());
    }
}
