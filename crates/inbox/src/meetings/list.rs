//! The meetings list.

use super::time::local;
use crate::api::call;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use serde_json::Value;

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Meeting {
    pub id: String,
    pub start_at: i64,
    pub end_at: i64,
    pub status: String,
    pub outcome: Option<String>,
    pub visitor_name: String,
    pub visitor_email: String,
    pub host_id: String,
    pub host_name: Option<String>,
    pub dialogue_id: String,
    pub reason: Value,
    pub transcript: Value,
    #[serde(default)]
    pub emails: Vec<Email>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Email {
    pub recipient: String,
    pub kind: String,
    pub sent_at: Option<i64>,
    pub attempts: i64,
    pub last_error: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Show {
    Upcoming,
    Past,
    Cancelled,
}

/// Why this host, in words: "Rotation, after Ana; passed over: Cy (calendar unreadable)".
pub fn why(reason: &Value, names: &dyn Fn(&str) -> String) -> String {
    let strategy = match reason["strategy"].as_str() {
        Some("equal_distribution") => "Equal distribution",
        _ => "Rotation",
    };
    let mut out = strategy.to_owned();
    if let Some(after) = reason["after"].as_str() {
        out += &format!(", after {}", names(after));
    }
    let skipped: Vec<String> = reason["skipped"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|s| {
                    let why = match s["why"].as_str() {
                        Some("calendar_unreadable") => "calendar unreadable",
                        Some("daily_cap") => "at the daily cap",
                        _ => "not free",
                    };
                    format!("{} ({why})", names(s["host"].as_str().unwrap_or("?")))
                })
                .collect()
        })
        .unwrap_or_default();
    if !skipped.is_empty() {
        out += &format!("; passed over: {}", skipped.join(", "));
    }
    if let Some(load) = reason["load"].as_array() {
        let loads: Vec<String> = load
            .iter()
            .map(|l| {
                format!(
                    "{} {}",
                    names(l["host"].as_str().unwrap_or("?")),
                    l["meetings_this_month"]
                )
            })
            .collect();
        out += &format!("; meetings this month: {}", loads.join(", "));
    }
    out
}

fn emails(list: &[Email]) -> String {
    if list.is_empty() {
        return "no invitation".into();
    }
    let waiting: Vec<&Email> = list.iter().filter(|e| e.sent_at.is_none()).collect();
    // Settled with a reason: never sent, a later change's email went instead.
    let replaced = list
        .iter()
        .filter(|e| e.sent_at.is_some() && e.last_error.is_some())
        .count();
    match waiting.first() {
        None if replaced > 0 => format!(
            "{} sent, {replaced} not sent (a later change replaced them)",
            list.len() - replaced
        ),
        None => format!("{} sent", list.len()),
        Some(e) => format!(
            "{} waiting: {}",
            waiting.len(),
            e.last_error.clone().unwrap_or_else(|| "not tried yet".into())
        ),
    }
}

#[component]
pub fn MeetingList(csrf: String, admin: bool) -> impl IntoView {
    let meetings = RwSignal::new(None::<Result<Vec<Meeting>, String>>);
    let load = move || {
        spawn_local(async move {
            meetings.set(Some(call::<Vec<Meeting>>("GET", "/api/meetings", None, "").await))
        })
    };
    load();
    let show = RwSignal::new(Show::Upcoming);
    let search = RwSignal::new(String::new());
    let now = move || (js_sys::Date::now() / 1000.0) as i64;
    let tab = move |which: Show, label: &'static str| {
        view! {
            <button role="tab" aria-selected=move || (show.get() == which).to_string() on:click=move |_| show.set(which)>{label}</button>
        }
    };
    let outcome = move |id: String, outcome: &'static str| {
        let csrf = csrf.clone();
        spawn_local(async move {
            let body = format!(r#"{{"outcome":"{outcome}"}}"#);
            let _ = call::<Value>("POST", &format!("/api/meetings/{id}/outcome"), Some(body), &csrf).await;
            load();
        });
    };
    let outcome = StoredValue::new(outcome);
    view! {
        <section class="meetings" aria-labelledby="meetings-title">
            <div class="section-head">
                <h2 id="meetings-title">{if admin { "All meetings" } else { "My meetings" }}</h2>
                <div role="tablist" aria-label="Which meetings">
                    {tab(Show::Upcoming, "Upcoming")}
                    {tab(Show::Past, "Past")}
                    {tab(Show::Cancelled, "Cancelled")}
                </div>
                <label>"Search " <input type="search" placeholder="name, email, host" on:input=move |e| search.set(event_target_value(&e).to_lowercase()) /></label>
                <a class="button" href="/api/meetings?format=csv" download="meetings.csv">"Export CSV"</a>
            </div>
            {move || match meetings.get() {
                None => view! { <p>"Loading…"</p> }.into_any(),
                Some(Err(e)) => view! { <p role="alert">{e}</p> }.into_any(),
                Some(Ok(all)) => {
                    let names: std::collections::BTreeMap<String, String> = all.iter().map(|m| (m.host_id.clone(), m.host_name.clone().unwrap_or_else(|| m.host_id.clone()))).collect();
                    let name_of = move |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
                    let (now, needle) = (now(), search.get());
                    let mut shown: Vec<Meeting> = all.into_iter().filter(|m| match show.get() {
                        Show::Upcoming => m.status == "booked" && m.end_at > now,
                        Show::Past => m.status == "booked" && m.end_at <= now,
                        Show::Cancelled => m.status == "cancelled",
                    }).filter(|m| needle.is_empty() || [&m.visitor_name, &m.visitor_email, &m.host_name.clone().unwrap_or_default()].iter().any(|f| f.to_lowercase().contains(&needle))).collect();
                    if show.get() == Show::Upcoming {
                        shown.reverse();
                    }
                    if shown.is_empty() {
                        return view! { <p class="empty-list">"No meetings here."</p> }.into_any();
                    }
                    view! {
                        <table>
                            <thead><tr><th scope="col">"When (your time)"</th><th scope="col">"Visitor"</th><th scope="col">"Host"</th><th scope="col">"Why this host"</th><th scope="col">"Invitations"</th><th scope="col">"Dialogue"</th><th scope="col">"Outcome"</th></tr></thead>
                            <tbody>
                                {shown.into_iter().map(|m| {
                                    let past = m.end_at <= now && m.status == "booked";
                                    let id = m.id.clone();
                                    let lines: Vec<String> = m.transcript.as_array().map(|l| l.iter().map(|x| match x {
                                        Value::Array(p) => format!("{}: {}", p.first().and_then(Value::as_str).unwrap_or(""), p.get(1).and_then(Value::as_str).unwrap_or("")),
                                        other => other.as_str().unwrap_or("").to_owned(),
                                    }).collect()).unwrap_or_default();
                                    view! {
                                        <tr>
                                            <td data-label="When">{local(m.start_at)}</td>
                                            <td data-label="Visitor"><span class="name">{m.visitor_name.clone()}</span><br/><a href=format!("mailto:{}", m.visitor_email)>{m.visitor_email.clone()}</a></td>
                                            <td data-label="Host">{name_of(&m.host_id)}</td>
                                            <td data-label="Why this host">{why(&m.reason, &name_of)}</td>
                                            <td data-label="Invitations">{emails(&m.emails)}</td>
                                            <td data-label="Dialogue">
                                                {m.dialogue_id.clone()}
                                                {(!lines.is_empty()).then(|| view! { <details><summary>"Transcript"</summary><ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul></details> })}
                                            </td>
                                            <td data-label="Outcome">
                                                {match (m.outcome.as_deref(), past) {
                                                    (Some("held"), _) => view! { <span>"Held"</span> }.into_any(),
                                                    (Some(_), _) => view! { <span>"No-show"</span> }.into_any(),
                                                    (None, true) => {
                                                        let (a, b) = (id.clone(), id.clone());
                                                        view! {
                                                            <button on:click=move |_| outcome.with_value(|f| f(a.clone(), "held"))>"Held"</button>
                                                            " "
                                                            <button on:click=move |_| outcome.with_value(|f| f(b.clone(), "no_show"))>"No-show"</button>
                                                        }.into_any()
                                                    }
                                                    (None, false) => view! { <span>"—"</span> }.into_any(),
                                                }}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitations_a_later_change_replaced_are_not_counted_as_sent() {
        let email = |sent: bool, error: Option<&str>| Email {
            sent_at: sent.then_some(1),
            last_error: error.map(str::to_owned),
            ..Email::default()
        };
        let list = [
            email(true, Some("not sent: a later change to the meeting replaced it")),
            email(true, None),
        ];
        assert_eq!(emails(&list), "1 sent, 1 not sent (a later change replaced them)");
        assert_eq!(emails(&list[1..]), "1 sent");
    }

    #[test]
    fn the_reason_in_words() {
        let reason = serde_json::json!({ "strategy": "rotation", "after": "ana", "skipped": [{ "host": "cy", "why": "calendar_unreadable" }] });
        let names = |id: &str| match id {
            "ana" => "Ana".to_owned(),
            "cy" => "Cy".to_owned(),
            x => x.to_owned(),
        };
        assert_eq!(
            why(&reason, &names),
            "Rotation, after Ana; passed over: Cy (calendar unreadable)"
        );
    }
}
