//! A site's webhook endpoints (docs/webhooks.md): add one (its secret shown once), send
//! a test, rotate the secret, turn off and on, remove; each one's delivery log with
//! one-click replay.

use super::said_line;
use crate::api::call;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

#[component]
pub fn Webhooks(site: String, csrf: String) -> impl IntoView {
    let endpoints = RwSignal::new(Vec::<Value>::new());
    // The event types the server knows, and those ticked for a new endpoint (none: all).
    let types = RwSignal::new(Vec::<String>::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let log = RwSignal::new(None::<(String, Vec<Value>)>);
    let url = RwSignal::new(String::new());
    let said = RwSignal::new(None::<Result<String, String>>);
    let base = StoredValue::new(format!("/api/sites/{site}/webhooks"));
    let csrf = StoredValue::new(csrf);
    let reload = move || {
        spawn_local(async move {
            let got: Value = call("GET", &base.get_value(), None, "").await.unwrap_or_default();
            endpoints.set(got["endpoints"].as_array().cloned().unwrap_or_default());
            let known = got["types"].as_array().into_iter().flatten();
            types.set(known.filter_map(|t| t.as_str().map(str::to_owned)).collect());
        })
    };
    reload();
    let act = move |method: &'static str, path: String, body: Option<Value>, done: fn(&Value) -> String| {
        spawn_local(async move {
            let body = body.map(|b| b.to_string());
            match call::<Value>(method, &path, body, &csrf.get_value()).await {
                Ok(v) => said.set(Some(Ok(done(&v)))),
                Err(e) => said.set(Some(Err(e))),
            }
            reload();
        })
    };
    let add = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let events = match chosen.get_untracked() {
            picked if picked.is_empty() => vec!["*".to_owned()],
            picked => picked,
        };
        let body = json!({ "url": url.get_untracked().trim(), "events": events });
        act("POST", base.get_value(), Some(body), |v| {
            format!(
                "Endpoint added. Its secret, shown this once: {}",
                v["secret"].as_str().unwrap_or_default()
            )
        });
        url.set(String::new());
        chosen.set(Vec::new());
    };
    let open_log = move |id: String| {
        spawn_local(async move {
            let path = format!("{}/{id}/deliveries", base.get_value());
            log.set(Some((id, call("GET", &path, None, "").await.unwrap_or_default())));
        })
    };
    view! {
        <section class="data-part" aria-labelledby="webhooks-title">
            <h3 id="webhooks-title">"Webhooks"</h3>
            <form class="row" on:submit=add>
                <label>"Endpoint URL " <input type="url" required placeholder="https://crm.example.com/chinwag" prop:value=url on:input=move |e| url.set(event_target_value(&e)) /></label>
                <fieldset class="event-types">
                    <legend>"Events (none ticked: all of them)"</legend>
                    {move || types.get().into_iter().map(|t| {
                        let name = t.clone();
                        let ticked = move || chosen.with(|c| c.contains(&name));
                        let flip = {
                            let t = t.clone();
                            move |_| chosen.update(|c| match c.iter().position(|x| *x == t) {
                                Some(i) => { c.remove(i); }
                                None => c.push(t.clone()),
                            })
                        };
                        view! { <label class="check"><input type="checkbox" prop:checked=ticked on:change=flip />" " <code>{t}</code></label> }
                    }).collect_view()}
                </fieldset>
                <button type="submit">"Add endpoint"</button>
            </form>
            {move || said_line(said.get())}
            <ul class="endpoints">
                {move || endpoints.get().into_iter().map(|e| {
                    let id = e["id"].as_str().unwrap_or_default().to_owned();
                    let path = |tail: &str| format!("{}/{}{tail}", base.get_value(), id);
                    let enabled = e["enabled"].as_bool() == Some(true);
                    let (p_test, p_rotate, p_switch, p_delete, log_id) = (path("/test"), path("/rotate"), path(""), path(""), id.clone());
                    let url = e["url"].as_str().unwrap_or_default().to_owned();
                    view! {
                        <li>
                            <code>{url.clone()}</code>
                            <span class="status">{e["events"].as_array().map(|ev| ev.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(", ").replace('*', "all events")).unwrap_or_default()}</span>
                            <span class="status">{if enabled { "on".to_owned() } else { format!("off: {}", e["disabled_reason"].as_str().unwrap_or("")) }}</span>
                            <div class="row">
                                <button type="button" aria-label=format!("Send a test to {url}") on:click=move |_| act("POST", p_test.clone(), None, |_| "Test message queued.".into())>"Send test"</button>
                                <button type="button" on:click=move |_| open_log(log_id.clone())>"Deliveries"</button>
                                <button type="button" on:click=move |_| act("POST", p_rotate.clone(), None, |v| format!("New secret, shown this once (the old one signs too for 24 hours): {}", v["secret"].as_str().unwrap_or_default()))>"Rotate secret"</button>
                                <button type="button" on:click=move |_| act("PUT", p_switch.clone(), Some(json!({ "enabled": !enabled })), |_| "Saved.".into())>{if enabled { "Turn off" } else { "Turn on" }}</button>
                                <button type="button" on:click=move |_| {
                                    if window().confirm_with_message("Remove this endpoint and its delivery log?").unwrap_or(false) {
                                        act("DELETE", p_delete.clone(), None, |_| "Endpoint removed.".into())
                                    }
                                }>"Remove"</button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || log.get().map(|(id, rows)| view! {
                <table class="list-table deliveries">
                    <caption>"Latest deliveries"</caption>
                    <thead><tr><th scope="col">"Event"</th><th scope="col">"Status"</th><th scope="col">"Attempts"</th><th scope="col">"Last answer"</th><th scope="col">"Replay"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|d| {
                            let path = format!("{}/{}/deliveries/{}/replay", base.get_value(), id, d["id"].as_str().unwrap_or_default());
                            let answer = d["last_error"].as_str().map(str::to_owned).or_else(|| d["last_status"].as_i64().map(|s| s.to_string())).unwrap_or_default();
                            view! {
                                <tr>
                                    <td>{d["type"].as_str().unwrap_or_default().to_owned()}<br/><code>{d["message_id"].as_str().unwrap_or_default().to_owned()}</code></td>
                                    <td>{d["status"].as_str().unwrap_or_default().to_owned()}</td>
                                    <td>{d["attempts"].to_string()}</td>
                                    <td>{answer}</td>
                                    <td><button type="button" on:click={
                                        let id = id.clone();
                                        move |_| {
                                            act("POST", path.clone(), None, |_| "Replayed: the same message, same id, now.".into());
                                            open_log(id.clone());
                                        }
                                    }>"Replay"</button></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
