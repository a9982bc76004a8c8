//! Dialogues of a site: status, targeting in one line, version, unpublished changes;
//! a new one named by the marketer (its id made from the name) from nothing or from a
//! template (each shown first: what it is for, its cards, and the real widget running
//! it); duplicate; delete (asked first); open one in the editor.

use super::draft::Draft;
use super::editor::Editor;
use super::preview::Preview;
use super::stream_edit::to_text;
use super::targeting::summary;
use super::tree::nodes;
use super::words::{card_words, id_from_name};
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

/// A template before it is chosen: what it is for, its cards in words, and the real
/// widget running it.
#[component]
fn TemplatePreview(template: Value, site: String) -> impl IntoView {
    let body = template["body"].as_str().unwrap_or_default().to_owned();
    let doc: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let draft = Draft::new(RwSignal::new(body));
    let name = template["name"].as_str().unwrap_or_default().to_owned();
    view! {
        <section class="template-preview" aria-label=format!("Template: {name}")>
            <h3>{format!("Template: {name}")}</h3>
            <p class="description">{template["description"].as_str().unwrap_or_default().to_owned()}</p>
            <div class="design-and-preview">
                <ul class="template-cards" aria-label="Its cards">
                    {nodes(&doc).into_iter().map(|n| view! { <li style=format!("margin-left: {}px", n.depth * 18)>{card_words(&n)}</li> }).collect_view()}
                </ul>
                <Preview draft site />
            </div>
        </section>
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
    let new_name = RwSignal::new(String::new());
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
        let name = new_name.get_untracked().trim().to_owned();
        if name.is_empty() {
            said.set(Some("Give the new dialogue a name first.".into()));
            return;
        }
        let taken: Vec<String> = list.with_untracked(|l| {
            l.iter()
                .filter_map(|d| d["id"].as_str().map(str::to_owned))
                .collect()
        });
        let id = id_from_name(&name, &taken);
        let chosen = template.get_untracked();
        let from = templates.with_untracked(|t| {
            t.iter()
                .find(|t| t["id"] == chosen.as_str())
                .and_then(|t| t["body"].as_str().map(str::to_owned))
        });
        let body = from.unwrap_or_else(|| {
            to_text(&serde_json::json!({
                "version": 1, "id": id, "name": name,
                "stream": [{ "type": "message", "text": "Hello!" }]
            }))
        });
        start.set(Some(renamed(&body, &id, name)));
        new_name.set(String::new());
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
                <label>"Site " <select on:change=move |e| {
                    // Another site closes the editor: unsaved changes ask first.
                    if super::may_leave() { open.set(None); site.set(event_target_value(&e)) } else { event_target::<web_sys::HtmlSelectElement>(&e).set_value(&site.get_untracked()); }
                } prop:value=site>
                    {move || sites.get().into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                </select></label>
                <form class="row new-dialogue" on:submit=create>
                    <label>"Name of the new dialogue " <input prop:value=new_name on:input=move |e| new_name.set(event_target_value(&e)) placeholder="Spring offer" /></label>
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
            {move || {
                let chosen = template.get();
                (open.get().is_none() && !chosen.is_empty()).then(|| {
                    templates.with(|t| t.iter().find(|t| t["id"] == chosen.as_str()).cloned()).map(|t| view! { <TemplatePreview template=t site=site.get_untracked() /> })
                })
            }}
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
