use crate::api::call;
use crate::state::Agent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

#[derive(Deserialize)]
struct LoggedIn {
    agent: Agent,
    csrf: String,
}

#[component]
pub fn Login(signed_in: Callback<(Agent, String)>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let body =
            serde_json::json!({ "email": email.get_untracked(), "password": password.get_untracked() })
                .to_string();
        spawn_local(async move {
            match call::<LoggedIn>("POST", "/api/login", Some(body), "").await {
                Ok(done) => signed_in.run((done.agent, done.csrf)),
                Err(message) => error.set(Some(message)),
            }
        });
    };
    view! {
        <form class="login" on:submit=submit>
            <h1>"Sign in to the Chinwag inbox"</h1>
            <label for="email">"Email"</label>
            <input id="email" type="email" autocomplete="username" required=true on:input=move |e| email.set(event_target_value(&e)) />
            <label for="password">"Password"</label>
            <input id="password" type="password" autocomplete="current-password" required=true on:input=move |e| password.set(event_target_value(&e)) />
            <p class="error" role="alert">{move || error.get()}</p>
            <button type="submit">"Sign in"</button>
        </form>
    }
}
