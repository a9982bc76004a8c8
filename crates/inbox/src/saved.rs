//! Saved replies in the inbox: `/` in the reply box offers them as you type (the
//! shortcut or any word of the text), ↑/↓ choose, Enter or Tab puts the chosen one in
//! the box with its placeholders filled, for editing before it is sent; and the page
//! where agents keep their own and admins their teams'. docs/inbox.md.

use crate::api::call;
use crate::state::{Inbox, SavedReply};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeMap;

/// The most replies the box offers at once.
const OFFERED: usize = 8;

/// The replies `draft` asks for: a draft that is `/` and a word (no space yet), matched
/// by the start of the shortcut first, then by the text, in any case.
pub fn offered(draft: &str, all: &[SavedReply]) -> Vec<SavedReply> {
    let Some(query) = draft
        .strip_prefix('/')
        .filter(|q| !q.contains(char::is_whitespace))
    else {
        return Vec::new();
    };
    let query = query.to_lowercase();
    let by_shortcut = all.iter().filter(|r| r.shortcut.starts_with(&query));
    let by_text = all
        .iter()
        .filter(|r| !r.shortcut.starts_with(&query) && r.text.to_lowercase().contains(&query));
    by_shortcut.chain(by_text).take(OFFERED).cloned().collect()
}

/// `text` with `{name}` placeholders filled from `values`; one without a value stays
/// as it is, braces included, so the agent sees what to fill in before sending.
pub fn fill(text: &str, values: &BTreeMap<&str, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if values.get(name).is_some_and(|v| !v.is_empty()) => {
                out.push_str(&values[name]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a reply's placeholders are filled with in a conversation: the visitor's
/// `first_name`, `last_name`, `email`, `company` and `{agent_name}`, the agent's name.
pub fn values(attributes: &BTreeMap<String, String>, agent_name: &str) -> BTreeMap<&'static str, String> {
    let mut values: BTreeMap<&'static str, String> = ["first_name", "last_name", "email", "company"]
        .into_iter()
        .filter_map(|k| Some((k, attributes.get(k)?.clone())))
        .collect();
    values.insert("agent_name", agent_name.to_owned());
    values
}

/// The page: one's own replies and (admins) the teams', added and deleted.
#[component]
pub fn SavedReplies(inbox: Inbox) -> impl IntoView {
    let admin = inbox.me.with_value(|m| m.role == "admin");
    let csrf = inbox.csrf.get_value();
    let teams = RwSignal::new(Vec::<(String, String)>::new());
    if admin {
        spawn_local(async move {
            if let Ok(d) = call::<serde_json::Value>("GET", "/api/directory", None, "").await {
                let list = d["teams"].as_array().cloned().unwrap_or_default();
                teams.set(
                    list.iter()
                        .map(|t| {
                            (
                                t["id"].as_str().unwrap_or_default().to_owned(),
                                t["name"].as_str().unwrap_or_default().to_owned(),
                            )
                        })
                        .collect(),
                );
            }
        });
    }
    let (shortcut, text, owner) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let problem = RwSignal::new(None::<String>);
    let add = {
        let csrf = csrf.clone();
        move |e: leptos::ev::SubmitEvent| {
            e.prevent_default();
            let team = owner.get_untracked();
            let body = serde_json::json!({
                "shortcut": shortcut.get_untracked(),
                "text": text.get_untracked(),
                "team": (!team.is_empty()).then_some(team),
            });
            let csrf = csrf.clone();
            spawn_local(async move {
                match call::<serde_json::Value>("POST", "/api/saved-replies", Some(body.to_string()), &csrf)
                    .await
                {
                    // Kept as typed on a refusal; emptied once stored.
                    Ok(_) => {
                        problem.set(None);
                        shortcut.set(String::new());
                        text.set(String::new());
                        crate::load::reload_saved(inbox);
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        }
    };
    let remove = move |reply: SavedReply| {
        let csrf = csrf.clone();
        spawn_local(async move {
            match call::<serde_json::Value>(
                "DELETE",
                &format!("/api/saved-replies/{}", reply.id),
                None,
                &csrf,
            )
            .await
            {
                Ok(_) => crate::load::reload_saved(inbox),
                Err(e) => problem.set(Some(e)),
            }
        });
    };
    view! {
        <section class="saved-replies">
            <h2>"Saved replies"</h2>
            <p class="hint">"Type " <kbd>"/"</kbd> " and a shortcut in the reply box. "
                "{first_name}, {last_name}, {email}, {company} and {agent_name} are filled in; "
                "one the chat does not know stays in braces for you to replace."</p>
            <table class="list-table">
                <thead><tr><th scope="col">"Shortcut"</th><th scope="col">"Text"</th><th scope="col">"For"</th><th scope="col"><span class="sr-only">"Actions"</span></th></tr></thead>
                <tbody>
                    {move || inbox.saved.get().into_iter().map(|reply| {
                        let may_delete = admin || reply.team.is_none();
                        let label = format!("Delete /{}", reply.shortcut);
                        let for_whom = reply.team.clone().map_or_else(|| "Just me".to_owned(), |t| format!("Team {t}"));
                        let gone = reply.clone();
                        let remove = remove.clone();
                        view! {
                            <tr>
                                <td><code>"/" {reply.shortcut.clone()}</code></td>
                                <td class="text">{reply.text.clone()}</td>
                                <td>{for_whom}</td>
                                <td>{may_delete.then(|| view! { <button aria-label=label on:click=move |_| remove(gone.clone())>"Delete"</button> })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <form class="add-reply" on:submit=add>
                <h3>"Add a saved reply"</h3>
                <label>"Shortcut" <input required maxlength="40" prop:value=move || shortcut.get() on:input=move |e| shortcut.set(event_target_value(&e)) /></label>
                <label>"Text" <textarea required rows="3" maxlength=chinwag_protocol::MAX_TEXT prop:value=move || text.get() on:input=move |e| text.set(event_target_value(&e))></textarea></label>
                {admin.then(|| view! {
                    <label>"For "
                        <select on:change=move |e| owner.set(event_target_value(&e))>
                            <option value="">"Just me"</option>
                            {move || teams.get().into_iter().map(|(id, name)| view! { <option value=id>{format!("Team {name}")}</option> }).collect_view()}
                        </select>
                    </label>
                })}
                <button type="submit">"Add"</button>
                <p class="problem" role="alert">{move || problem.get()}</p>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(shortcut: &str, text: &str) -> SavedReply {
        SavedReply {
            id: shortcut.into(),
            team: None,
            shortcut: shortcut.into(),
            text: text.into(),
        }
    }

    #[test]
    fn slash_offers_by_shortcut_then_by_text() {
        let all = [
            reply("price", "Seats are 12 € a month."),
            reply("later", "Back in a minute with the price."),
        ];
        let shortcuts = |d: &str| {
            offered(d, &all)
                .into_iter()
                .map(|r| r.shortcut)
                .collect::<Vec<_>>()
        };
        assert_eq!(shortcuts("/"), ["price", "later"]);
        assert_eq!(shortcuts("/PR"), ["price", "later"], "shortcut first, then text");
        assert_eq!(shortcuts("/lat"), ["later"]);
        assert!(shortcuts("/price now").is_empty(), "a space ends the question");
        assert!(shortcuts("price").is_empty(), "only after /");
    }

    #[test]
    fn placeholders_are_filled_and_the_unknown_ones_stay() {
        let attributes: BTreeMap<String, String> = [("first_name".to_owned(), "Pia".to_owned())].into();
        let values = values(&attributes, "Ana Admin");
        assert_eq!(
            fill("Hi {first_name}, {agent_name} here.", &values),
            "Hi Pia, Ana Admin here."
        );
        assert_eq!(fill("{company}? {first_name}", &values), "{company}? Pia");
        assert_eq!(
            fill("braces { alone } and {unclosed", &values),
            "braces { alone } and {unclosed"
        );
        assert_eq!(fill("€ {first_name}{first_name}", &values), "€ PiaPia");
    }
}
