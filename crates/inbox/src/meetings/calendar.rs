//! An agent's own working hours and calendar. Typed values stay when the server says
//! no; its problems are shown as it words them (with their paths).

use crate::api::call;
use crate::weekly::{blocks, blocks_text, DAYS};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

fn browser_zone() -> String {
    let options =
        js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new()).resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|z| z.as_string())
        .unwrap_or_else(|| "UTC".into())
}

/// A date override as the page shows it: `2026-12-24`, and its blocks as typed
/// (empty: a day off).
#[derive(Clone, Debug, PartialEq)]
struct Override {
    date: String,
    blocks: String,
}

fn overrides_of(value: &Value) -> Vec<Override> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .map(|o| Override {
                    date: o["date"].as_str().unwrap_or("").to_owned(),
                    blocks: blocks_text(&o["blocks"]),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The body to send: what was loaded (every field, those this page does not edit
/// included), with the page's edits applied; the problem when a line does not read.
fn availability_body(
    loaded: &Value,
    zone: String,
    days: &[String; 7],
    overrides: &[Override],
) -> Result<Value, String> {
    let mut weekly = serde_json::Map::new();
    for (i, (key, label)) in DAYS.iter().enumerate() {
        match blocks(&days[i]) {
            Some(b) if !b.is_empty() => {
                weekly.insert((*key).into(), Value::Array(b));
            }
            Some(_) => {}
            None => return Err(format!("{label}: write times like 09:00-12:30, 14:00-18:00")),
        }
    }
    let mut dated = Vec::new();
    for o in overrides {
        let b = blocks(&o.blocks)
            .ok_or_else(|| format!("{}: write times like 09:00-12:30, 14:00-18:00", o.date))?;
        dated.push(json!({ "date": o.date, "blocks": b }));
    }
    let mut body = match loaded {
        Value::Object(map) => map.clone(),
        _ => serde_json::Map::new(),
    };
    body.insert("time_zone".into(), Value::String(zone));
    body.insert("weekly".into(), Value::Object(weekly));
    body.insert("overrides".into(), Value::Array(dated));
    Ok(Value::Object(body))
}

/// The languages an agent's meeting emails can be written in (chinwag_site's built-in ones).
const LANGUAGES: [(&str, &str); 5] = [
    ("en", "English"),
    ("pt", "Português"),
    ("it", "Italiano"),
    ("sv", "Svenska"),
    ("zh-Hans", "简体中文"),
];

#[component]
pub fn CalendarSettings(csrf: String) -> impl IntoView {
    let zone = RwSignal::new(browser_zone());
    let days: [RwSignal<String>; 7] = std::array::from_fn(|_| RwSignal::new(String::new()));
    // What the server last gave: saving sends it back with this page's edits, so a field
    // the page does not show is never dropped.
    let loaded = StoredValue::new(Value::Null);
    let overrides = RwSignal::new(Vec::<Override>::new());
    let new_date = RwSignal::new(String::new());
    let new_blocks = RwSignal::new(String::new());
    let override_said = RwSignal::new(None::<Result<String, String>>);
    // Where focus goes after a date is removed (its button is gone).
    let date_field = NodeRef::<leptos::html::Input>::new();
    let hours_said = RwSignal::new(None::<Result<String, String>>);
    let locale = RwSignal::new("en".to_owned());
    let locale_said = RwSignal::new(None::<Result<String, String>>);
    let kind = RwSignal::new("caldav".to_owned());
    let url = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let calendar_said = RwSignal::new(None::<Result<String, String>>);
    let show = move |a: &Value| {
        if let Some(z) = a["time_zone"].as_str() {
            zone.set(z.to_owned());
        }
        for (i, (key, _)) in DAYS.iter().enumerate() {
            days[i].set(blocks_text(&a["weekly"][key]));
        }
        overrides.set(overrides_of(&a["overrides"]));
        loaded.set_value(a.clone());
    };
    spawn_local(async move {
        if let Ok(a) = call::<Value>("GET", "/api/me/availability", None, "").await {
            show(&a);
        }
        if let Ok(l) = call::<Value>("GET", "/api/me/locale", None, "").await {
            if let Some(l) = l["locale"].as_str() {
                locale.set(l.to_owned());
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
    let add_override = move || {
        let date = new_date.get_untracked();
        let typed = new_blocks.get_untracked();
        if date.is_empty() {
            return override_said.set(Some(Err("Choose a date to add.".into())));
        }
        if blocks(&typed).is_none() {
            return override_said.set(Some(Err(format!(
                "{date}: write times like 09:00-12:30, 14:00-18:00 (empty: a day off)"
            ))));
        }
        overrides.update(|list| {
            list.retain(|o| o.date != date);
            list.push(Override {
                date: date.clone(),
                blocks: typed.trim().to_owned(),
            });
            list.sort_by(|a, b| a.date.cmp(&b.date));
        });
        new_date.set(String::new());
        new_blocks.set(String::new());
        override_said.set(Some(Ok(format!("{date} added. Save working hours to keep it."))));
    };
    let add_on_enter = move |e: leptos::ev::KeyboardEvent| {
        if e.key() == "Enter" {
            e.prevent_default();
            add_override();
        }
    };
    let save_hours = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let typed: [String; 7] = std::array::from_fn(|i| days[i].get_untracked());
        let body = match loaded
            .with_value(|l| availability_body(l, zone.get_untracked(), &typed, &overrides.get_untracked()))
        {
            Ok(body) => body.to_string(),
            Err(problem) => return hours_said.set(Some(Err(problem))),
        };
        spawn_local(async move {
            let said = call::<Value>("PUT", "/api/me/availability", Some(body), &csrf.get_value()).await;
            if let Ok(a) = &said {
                show(a);
            }
            hours_said.set(Some(said.map(|_| "Working hours saved.".into())));
        });
    };
    let save_locale = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let body = json!({ "locale": locale.get_untracked() }).to_string();
        spawn_local(async move {
            let said = call::<Value>("PUT", "/api/me/locale", Some(body), &csrf.get_value()).await;
            locale_said.set(Some(said.map(|_| "Language saved.".into())));
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
                <fieldset class="overrides">
                    <legend>"Dates with other hours"</legend>
                    <p class="hint">"A date's hours replace its weekday's. No hours: a day off."</p>
                    {move || {
                        let list = overrides.get();
                        if list.is_empty() {
                            view! { <p class="hint">"No dates yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul aria-label="Dates with other hours">
                                    {list.into_iter().map(|o| {
                                        let date = o.date.clone();
                                        let hours = if o.blocks.trim().is_empty() { "day off".to_owned() } else { o.blocks.clone() };
                                        let remove = format!("Remove {}", o.date);
                                        view! {
                                            <li>
                                                <span><span class="date">{o.date.clone()}</span> ": " {hours}</span>
                                                <button type="button" aria-label=remove on:click=move |_| {
                                                    let gone = date.clone();
                                                    overrides.update(|l| l.retain(|x| x.date != gone));
                                                    override_said.set(Some(Ok(format!("{gone} removed. Save working hours to keep the change."))));
                                                    if let Some(field) = date_field.get_untracked() {
                                                        let _ = field.focus();
                                                    }
                                                }>"Remove"</button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }}
                    <div class="override-new">
                        <label>"Date " <input type="date" node_ref=date_field prop:value=new_date on:input=move |e| new_date.set(event_target_value(&e)) on:keydown=add_on_enter /></label>
                        <label>"Hours that date " <input prop:value=new_blocks on:input=move |e| new_blocks.set(event_target_value(&e)) on:keydown=add_on_enter placeholder="empty: day off" /></label>
                        <button type="button" on:click=move |_| add_override()>"Add date"</button>
                    </div>
                    {said(override_said)}
                </fieldset>
                <button type="submit">"Save working hours"</button>
                {said(hours_said)}
            </form>
            <form on:submit=save_locale>
                <h2>"Meeting emails"</h2>
                <p class="hint">"The language of the invitations you get when a visitor books, moves or cancels a meeting with you."</p>
                <label>"Language " <select on:change=move |e| locale.set(event_target_value(&e)) prop:value=locale>
                    {LANGUAGES.iter().map(|(code, name)| view! { <option value=*code>{*name}</option> }).collect_view()}
                </select></label>
                <button type="submit">"Save language"</button>
                {said(locale_said)}
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

    #[test]
    fn saving_keeps_what_the_page_does_not_edit() {
        let loaded = json!({ "time_zone": "Europe/Lisbon", "weekly": { "mon": [{ "start": "09:00", "end": "17:00" }] },
            "overrides": [{ "date": "2026-12-24", "blocks": [] }], "later": 1 });
        let days: [String; 7] = std::array::from_fn(|i| {
            if i == 1 {
                "10:00-12:00".into()
            } else {
                String::new()
            }
        });
        let shown = overrides_of(&loaded["overrides"]);
        let body = availability_body(&loaded, "Europe/Lisbon".into(), &days, &shown).unwrap();
        assert_eq!(body["overrides"], loaded["overrides"]);
        assert_eq!(body["later"], 1);
        assert_eq!(
            body["weekly"],
            json!({ "tue": [{ "start": "10:00", "end": "12:00" }] })
        );
    }
}
