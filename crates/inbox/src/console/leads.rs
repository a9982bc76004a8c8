//! Leads of a site (docs/leads.md): search, one lead's story (attributes with where and
//! when each was captured and whether verified; dialogues, live chats and meetings in
//! order), CSV export and import.

use crate::api::call;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

fn when(ms: &Value) -> String {
    crate::meetings::local_time(ms.as_i64().unwrap_or(0) / 1000)
}

/// One line of a lead's story.
fn happened(a: &Value) -> String {
    let dialogue = a["dialogue"].as_str().unwrap_or_default();
    match a["kind"].as_str().unwrap_or_default() {
        "dialogue" => {
            let seen: Vec<&str> = a["seen"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let did: Vec<&str> = ["engaged", "lead", "completed"]
                .into_iter()
                .filter(|k| seen.contains(k))
                .collect();
            let goals = seen.iter().filter(|s| s.starts_with("goal ")).count();
            let mut line = format!("Dialogue {dialogue} (v{})", a["version"]);
            if !did.is_empty() {
                line += &format!(": {}", did.join(", "));
            }
            if goals > 0 {
                line += &format!(", {goals} goal(s)");
            }
            line
        }
        "live_chat" => format!(
            "Live chat from {dialogue} ({})",
            a["status"].as_str().unwrap_or_default()
        ),
        "meeting" => format!(
            "Meeting booked from {dialogue} for {} ({})",
            crate::meetings::local_time(a["start_at"].as_i64().unwrap_or(0)),
            a["status"].as_str().unwrap_or_default()
        ),
        other => other.to_owned(),
    }
}

#[component]
pub fn Leads(csrf: String) -> impl IntoView {
    let (sites, site) = super::site_choice();
    let query = RwSignal::new(String::new());
    let list = RwSignal::new(Vec::<Value>::new());
    let story = RwSignal::new(None::<Value>);
    let said = RwSignal::new(None::<Result<String, String>>);
    let reload = move || {
        let (site, q) = (site.get(), query.get());
        if site.is_empty() {
            return;
        }
        spawn_local(async move {
            let q = js_sys::encode_uri_component(&q);
            list.set(
                call("GET", &format!("/api/sites/{site}/leads?q={q}"), None, "")
                    .await
                    .unwrap_or_default(),
            );
        });
    };
    Effect::new(move |_| reload());
    let open = move |id: String| {
        let site = site.get_untracked();
        spawn_local(async move {
            story.set(
                call("GET", &format!("/api/sites/{site}/leads/{id}"), None, "")
                    .await
                    .ok(),
            );
        });
    };
    let csrf = StoredValue::new(csrf);
    let import = move |e: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(file) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        else {
            return;
        };
        let site = site.get_untracked();
        spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string());
            let path = format!("/api/sites/{site}/leads/import");
            match call::<Value>("POST", &path, text, &csrf.get_value()).await {
                Ok(r) => {
                    let refused: Vec<String> = r["refused"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect();
                    let mut line = format!("{} leads imported.", r["saved"]);
                    if !refused.is_empty() {
                        line += &format!(" Not imported: {}.", refused.join("; "));
                    }
                    said.set(Some(Ok(line)));
                    reload();
                }
                Err(e) => said.set(Some(Err(e))),
            }
        });
    };
    view! {
        <section class="console" aria-labelledby="leads-title">
            <div class="section-head">
                <h2 id="leads-title">"Leads"</h2>
                <label>"Site " <select on:change=move |e| { story.set(None); site.set(event_target_value(&e)) } prop:value=site>
                    {move || sites.get().into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                </select></label>
                <label>"Find " <input type="search" placeholder="Email, name, company…" prop:value=query on:input=move |e| query.set(event_target_value(&e)) /></label>
                <a class="button" href=move || format!("/api/sites/{}/leads.csv", site.get())>"Export CSV"</a>
                <label class="import">"Import CSV " <input type="file" accept=".csv,text/csv" on:change=import /></label>
            </div>
            {move || super::said_line(said.get())}
            <div class="leads-panes">
                <table class="list-table">
                    <thead><tr><th scope="col">"Email"</th><th scope="col">"Name"</th><th scope="col">"Company"</th><th scope="col">"Last seen"</th></tr></thead>
                    <tbody>
                        {move || list.get().into_iter().map(|l| {
                            let id = l["id"].as_str().unwrap_or_default().to_owned();
                            view! {
                                <tr>
                                    <td><button class="link" on:click=move |_| open(id.clone())>{l["email"].as_str().unwrap_or_default().to_owned()}</button></td>
                                    <td>{l["name"].as_str().unwrap_or_default().to_owned()}</td>
                                    <td>{l["company"].as_str().unwrap_or("—").to_owned()}</td>
                                    <td>{when(&l["updated_at"])}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                {move || story.get().map(|s| view! {
                    <article class="lead-story" aria-labelledby="lead-title">
                        <h3 id="lead-title">{s["email"].as_str().unwrap_or_default().to_owned()}</h3>
                        <p>{format!("Company: {} · lead since {}", s["company"].as_str().unwrap_or("—"), when(&s["created_at"]))}</p>
                        <table class="list-table">
                            <caption>"Attributes"</caption>
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Value"</th><th scope="col">"From"</th><th scope="col">"When"</th><th scope="col">"Verified"</th></tr></thead>
                            <tbody>
                                {s["attributes"].as_array().cloned().unwrap_or_default().into_iter().map(|a| view! {
                                    <tr>
                                        <td>{a["name"].as_str().unwrap_or_default().to_owned()}</td>
                                        <td>{a["value"].as_str().unwrap_or_default().to_owned()}</td>
                                        <td>{a["source"].as_str().unwrap_or_default().to_owned()}</td>
                                        <td>{when(&a["captured_at"])}</td>
                                        <td>{if a["verified"].as_bool() == Some(true) { "✓ verified" } else { "no" }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <h4>"What they did"</h4>
                        <ol class="timeline">
                            {s["activity"].as_array().cloned().unwrap_or_default().into_iter().map(|a| view! {
                                <li><time>{when(&a["at"])}</time> " " {happened(&a)}</li>
                            }).collect_view()}
                        </ol>
                    </article>
                })}
            </div>
        </section>
    }
}
