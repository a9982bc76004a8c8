//! Agents and teams: who is here, their role and teams (ticked on each row), whether
//! routing gives them chats, deactivate (signed out at once, their open chats go to
//! someone else) and reactivate; add an agent (with a first password to hand over)
//! and a team. Every change goes to the audit log.

use super::said_line;
use crate::api::call;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

#[component]
pub fn Agents(csrf: String) -> impl IntoView {
    let directory = RwSignal::new(Value::Null);
    let routing = RwSignal::new(Vec::<Value>::new());
    let load = move || {
        spawn_local(async move {
            directory.set(
                call("GET", "/api/directory", None, "")
                    .await
                    .unwrap_or(Value::Null),
            );
            routing.set(call("GET", "/api/routing", None, "").await.unwrap_or_default());
        })
    };
    load();
    let csrf = StoredValue::new(csrf);
    let said = RwSignal::new(None::<Result<String, String>>);
    let (name, email, password, role, teams) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new("agent".to_owned()),
        RwSignal::new(String::new()),
    );
    let (team_id, team_name) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let add_agent = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let list: Vec<String> = teams
            .get_untracked()
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        let body = json!({ "name": name.get_untracked(), "email": email.get_untracked(), "password": password.get_untracked(), "role": role.get_untracked(), "teams": list }).to_string();
        spawn_local(async move {
            match call::<Value>("POST", "/api/agents", Some(body), &csrf.get_value()).await {
                Ok(v) => {
                    let id = v["id"].as_str().unwrap_or("");
                    said.set(Some(Ok(match v["invitation"].as_str() {
                        Some(link) => format!("Agent {id} added. Send them this one-time link to choose their password (it works once, for 7 days): {link}"),
                        None => format!("Agent {id} added: give them their email and first password."),
                    })));
                    name.set(String::new());
                    email.set(String::new());
                    password.set(String::new());
                    load();
                }
                Err(e) => said.set(Some(Err(e))),
            }
        });
    };
    let add_team = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let body =
            json!({ "id": team_id.get_untracked().trim(), "name": team_name.get_untracked() }).to_string();
        spawn_local(async move {
            match call::<Value>("POST", "/api/teams", Some(body), &csrf.get_value()).await {
                Ok(_) => {
                    said.set(Some(Ok("Team added.".into())));
                    team_id.set(String::new());
                    team_name.set(String::new());
                    load();
                }
                Err(e) => said.set(Some(Err(e))),
            }
        });
    };
    // One change to an agent (PUT /api/agents/{id}), said, and the list read again.
    let update = move |id: String, body: Value, done: String| {
        spawn_local(async move {
            match call::<Value>(
                "PUT",
                &format!("/api/agents/{id}"),
                Some(body.to_string()),
                &csrf.get_value(),
            )
            .await
            {
                Ok(v) => {
                    let moved = v["rerouted"].as_i64().unwrap_or(0);
                    said.set(Some(Ok(if moved > 0 {
                        format!("{done} {moved} open chats went to someone else.")
                    } else {
                        done
                    })));
                    load();
                }
                Err(e) => said.set(Some(Err(e))),
            }
        });
    };
    view! {
        <section class="console" aria-labelledby="agents-title">
            <h2 id="agents-title">"Agents and teams"</h2>
            {move || said_line(said.get())}
            <table class="list-table">
                <thead><tr><th scope="col">"Agent"</th><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Teams"</th><th scope="col">"Gets chats"</th><th scope="col">"Max chats"</th><th scope="col">"Now"</th><th scope="col">"Access"</th></tr></thead>
                <tbody>
                    {move || {
                        let d = directory.get();
                        let all_teams: Vec<String> = d["teams"].as_array().into_iter().flatten().filter_map(|t| t["id"].as_str().map(str::to_owned)).collect();
                        d["agents"].as_array().cloned().unwrap_or_default().into_iter().map(|a| {
                            let id = a["id"].as_str().unwrap_or_default().to_owned();
                            let name = a["name"].as_str().unwrap_or("").to_owned();
                            let mine: Vec<String> = d["memberships"][&id].as_array().into_iter().flatten().filter_map(|t| t.as_str().map(str::to_owned)).collect();
                            let active = a["active"].as_bool().unwrap_or(true);
                            let chats = a["live_chat"].as_bool().unwrap_or(true);
                            let teams = all_teams.iter().map(|team| {
                                let on = mine.contains(team);
                                let (id, team, mine) = (id.clone(), team.clone(), mine.clone());
                                let label = team.clone();
                                view! {
                                    <label class="switch"><input type="checkbox" prop:checked=on on:change=move |e| {
                                        let mut next: Vec<String> = mine.iter().filter(|t| **t != team).cloned().collect();
                                        if event_target_checked(&e) { next.push(team.clone()); }
                                        update(id.clone(), json!({ "teams": next }), "Teams saved.".into())
                                    } /> " " {label}</label>
                                }
                            }).collect_view();
                            let (chat_id, access_id, who) = (id.clone(), id.clone(), name.clone());
                            view! {
                                <tr class=if active { "" } else { "inactive" }>
                                    <td>{name.clone()}</td>
                                    <td>{a["email"].as_str().unwrap_or("").to_owned()}</td>
                                    <td>{a["role"].as_str().unwrap_or("").to_owned()}</td>
                                    <td><div class="row">{teams}</div></td>
                                    <td><label class="switch"><input type="checkbox" aria-label=format!("{name} gets chats") prop:checked=chats on:change=move |e| update(chat_id.clone(), json!({ "live_chat": event_target_checked(&e) }), "Saved.".into()) /></label></td>
                                    <td>{
                                        let (max_id, who) = (id.clone(), name.clone());
                                        let max = a["max_chats"].as_u64().unwrap_or(5);
                                        let changed = move |e: leptos::ev::Event| match event_target_value(&e).parse::<u32>() {
                                            Ok(n) => update(max_id.clone(), json!({ "max_chats": n }), format!("{who} now takes at most {n} open {}.", if n == 1 { "chat" } else { "chats" })),
                                            Err(_) => said.set(Some(Err("Max chats is a whole number, 1 to 100.".into()))),
                                        };
                                        view! { <input type="number" class="max-chats" min="1" max="100" required aria-label=format!("Most open chats for {name}") prop:value=max.to_string() on:change=changed /> }
                                    }</td>
                                    <td>{if active { a["status"].as_str().unwrap_or("").to_owned() } else { "deactivated".to_owned() }}</td>
                                    <td><div class="row">{
                                        let (invite_id, who) = (id.clone(), name.clone());
                                        view! { <button type="button" aria-label=format!("Invitation link for {name}") on:click=move |_| {
                                            let (id, who) = (invite_id.clone(), who.clone());
                                            spawn_local(async move {
                                                match call::<Value>("POST", &format!("/api/agents/{id}/invitation"), None, &csrf.get_value()).await {
                                                    Ok(v) => said.set(Some(Ok(format!("A one-time link for {who} to choose a new password (it works once, for 7 days; earlier links stop working): {}", v["invitation"].as_str().unwrap_or_default())))),
                                                    Err(e) => said.set(Some(Err(e))),
                                                }
                                            });
                                        }>"Invitation link"</button> }
                                    }{if active {
                                        view! { <button type="button" aria-label=format!("Deactivate {name}") on:click=move |_| {
                                            let sure = window().confirm_with_message(&format!("Deactivate {who}? They are signed out at once and their open chats go to someone else.")).unwrap_or(false);
                                            if sure { update(access_id.clone(), json!({ "active": false }), format!("{who} deactivated.")) }
                                        }>"Deactivate"</button> }.into_any()
                                    } else {
                                        view! { <button type="button" aria-label=format!("Reactivate {name}") on:click=move |_| update(access_id.clone(), json!({ "active": true }), format!("{who} can sign in again."))>"Reactivate"</button> }.into_any()
                                    }}</div></td>
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
            <h3>"Routing order"</h3>
            <p class="hint">"Who each round-robin pool tries for its next chat, in order (after whoever got the last one); only available agents who may chat get it."</p>
            <table class="list-table routing-order">
                <thead><tr><th scope="col">"Pool"</th><th scope="col">"Next, in order"</th><th scope="col">"Got the last chat"</th></tr></thead>
                <tbody>
                    {move || routing.get().into_iter().map(|p| {
                        let order = p["order"].as_array().cloned().unwrap_or_default().into_iter().enumerate().map(|(i, a)| {
                            let id = a["id"].as_str().unwrap_or_default().to_owned();
                            let available = a["available"].as_bool().unwrap_or(false);
                            view! { <li class=if available { "available" } else { "unavailable" }>{format!("{}. {id}", i + 1)} {if available { " (available)" } else { " (not available)" }}</li> }
                        }).collect_view();
                        view! {
                            <tr>
                                <td>{p["name"].as_str().unwrap_or_default().to_owned()}</td>
                                <td><ol class="order">{order}</ol></td>
                                <td>{p["previous"].as_str().unwrap_or("—").to_owned()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <div class="cards">
                <form class="card" on:submit=add_agent>
                    <h3>"Add an agent"</h3>
                    <label>"Name " <input required prop:value=name on:input=move |e| name.set(event_target_value(&e)) /></label>
                    <label>"Email " <input type="email" required prop:value=email on:input=move |e| email.set(event_target_value(&e)) /></label>
                    <label>"First password (10 characters or more; empty: they choose it with an invitation link) " <input type="text" minlength="10" autocomplete="new-password" prop:value=password on:input=move |e| password.set(event_target_value(&e)) /></label>
                    <label>"Role " <select prop:value=role on:change=move |e| role.set(event_target_value(&e))>
                        <option value="agent">"Agent"</option>
                        <option value="admin">"Admin"</option>
                    </select></label>
                    <label>"Teams (ids, comma-separated) " <input prop:value=teams on:input=move |e| teams.set(event_target_value(&e)) placeholder="sales, billing" /></label>
                    <button type="submit">"Add agent"</button>
                </form>
                <form class="card" on:submit=add_team>
                    <h3>"Add a team"</h3>
                    <p class="hint">{move || format!("Teams now: {}", directory.get()["teams"].as_array().map(|t| t.iter().filter_map(|t| t["id"].as_str()).collect::<Vec<_>>().join(", ")).unwrap_or_default())}</p>
                    <label>"Id " <input required prop:value=team_id on:input=move |e| team_id.set(event_target_value(&e)) /></label>
                    <label>"Name " <input required prop:value=team_name on:input=move |e| team_name.set(event_target_value(&e)) /></label>
                    <button type="submit">"Add team"</button>
                </form>
                {move || {
                    let teams = directory.get()["teams"].as_array().cloned().unwrap_or_default();
                    (!teams.is_empty()).then(|| view! {
                        <super::hours::TeamHours teams csrf />
                    })
                }}
            </div>
        </section>
    }
}
