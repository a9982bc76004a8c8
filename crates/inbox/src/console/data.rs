//! The console's Data section: per site, its webhooks, how long data is kept, a
//! person's data, and API keys.

use super::privacy::{ApiKeys, Person, Retention};
use super::webhooks::Webhooks;
use leptos::prelude::*;

#[component]
pub fn Data(csrf: String) -> impl IntoView {
    let (sites, site) = super::site_choice();
    let csrf = StoredValue::new(csrf);
    view! {
        <section class="console" aria-labelledby="data-title">
            <div class="section-head">
                <h2 id="data-title">"Data"</h2>
                <label>"Site " <select on:change=move |e| site.set(event_target_value(&e)) prop:value=site>
                    {move || sites.get().into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                </select></label>
            </div>
            {move || {
                let site = site.get();
                (!site.is_empty()).then(|| view! {
                    <Webhooks site=site.clone() csrf=csrf.get_value() />
                    <Retention site=site.clone() csrf=csrf.get_value() />
                    <Person site=site.clone() csrf=csrf.get_value() />
                    <ApiKeys site=site csrf=csrf.get_value() />
                })
            }}
        </section>
    }
}
