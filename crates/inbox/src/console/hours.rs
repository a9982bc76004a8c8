//! A team's business hours (docs/inbox.md, "Business hours"): its time zone, the hours
//! of each weekday as plain text ("09:00-12:30, 14:00-18:00"; empty: closed), and
//! holidays, one date a line. Saved as the team's availability; the server checks it
//! and says what is wrong.

use super::said_line;
use crate::api::call;
use crate::weekly::{blocks, blocks_text, DAYS};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Map, Value};

/// The form's values as the availability the server stores.
fn hours(zone: &str, days: &[String], holidays: &str) -> Result<Value, String> {
    let mut weekly = Map::new();
    for ((key, name), text) in DAYS.iter().zip(days) {
        let list =
            blocks(text).ok_or_else(|| format!("{name}: “{}” is not hours like 09:00-17:00", text.trim()))?;
        if !list.is_empty() {
            weekly.insert((*key).into(), Value::Array(list));
        }
    }
    let overrides: Vec<Value> = holidays
        .lines()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| json!({ "date": d, "blocks": [] }))
        .collect();
    Ok(json!({ "time_zone": zone.trim(), "weekly": weekly, "overrides": overrides }))
}

/// The hours form for the teams in `teams` (the directory's list, with their hours).
#[component]
pub fn TeamHours(teams: Vec<Value>, csrf: StoredValue<String>) -> impl IntoView {
    let first = teams.first().cloned().unwrap_or(Value::Null);
    let team = RwSignal::new(first["id"].as_str().unwrap_or_default().to_owned());
    let always = RwSignal::new(true);
    let zone = RwSignal::new(String::from("UTC"));
    let days: [RwSignal<String>; 7] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let holidays = RwSignal::new(String::new());
    let said = RwSignal::new(None::<Result<String, String>>);
    let all = StoredValue::new(teams.clone());
    // Fills the form with a team's stored hours.
    let show = move |id: String| {
        let found = all.with_value(|t| t.iter().find(|t| t["id"] == id.as_str()).cloned());
        let h = found.map(|t| t["hours"].clone()).unwrap_or(Value::Null);
        always.set(h.is_null());
        zone.set(h["time_zone"].as_str().unwrap_or("UTC").to_owned());
        for (i, (key, _)) in DAYS.iter().enumerate() {
            days[i].set(blocks_text(&h["weekly"][*key]));
        }
        let dates: Vec<&str> = h["overrides"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|o| o["date"].as_str())
            .collect();
        holidays.set(dates.join("\n"));
        team.set(id);
    };
    show(team.get_untracked());
    let save = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let body = match always.get_untracked() {
            true => Ok(Value::Null),
            false => hours(
                &zone.get_untracked(),
                &days.map(|d| d.get_untracked()),
                &holidays.get_untracked(),
            ),
        };
        let body = match body {
            Ok(body) => body,
            Err(e) => return said.set(Some(Err(e))),
        };
        let id = team.get_untracked();
        let path = format!("/api/teams/{id}/hours");
        spawn_local(async move {
            let r = call::<Value>("PUT", &path, Some(body.to_string()), &csrf.get_value()).await;
            // Kept here too, so choosing the team again shows what was saved.
            if r.is_ok() {
                all.update_value(|t| {
                    if let Some(t) = t.iter_mut().find(|t| t["id"] == id.as_str()) {
                        t["hours"] = body;
                    }
                });
            }
            said.set(Some(r.map(|_| format!("Business hours of {id} saved."))));
        });
    };
    let options = teams
        .iter()
        .map(|t| {
            let id = t["id"].as_str().unwrap_or_default().to_owned();
            let name = t["name"].as_str().unwrap_or_default().to_owned();
            view! { <option value=id.clone()>{format!("{name} ({id})")}</option> }
        })
        .collect_view();
    let day_fields = DAYS
        .iter()
        .enumerate()
        .map(|(i, (_, name))| {
            view! {
                <label>
                    {*name} " "
                    <input prop:value=days[i] on:input=move |e| days[i].set(event_target_value(&e)) placeholder="Closed" />
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="card hours" on:submit=save>
            <h3>"Business hours"</h3>
            <p class="hint">"Outside them, chats routed to the team show the card's fallback, and team_available is false. Write a day's hours like 09:00-12:30, 14:00-18:00; an empty day is closed, and so are holidays."</p>
            <label>"Team " <select prop:value=team on:change=move |e| show(event_target_value(&e))>{options}</select></label>
            <label class="switch"><input type="checkbox" prop:checked=always on:change=move |e| always.set(event_target_checked(&e)) /> " Always open (no hours)"</label>
            <fieldset disabled=move || always.get()>
                <legend>"Hours"</legend>
                <label>"Time zone (IANA, such as Europe/Lisbon) " <input prop:value=zone on:input=move |e| zone.set(event_target_value(&e)) /></label>
                {day_fields}
                <label>"Holidays (one date a line, YYYY-MM-DD) " <textarea rows="3" prop:value=holidays on:input=move |e| holidays.set(event_target_value(&e))></textarea></label>
            </fieldset>
            <button type="submit">"Save hours"</button>
            {move || said_line(said.get())}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_hours_become_an_availability_and_back() {
        let mut days = vec![String::new(); 7];
        days[0] = "09:00-12:30, 14:00-18:00".into();
        days[5] = " 10:00 - 13:00 ".into();
        let h = hours("Europe/Lisbon", &days, "2026-12-25\n\n2027-01-01").unwrap();
        assert_eq!(h["weekly"]["mon"][1], json!({ "start": "14:00", "end": "18:00" }));
        assert_eq!(h["weekly"]["sat"][0], json!({ "start": "10:00", "end": "13:00" }));
        assert!(h["weekly"]["tue"].is_null(), "an empty day is closed");
        assert_eq!(h["overrides"].as_array().unwrap().len(), 2);
        assert_eq!(blocks_text(&h["weekly"]["mon"]), "09:00-12:30, 14:00-18:00");
        days[1] = "nine to five".into();
        assert!(hours("UTC", &days, "").unwrap_err().starts_with("Tuesday: "));
    }
}
