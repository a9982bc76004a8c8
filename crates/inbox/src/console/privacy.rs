//! A site's data rules (docs/privacy.md, docs/api.md): how long each kind of data is
//! kept (a shorter window shows what it would delete, then asks), erasing or exporting
//! a person, and the REST API's keys (each shown once).

use super::said_line;
use crate::api::call;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

const KINDS: [(&str, &str); 4] = [
    ("transcripts_days", "Closed live chats"),
    ("leads_days", "Leads without activity"),
    ("events_days", "Raw activity and webhook messages"),
    ("meetings_days", "Meetings that ended"),
];

#[component]
pub fn Retention(site: String, csrf: String) -> impl IntoView {
    let windows = RwSignal::new(Value::Null);
    let said = RwSignal::new(None::<Result<String, String>>);
    let pending = RwSignal::new(None::<String>);
    let path = StoredValue::new(format!("/api/sites/{site}/retention"));
    let csrf = StoredValue::new(csrf);
    spawn_local(
        async move { windows.set(call("GET", &path.get_value(), None, "").await.unwrap_or_default()) },
    );
    let save = move |confirm: bool| {
        let mut body = windows.get_untracked();
        body["confirm"] = json!(confirm);
        spawn_local(async move {
            match call::<Value>(
                "PUT",
                &path.get_value(),
                Some(body.to_string()),
                &csrf.get_value(),
            )
            .await
            {
                Ok(_) => {
                    pending.set(None);
                    said.set(Some(Ok("Saved: the next hourly purge applies it.".into())));
                }
                // Refused with what it would delete: shown, and asked again.
                Err(e) if e.contains("confirm") => pending.set(Some(e)),
                Err(e) => said.set(Some(Err(e))),
            }
        });
    };
    view! {
        <section class="data-part" aria-labelledby="retention-title">
            <h3 id="retention-title">"Keep data for"</h3>
            <form class="retention" on:submit=move |e: leptos::ev::SubmitEvent| { e.prevent_default(); save(false) }>
                {KINDS.into_iter().map(|(key, label)| view! {
                    <label>{label} " (days) "
                        <input type="number" min="1" max="3650" required
                            prop:value=move || windows.get()[key].to_string()
                            on:input=move |e| windows.update(|w| w[key] = json!(event_target_value(&e).parse::<i64>().unwrap_or(0))) />
                    </label>
                }).collect_view()}
                <button type="submit">"Save"</button>
            </form>
            {move || pending.get().map(|text| view! {
                <div class="conflict" role="alert">
                    <p>{text}</p>
                    <button type="button" on:click=move |_| save(true)>"Delete them and save"</button>
                    <button type="button" on:click=move |_| pending.set(None)>"Keep the old windows"</button>
                </div>
            })}
            {move || said_line(said.get())}
        </section>
    }
}

#[component]
pub fn Person(site: String, csrf: String) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let said = RwSignal::new(None::<Result<String, String>>);
    let site = StoredValue::new(site);
    let csrf = StoredValue::new(csrf);
    let erase = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let who = email.get_untracked().trim().to_owned();
        let sure = window()
            .confirm_with_message(&format!("Erase everything about {who}? This cannot be undone."))
            .unwrap_or(false);
        if !sure {
            return;
        }
        spawn_local(async move {
            let path = format!("/api/sites/{}/erase", site.get_value());
            match call::<Value>(
                "POST",
                &path,
                Some(json!({ "email": who }).to_string()),
                &csrf.get_value(),
            )
            .await
            {
                Ok(v) => {
                    let rows: i64 = v["erased"]
                        .as_object()
                        .map_or(0, |m| m.values().filter_map(Value::as_i64).sum());
                    said.set(Some(Ok(format!("Erased: {rows} rows about them are gone."))));
                }
                Err(e) => said.set(Some(Err(e))),
            }
        });
    };
    view! {
        <section class="data-part" aria-labelledby="person-title">
            <h3 id="person-title">"A person's data"</h3>
            <form class="row" on:submit=erase>
                <label>"Email " <input type="email" required prop:value=email on:input=move |e| email.set(event_target_value(&e)) /></label>
                <a class="button" href=move || format!("/api/sites/{}/people?email={}", site.get_value(), js_sys::encode_uri_component(&email.get()))>"Export (JSON)"</a>
                <button type="submit" class="danger">"Erase everywhere"</button>
            </form>
            {move || said_line(said.get())}
        </section>
    }
}

#[component]
pub fn ApiKeys(site: String, csrf: String) -> impl IntoView {
    let keys = RwSignal::new(Vec::<Value>::new());
    let name = RwSignal::new(String::new());
    let scope = RwSignal::new("read".to_owned());
    let said = RwSignal::new(None::<Result<String, String>>);
    let path = StoredValue::new(format!("/api/sites/{site}/api-keys"));
    let csrf = StoredValue::new(csrf);
    let reload = move || {
        spawn_local(
            async move { keys.set(call("GET", &path.get_value(), None, "").await.unwrap_or_default()) },
        )
    };
    reload();
    let create = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let body = json!({ "name": name.get_untracked(), "scope": scope.get_untracked() }).to_string();
        spawn_local(async move {
            match call::<Value>("POST", &path.get_value(), Some(body), &csrf.get_value()).await {
                Ok(v) => said.set(Some(Ok(format!(
                    "Key made. Copy it now, it is shown this once: {}",
                    v["secret"].as_str().unwrap_or_default()
                )))),
                Err(e) => said.set(Some(Err(e))),
            }
            reload();
        });
    };
    let revoke = move |id: String| {
        spawn_local(async move {
            let url = format!("{}/{id}", path.get_value());
            if let Err(e) = call::<Value>("DELETE", &url, None, &csrf.get_value()).await {
                said.set(Some(Err(e)));
            }
            reload();
        })
    };
    view! {
        <section class="data-part" aria-labelledby="keys-title">
            <h3 id="keys-title">"API keys"</h3>
            <form class="row" on:submit=create>
                <label>"Name " <input required placeholder="CRM sync" prop:value=name on:input=move |e| name.set(event_target_value(&e)) /></label>
                <label>"Scope " <select on:change=move |e| scope.set(event_target_value(&e))>
                    <option value="read">"Read"</option>
                    <option value="write">"Read and write"</option>
                </select></label>
                <button type="submit">"Make key"</button>
            </form>
            {move || said_line(said.get())}
            <ul class="keys">
                {move || keys.get().into_iter().map(|k| {
                    let id = k["id"].as_str().unwrap_or_default().to_owned();
                    let revoked = !k["revoked_at"].is_null();
                    let name = k["name"].as_str().unwrap_or_default().to_owned();
                    view! {
                        <li>
                            {format!("{} ({}){}", name, k["scope"].as_str().unwrap_or(""), if revoked { ", revoked" } else { "" })}
                            {(!revoked).then(|| view! { <button type="button" aria-label=format!("Revoke {name}") on:click=move |_| revoke(id.clone())>"Revoke"</button> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
