//! Dialogues of a site: status, version, unpublished changes; a new one from nothing;
//! open one in the editor.

use super::editor::Editor;
use crate::api::call;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

#[component]
pub fn Dialogues(csrf: String) -> impl IntoView {
    let sites = RwSignal::new(Vec::<String>::new());
    let site = RwSignal::new(String::new());
    let list = RwSignal::new(Vec::<Value>::new());
    let open = RwSignal::new(None::<String>);
    let new_id = RwSignal::new(String::new());
    spawn_local(async move {
        let all: Vec<Value> = call("GET", "/api/sites", None, "").await.unwrap_or_default();
        let ids: Vec<String> = all
            .iter()
            .filter_map(|s| s["id"].as_str().map(str::to_owned))
            .collect();
        site.set(ids.first().cloned().unwrap_or_default());
        sites.set(ids);
    });
    let reload = move || {
        let site = site.get_untracked();
        if !site.is_empty() {
            spawn_local(async move {
                list.set(
                    call("GET", &format!("/api/sites/{site}/dialogues"), None, "")
                        .await
                        .unwrap_or_default(),
                )
            });
        }
    };
    Effect::new(move |_| {
        site.track();
        reload();
    });
    let csrf = StoredValue::new(csrf);
    view! {
        <section class="console" aria-labelledby="dialogues-title">
            <div class="section-head">
                <h2 id="dialogues-title">"Dialogues"</h2>
                <label>"Site " <select on:change=move |e| { open.set(None); site.set(event_target_value(&e)) } prop:value=site>
                    {move || sites.get().into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                </select></label>
                <form class="row" on:submit=move |e| { e.prevent_default(); let id = new_id.get_untracked().trim().to_owned(); if !id.is_empty() { open.set(Some(id)); } }>
                    <label>"New dialogue id " <input prop:value=new_id on:input=move |e| new_id.set(event_target_value(&e)) placeholder="spring-offer" /></label>
                    <button type="submit">"Create"</button>
                </form>
            </div>
            {move || match open.get() {
                Some(id) => view! { <Editor site=site.get_untracked() id csrf=csrf.get_value() on_close=Callback::new(move |_| { open.set(None); reload(); }) /> }.into_any(),
                None => view! {
                    <table class="list-table">
                        <thead><tr><th scope="col">"Dialogue"</th><th scope="col">"Status"</th><th scope="col">"Version"</th><th scope="col">"Draft"</th></tr></thead>
                        <tbody>
                            {list.get().into_iter().map(|d| {
                                let id = d["id"].as_str().unwrap_or_default().to_owned();
                                let name = d["name"].as_str().unwrap_or(&id).to_owned();
                                let open_id = id.clone();
                                view! {
                                    <tr>
                                        <td><button class="link" on:click=move |_| open.set(Some(open_id.clone()))>{name}</button><br/><code>{id}</code></td>
                                        <td>{d["status"].as_str().unwrap_or("").to_owned()}</td>
                                        <td>{d["version"].as_i64().map_or("—".to_owned(), |v| format!("v{v}"))}</td>
                                        <td>{if d["unpublished_changes"].as_bool() == Some(true) { "unpublished changes" } else { "" }}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
