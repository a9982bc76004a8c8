//! Admins' filters of the conversation list: one agent's chats (the agent assigned),
//! one team's (the team a team card routed them to). Agents see their own chats and
//! waiting ones anyway, so only admins get them (docs/inbox.md, "Filters").

use crate::state::Inbox;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

/// `(id, name)` of each agent and each team, from the directory.
fn people(directory: &Value, key: &str) -> Vec<(String, String)> {
    directory[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let text = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
            (text("id"), text("name"))
        })
        .collect()
}

fn choice(
    label: &'static str,
    options: Vec<(String, String)>,
    chosen: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <label class="label-filter">{label} " "
            <select aria-label=format!("Only the chats of this {}", label.to_lowercase()) on:change=move |e| {
                let value = event_target_value(&e);
                chosen.set((!value.is_empty()).then_some(value));
            }>
                <option value="">"Any"</option>
                {options.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn PeopleFilters(inbox: Inbox) -> impl IntoView {
    let directory = RwSignal::new(Value::Null);
    spawn_local(async move {
        if let Ok(d) = crate::api::call::<Value>("GET", "/api/directory", None, "").await {
            directory.set(d);
        }
    });
    move || {
        let d = directory.get();
        view! {
            {choice("Agent", people(&d, "agents"), inbox.agent_filter)}
            {choice("Team", people(&d, "teams"), inbox.team_filter)}
        }
    }
}
