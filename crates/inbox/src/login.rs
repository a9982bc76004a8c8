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

/// The token of an invitation link (`/inbox/#invite=…`), if the page was opened with one.
fn invitation() -> Option<String> {
    let hash = window().location().hash().ok()?;
    hash.strip_prefix("#invite=")
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

#[component]
pub fn Login(signed_in: Callback<(Agent, String)>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let token = RwSignal::new(invitation());
    let said = RwSignal::new(None::<String>);
    let chosen = RwSignal::new(String::new());
    let set_password = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let body = serde_json::json!({ "token": token.get_untracked(), "password": chosen.get_untracked() })
            .to_string();
        spawn_local(async move {
            match call::<serde_json::Value>("POST", "/api/invitations/accept", Some(body), "").await {
                Ok(done) => {
                    email.set(done["email"].as_str().unwrap_or_default().to_owned());
                    let _ = window().history().and_then(|h| {
                        h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/inbox/"))
                    });
                    token.set(None);
                    error.set(None);
                    said.set(Some("Your password is set: sign in with it.".into()));
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };
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
    let invited = move || token.get().is_some();
    view! {
        <Show when=invited>
            <form class="login" on:submit=set_password>
                <h1>"Welcome to Chinwag: choose your password"</h1>
                <label for="new-password">"Password (10 characters or more)"</label>
                <input id="new-password" type="password" autocomplete="new-password" required=true minlength="10" prop:value=chosen on:input=move |e| chosen.set(event_target_value(&e)) />
                <p class="error" role="alert">{move || error.get()}</p>
                <button type="submit">"Set my password"</button>
            </form>
        </Show>
        <Show when=move || !invited()>
        <form class="login" on:submit=submit>
            <h1>"Sign in to the Chinwag inbox"</h1>
            <p role="status">{move || said.get()}</p>
            <label for="email">"Email"</label>
            <input id="email" type="email" autocomplete="username" required=true prop:value=email on:input=move |e| email.set(event_target_value(&e)) />
            <label for="password">"Password"</label>
            <input id="password" type="password" autocomplete="current-password" required=true on:input=move |e| password.set(event_target_value(&e)) />
            <p class="error" role="alert">{move || error.get()}</p>
            <button type="submit">"Sign in"</button>
        </form>
        </Show>
    }
}
