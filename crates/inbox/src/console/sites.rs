//! Sites: each with its allowed origins, the embed snippet to copy, the switch that
//! stops every dialogue, and a new identity secret on demand; and a new site.

use super::said_line;
use crate::api::call;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

#[component]
pub fn Sites(csrf: String) -> impl IntoView {
    let sites = RwSignal::new(Vec::<Value>::new());
    let said = RwSignal::new(None::<Result<String, String>>);
    let load = move || {
        spawn_local(async move {
            sites.set(
                call::<Vec<Value>>("GET", "/api/sites", None, "")
                    .await
                    .unwrap_or_default(),
            )
        })
    };
    load();
    let csrf = StoredValue::new(csrf);
    let (new_id, new_name, new_origins) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let create = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let body = json!({ "id": new_id.get_untracked().trim(), "name": new_name.get_untracked(), "origins": lines(&new_origins.get_untracked()) }).to_string();
        spawn_local(async move {
            match call::<Value>("POST", "/api/sites", Some(body), &csrf.get_value()).await {
                Ok(_) => {
                    said.set(Some(Ok("Site created.".into())));
                    new_id.set(String::new());
                    load();
                }
                Err(e) => said.set(Some(Err(e))),
            }
        });
    };
    view! {
        <section class="console" aria-labelledby="sites-title">
            <h2 id="sites-title">"Sites"</h2>
            {move || said_line(said.get())}
            <div class="cards">
                {move || sites.get().into_iter().map(|s| {
                    let (id, look) = (s["id"].as_str().unwrap_or_default().to_owned(), s["appearance"].clone());
                    view! {
                        <SiteCard site=s csrf=csrf.get_value() />
                        <super::appearance::Appearance site=id appearance=look csrf=csrf.get_value() />
                    }
                }).collect_view()}
            </div>
            <form class="card" on:submit=create>
                <h3>"New site"</h3>
                <label>"Id (letters, digits, - and _) " <input required prop:value=new_id on:input=move |e| new_id.set(event_target_value(&e)) /></label>
                <label>"Name " <input required prop:value=new_name on:input=move |e| new_name.set(event_target_value(&e)) /></label>
                <label>"Allowed origins, one per line " <textarea rows="2" placeholder="https://www.example.com" prop:value=new_origins on:input=move |e| new_origins.set(event_target_value(&e))></textarea></label>
                <button type="submit">"Create site"</button>
            </form>
        </section>
        <super::AuditLog />
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
fn SiteCard(site: Value, csrf: String) -> impl IntoView {
    let id = site["id"].as_str().unwrap_or_default().to_owned();
    let name = RwSignal::new(site["name"].as_str().unwrap_or_default().to_owned());
    let origins = RwSignal::new(
        site["origins"]
            .as_array()
            .map(|o| o.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n"))
            .unwrap_or_default(),
    );
    let on = RwSignal::new(site["chat_enabled"].as_bool().unwrap_or(true));
    let consent = RwSignal::new(site["merge_consent"].as_bool().unwrap_or(false));
    let said = RwSignal::new(None::<Result<String, String>>);
    let secret = RwSignal::new(None::<String>);
    let snippet = site["snippet"].as_str().unwrap_or_default().to_owned();
    let csrf = StoredValue::new(csrf);
    let path = format!("/api/sites/{id}");
    let save = {
        let path = path.clone();
        move |e: leptos::ev::SubmitEvent| {
            e.prevent_default();
            let body = json!({
                "name": name.get_untracked(), "origins": lines(&origins.get_untracked()),
                "chat_enabled": on.get_untracked(), "merge_consent": consent.get_untracked(),
            })
            .to_string();
            let path = path.clone();
            spawn_local(async move {
                let r = call::<Value>("PUT", &path, Some(body), &csrf.get_value()).await;
                said.set(Some(r.map(|_| "Saved.".into())));
            });
        }
    };
    let new_secret = move |_| {
        let path = format!("{path}/identity-secret");
        spawn_local(async move {
            match call::<Value>(
                "POST",
                &path,
                Some(r#"{"require":false}"#.into()),
                &csrf.get_value(),
            )
            .await
            {
                Ok(v) => secret.set(v["secret"].as_str().map(str::to_owned)),
                Err(e) => said.set(Some(Err(e))),
            }
        });
    };
    let copy = {
        let snippet = snippet.clone();
        move |_| {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&snippet);
            }
            said.set(Some(Ok("Snippet copied.".into())));
        }
    };
    let snippet_id = format!("snippet-{id}");
    view! {
        <form class="card" on:submit=save>
            <h3>{id.clone()}</h3>
            <label>"Name " <input required prop:value=name on:input=move |e| name.set(event_target_value(&e)) /></label>
            <label>"Allowed origins, one per line " <textarea rows="3" prop:value=origins on:input=move |e| origins.set(event_target_value(&e))></textarea></label>
            <label class="switch"><input type="checkbox" prop:checked=on on:change=move |e| on.set(event_target_checked(&e)) /> " Chat enabled (off: no dialogue shows on any page)"</label>
            <label class="switch"><input type="checkbox" prop:checked=consent on:change=move |e| consent.set(event_target_checked(&e)) /> " Ask consent before merging a visit into a known lead (the page sets merge_consent: yes)"</label>
            <label for=snippet_id.clone()>"Embed snippet"</label>
            <div class="row"><input id=snippet_id readonly value=snippet /><button type="button" on:click=copy>"Copy"</button></div>
            <div class="row">
                <button type="submit">"Save"</button>
                <button type="button" on:click=new_secret>"New identity secret"</button>
            </div>
            {move || secret.get().map(|s| view! { <p class="secret">"Identity secret (shown once; give it to your backend): " <code>{s}</code></p> })}
            {move || said_line(said.get())}
        </form>
    }
}
