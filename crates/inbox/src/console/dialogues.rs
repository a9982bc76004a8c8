//! Dialogues of a site: status, targeting in one line, version, unpublished changes;
//! a new one from nothing or from a template (the example dialogues); duplicate;
//! delete (asked first); open one in the editor.

use super::editor::Editor;
use super::stream_edit::to_text;
use super::targeting::summary;
use crate::api::call;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

/// A dialogue's 90 days in one line: triggered, engagement, goals.
fn activity_line(totals: &Value) -> String {
    let n = |k: &str| totals[k].as_i64().unwrap_or(0);
    match n("triggered") {
        0 => "No activity".into(),
        t => {
            let rate = totals["engagement_rate"]
                .as_f64()
                .map_or(String::new(), |r| format!(" ({:.0} %)", r * 100.0));
            format!(
                "{t} triggered · {} engaged{rate} · {} goals",
                n("engaged"),
                n("goals_reached")
            )
        }
    }
}

#[component]
pub fn Dialogues(csrf: String) -> impl IntoView {
    let (sites, site) = super::site_choice();
    let list = RwSignal::new(Vec::<Value>::new());
    // Each dialogue's totals over the last 90 days.
    let activity = RwSignal::new(Value::Null);
    let open = RwSignal::new(None::<String>);
    // What a dialogue opened for the first time starts from.
    let start = RwSignal::new(None::<String>);
    let new_id = RwSignal::new(String::new());
    let templates = RwSignal::new(Vec::<Value>::new());
    let template = RwSignal::new(String::new());
    let said = RwSignal::new(None::<String>);
    spawn_local(
        async move { templates.set(call("GET", "/api/templates", None, "").await.unwrap_or_default()) },
    );
    let reload = move || {
        let site = site.get_untracked();
        if !site.is_empty() {
            spawn_local(async move {
                list.set(
                    call("GET", &format!("/api/sites/{site}/dialogues"), None, "")
                        .await
                        .unwrap_or_default(),
                );
                activity.set(
                    call("GET", &format!("/api/sites/{site}/metrics"), None, "")
                        .await
                        .unwrap_or_default(),
                );
            });
        }
    };
    Effect::new(move |_| {
        site.track();
        reload();
    });
    let csrf = StoredValue::new(csrf);
    // A body with its id and name replaced: a new dialogue's start.
    let renamed = |body: &str, id: &str, name: String| {
        let mut v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        v["id"] = Value::String(id.to_owned());
        v["name"] = Value::String(name);
        to_text(&v)
    };
    let create = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let id = new_id.get_untracked().trim().to_owned();
        if id.is_empty() {
            return;
        }
        let chosen = template.get_untracked();
        start.set(templates.with_untracked(|t| {
            t.iter()
                .find(|t| t["id"] == chosen.as_str())
                .map(|t| renamed(t["body"].as_str().unwrap_or_default(), &id, id.clone()))
        }));
        open.set(Some(id));
    };
    let duplicate = move |from: String, name: String| {
        let Some(id) = window()
            .prompt_with_message_and_default(
                "Id of the copy (letters, digits, - and _)",
                &format!("{from}-copy"),
            )
            .ok()
            .flatten()
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty())
        else {
            return;
        };
        let site = site.get_untracked();
        spawn_local(async move {
            match call::<Value>("GET", &format!("/api/sites/{site}/dialogues/{from}"), None, "").await {
                Ok(d) => {
                    start.set(Some(renamed(
                        d["body"].as_str().unwrap_or_default(),
                        &id,
                        format!("{name} (copy)"),
                    )));
                    open.set(Some(id));
                }
                Err(e) => said.set(Some(e)),
            }
        });
    };
    let delete = move |id: String| {
        let sure = window()
            .confirm_with_message(&format!(
                "Delete {id}? Visitors stop getting it at once; its versions stay in the history."
            ))
            .unwrap_or(false);
        if !sure {
            return;
        }
        let site = site.get_untracked();
        spawn_local(async move {
            match call::<Value>(
                "DELETE",
                &format!("/api/sites/{site}/dialogues/{id}"),
                None,
                &csrf.get_value(),
            )
            .await
            {
                Ok(_) => {
                    said.set(Some(format!("{id} deleted.")));
                    reload();
                }
                Err(e) => said.set(Some(e)),
            }
        });
    };
    view! {
        <section class="console" aria-labelledby="dialogues-title">
            <div class="section-head">
                <h2 id="dialogues-title">"Dialogues"</h2>
                <label>"Site " <select on:change=move |e| { open.set(None); site.set(event_target_value(&e)) } prop:value=site>
                    {move || sites.get().into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                </select></label>
                <form class="row" on:submit=create>
                    <label>"New dialogue id " <input prop:value=new_id on:input=move |e| new_id.set(event_target_value(&e)) placeholder="spring-offer" /></label>
                    <label>"Start from " <select on:change=move |e| template.set(event_target_value(&e))>
                        <option value="">"Nothing (one message)"</option>
                        {move || templates.get().into_iter().map(|t| {
                            let id = t["id"].as_str().unwrap_or_default().to_owned();
                            view! { <option value=id.clone()>{format!("Template: {}", t["name"].as_str().unwrap_or(&id))}</option> }
                        }).collect_view()}
                    </select></label>
                    <button type="submit">"Create"</button>
                </form>
            </div>
            {move || said.get().map(|t| view! { <p role="status" class="said">{t}</p> })}
            {move || match open.get() {
                Some(id) => view! { <Editor site=site.get_untracked() id csrf=csrf.get_value() start=start.get_untracked() on_close=Callback::new(move |_| { open.set(None); start.set(None); reload(); }) /> }.into_any(),
                None => view! {
                    <table class="list-table">
                        <thead><tr><th scope="col">"Dialogue"</th><th scope="col">"Status"</th><th scope="col">"Version"</th><th scope="col">"Draft"</th><th scope="col">"Last 90 days"</th><th scope="col">"Actions"</th></tr></thead>
                        <tbody>
                            // Keyed by the whole row: a row's buttons belong to its dialogue
                            // even when the list changes under the pointer (rows drawn by
                            // position were rebuilt in place, so a click could land on the
                            // dialogue that moved into that place).
                            <For each=move || list.get() key=|d| d.to_string() children=move |d| {
                                let id = d["id"].as_str().unwrap_or_default().to_owned();
                                let name = d["name"].as_str().unwrap_or(&id).to_owned();
                                let (open_id, copy_id, delete_id, copy_name, row_id) = (id.clone(), id.clone(), id.clone(), name.clone(), id.clone());
                                let line = summary(&d["targeting"]);
                                view! {
                                    <tr>
                                        <td><button class="link" on:click=move |_| open.set(Some(open_id.clone()))>{name.clone()}</button><br/><code>{id}</code><br/><span class="targeting-line">{line}</span></td>
                                        <td>{d["status"].as_str().unwrap_or("").to_owned()}</td>
                                        <td>{d["version"].as_i64().map_or("—".to_owned(), |v| format!("v{v}"))}</td>
                                        <td>{if d["unpublished_changes"].as_bool() == Some(true) { "unpublished changes" } else { "" }}</td>
                                        <td class="activity">{move || activity_line(&activity.get()["dialogues"][&row_id])}</td>
                                        <td><div class="row">
                                            <button type="button" aria-label=format!("Duplicate {name}") on:click=move |_| duplicate(copy_id.clone(), copy_name.clone())>"Duplicate"</button>
                                            <button type="button" aria-label=format!("Delete {name}") on:click=move |_| delete(delete_id.clone())>"Delete"</button>
                                        </div></td>
                                    </tr>
                                }
                            } />
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
