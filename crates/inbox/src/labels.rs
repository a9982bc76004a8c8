//! Labels in the inbox: chips on conversations, the list's filter, the checkboxes in
//! a conversation's details, and the admins' page that keeps them. docs/inbox.md.

use crate::api::call;
use crate::state::{Inbox, Label};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A label as a chip: its colour, with the text colour the server chose to read on it.
pub fn chip(label: &Label) -> impl IntoView {
    let style = format!("background:{};color:{}", label.colour, label.text);
    view! { <span class="chip" style=style>{label.name.clone()}</span> }
}

/// The labels of a conversation, as chips.
pub fn chips(inbox: Inbox, ids: &[String]) -> impl IntoView {
    inbox.labels.with(|all| {
        all.iter()
            .filter(|l| ids.contains(&l.id))
            .map(chip)
            .collect_view()
    })
}

/// The list's filter: every conversation, or those with one label.
#[component]
pub fn LabelFilter(inbox: Inbox) -> impl IntoView {
    view! {
        <label class="label-filter">"Label "
            <select on:change=move |e| {
                let value = event_target_value(&e);
                inbox.label_filter.set((!value.is_empty()).then_some(value));
            }>
                <option value="">"Any"</option>
                {move || inbox.labels.get().into_iter().map(|l| view! { <option value=l.id>{l.name}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// A conversation's labels, each a checkbox: a change is stored at once.
#[component]
pub fn LabelPicker(inbox: Inbox, id: String) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let on = {
        let id = id.clone();
        move || {
            inbox.conversations.with(|all| {
                all.iter()
                    .find(|c| c.id == id)
                    .map(|c| c.labels.clone())
                    .unwrap_or_default()
            })
        }
    };
    let toggle = {
        let on = on.clone();
        move |label: String, checked: bool| {
            let mut labels = on();
            labels.retain(|l| *l != label);
            if checked {
                labels.push(label);
            }
            let (id, csrf) = (id.clone(), inbox.csrf.get_value());
            spawn_local(async move {
                let body = serde_json::json!({ "labels": labels }).to_string();
                match call::<serde_json::Value>(
                    "PUT",
                    &format!("/api/conversations/{id}/labels"),
                    Some(body),
                    &csrf,
                )
                .await
                {
                    Ok(_) => {
                        problem.set(None);
                        crate::load::reload(inbox);
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        }
    };
    view! {
        <fieldset class="labels">
            <legend>"Labels"</legend>
            {move || {
                let now = on();
                let toggle = toggle.clone();
                inbox.labels.get().into_iter().map(|l| {
                    let checked = now.contains(&l.id);
                    let (id, toggle) = (l.id.clone(), toggle.clone());
                    view! {
                        <label><input type="checkbox" prop:checked=checked on:change=move |e| toggle(id.clone(), event_target_checked(&e)) />{chip(&l)}</label>
                    }
                }).collect_view()
            }}
            {move || inbox.labels.with(Vec::is_empty).then_some(view! { <p class="hint">"No labels yet: admins add them in Labels."</p> })}
            <p class="problem" role="alert">{move || problem.get()}</p>
        </fieldset>
    }
}

/// The admins' page: every label, added with a name and a colour, deleted.
#[component]
pub fn Labels(inbox: Inbox) -> impl IntoView {
    let (name, colour) = (RwSignal::new(String::new()), RwSignal::new("#0b4fa8".to_owned()));
    let problem = RwSignal::new(None::<String>);
    let csrf = inbox.csrf.get_value();
    let add = {
        let csrf = csrf.clone();
        move |e: leptos::ev::SubmitEvent| {
            e.prevent_default();
            let body = serde_json::json!({ "name": name.get_untracked(), "colour": colour.get_untracked() })
                .to_string();
            let csrf = csrf.clone();
            spawn_local(async move {
                match call::<serde_json::Value>("POST", "/api/labels", Some(body), &csrf).await {
                    Ok(_) => {
                        problem.set(None);
                        name.set(String::new());
                        crate::load::reload_labels(inbox);
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        }
    };
    let remove = move |label: Label| {
        let csrf = csrf.clone();
        spawn_local(async move {
            match call::<serde_json::Value>("DELETE", &format!("/api/labels/{}", label.id), None, &csrf).await
            {
                Ok(_) => {
                    crate::load::reload_labels(inbox);
                    crate::load::reload(inbox);
                }
                Err(e) => problem.set(Some(e)),
            }
        });
    };
    view! {
        <section class="labels-page">
            <h2>"Labels"</h2>
            <p class="hint">"Agents put labels on conversations and filter the list by them. The text on a label is black or white, whichever reads better on its colour."</p>
            <ul class="label-list">
                {move || inbox.labels.get().into_iter().map(|l| {
                    let remove = remove.clone();
                    let gone = l.clone();
                    let aria = format!("Delete {}", l.name);
                    view! { <li>{chip(&l)} <button aria-label=aria on:click=move |_| remove(gone.clone())>"Delete"</button></li> }
                }).collect_view()}
            </ul>
            <form class="add-label" on:submit=add>
                <h3>"Add a label"</h3>
                <label>"Name" <input required maxlength="40" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e)) /></label>
                <label>"Colour" <input type="color" prop:value=move || colour.get() on:input=move |e| colour.set(event_target_value(&e)) /></label>
                <button type="submit">"Add"</button>
                <p class="problem" role="alert">{move || problem.get()}</p>
            </form>
        </section>
    }
}
