//! Who changed what, when (admins).

use crate::api::call;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

#[component]
pub fn AuditLog() -> impl IntoView {
    let entries = RwSignal::new(Vec::<Value>::new());
    spawn_local(async move { entries.set(call("GET", "/api/audit", None, "").await.unwrap_or_default()) });
    view! {
        <section class="console" aria-labelledby="audit-title">
            <h2 id="audit-title">"Changes"</h2>
            <table class="list-table">
                <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"On"</th><th scope="col">"Detail"</th></tr></thead>
                <tbody>
                    {move || entries.get().into_iter().map(|e| view! {
                        <tr>
                            <td>{crate::meetings::local_time(e["at"].as_i64().unwrap_or(0) / 1000)}</td>
                            <td>{e["actor"].as_str().unwrap_or("").to_owned()}</td>
                            <td>{e["action"].as_str().unwrap_or("").to_owned()}</td>
                            <td>{e["subject"].as_str().unwrap_or("").to_owned()}</td>
                            <td>{e["detail"].as_str().unwrap_or("").to_owned()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
