//! One conversation: the whole transcript (bot part included), the visitor's details,
//! the reply box with typing indicators both ways, transfer, snooze, reopen and close.

use crate::state::Inbox;
use chinwag_protocol::{AgentFrame, EventKind, Outgoing, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

#[derive(Clone, Deserialize)]
struct Directory {
    agents: Vec<Person>,
    teams: Vec<Person>,
}

#[derive(Clone, Deserialize)]
struct Person {
    id: String,
    name: String,
}

#[component]
pub fn ConversationPane(inbox: Inbox) -> impl IntoView {
    let directory = RwSignal::new(None::<Directory>);
    spawn_local(async move {
        directory.set(
            crate::api::call::<Directory>("GET", "/api/directory", None, "")
                .await
                .ok(),
        );
    });
    move || match inbox.selected.get() {
        None => view! { <section class="pane empty"><p>"Pick a conversation."</p></section> }.into_any(),
        Some(id) => view! { <Conversation inbox id directory /> }.into_any(),
    }
}

#[component]
fn Conversation(inbox: Inbox, id: String, directory: RwSignal<Option<Directory>>) -> impl IntoView {
    let summary = {
        let id = id.clone();
        move || {
            inbox
                .conversations
                .with(|all| all.iter().find(|c| c.id == id).cloned())
        }
    };
    let lines = {
        let id = id.clone();
        move || {
            inbox.events.with(|all| {
                all.get(&id)
                    .map(|events| {
                        events
                            .iter()
                            .filter_map(|e| match &e.kind {
                                EventKind::Message {
                                    role, author, text, file, ..
                                } => Some((class(*role), author.clone(), text.clone(), file.clone())),
                                EventKind::Note { author, text, .. } => {
                                    Some(("line note", format!("Private note · {author}"), text.clone(), None))
                                }
                                EventKind::Assigned { agent_name, .. } => Some((
                                    class(Role::System),
                                    String::new(),
                                    format!("Assigned to {agent_name}"),
                                    None,
                                )),
                                EventKind::Unassigned { queued: false, .. } => Some((
                                    class(Role::System),
                                    String::new(),
                                    "Nobody was available: the visitor saw the fallback".into(),
                                    None,
                                )),
                                EventKind::Unassigned { queued: true, .. } => Some((
                                    class(Role::System),
                                    String::new(),
                                    "Everyone who could take it was at capacity: it waits in the queue (the visitor saw the fallback)".into(),
                                    None,
                                )),
                                EventKind::Closed { .. } => {
                                    Some((class(Role::System), String::new(), "Conversation closed".into(), None))
                                }
                                EventKind::Snoozed { until } => Some((
                                    class(Role::System),
                                    String::new(),
                                    match until {
                                        Some(t) => format!("Snoozed until {}", crate::states::when(*t)),
                                        None => "Snoozed until the visitor writes".into(),
                                    },
                                    None,
                                )),
                                EventKind::Reopened { by } => Some((
                                    class(Role::System),
                                    String::new(),
                                    match by {
                                        Role::Visitor => "Reopened: the visitor wrote",
                                        Role::Agent => "Reopened by an agent",
                                        Role::Bot | Role::System => "Reopened: the snooze ended",
                                    }
                                    .into(),
                                    None,
                                )),
                                EventKind::Rated { score, comment } => Some((
                                    "line rating",
                                    "Rating".into(),
                                    rated(*score, comment),
                                    None,
                                )),
                                EventKind::Started { .. } => None,
                            })
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
        }
    };
    let typing = {
        let id = id.clone();
        move || inbox.typing.with(|t| t.get(&id).copied().unwrap_or(false))
    };
    let draft = RwSignal::new(String::new());
    // Writing a private note instead of a reply: nothing of it reaches the visitor,
    // not even "typing".
    let note = inbox.writing_note;
    let last_typing = StoredValue::new(0.0f64);
    // Keep the newest line in view.
    let transcript = NodeRef::<leptos::html::Div>::new();
    let count = {
        let id = id.clone();
        move || inbox.events.with(|all| all.get(&id).map_or(0, Vec::len))
    };
    Effect::new(move |_| {
        count();
        if let Some(el) = transcript.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });
    let (send_id, type_id, state_id, transfer_id) = (id.clone(), id.clone(), id.clone(), id.clone());
    let (label_id, attach_id) = (id.clone(), id.clone());
    let send = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let text = draft.get_untracked().trim().to_owned();
        if text.is_empty() {
            return;
        }
        let message = Outgoing {
            id: crate::socket::random_id(),
            text,
        };
        if note.get_untracked() {
            crate::socket::send(&AgentFrame::Note {
                conversation: send_id.clone(),
                note: message,
            });
        } else {
            crate::socket::send(&AgentFrame::Message {
                conversation: send_id.clone(),
                message,
            });
            crate::socket::send(&AgentFrame::Typing {
                conversation: send_id.clone(),
                on: false,
            });
        }
        draft.set(String::new());
    };
    // `/` offers saved replies (saved.rs): the one picked, and whether Escape put the
    // offer away until the draft changes.
    let picked = RwSignal::new(0usize);
    let dismissed = RwSignal::new(false);
    let offers = Memo::new(move |_| match dismissed.get() {
        true => Vec::new(),
        false => inbox.saved.with(|all| crate::saved::offered(&draft.get(), all)),
    });
    let insert = {
        let id = id.clone();
        let me = inbox.me.with_value(|m| m.name.clone());
        Callback::new(move |reply: crate::state::SavedReply| {
            let attributes = inbox.conversations.with_untracked(|all| {
                all.iter()
                    .find(|c| c.id == id)
                    .map(|c| c.attributes.clone())
                    .unwrap_or_default()
            });
            draft.set(crate::saved::fill(
                &reply.text,
                &crate::saved::values(&attributes, &me),
            ));
        })
    };
    let typed = move |e: leptos::ev::Event| {
        draft.set(event_target_value(&e));
        dismissed.set(false);
        picked.set(0);
        let now = js_sys::Date::now();
        if !note.get_untracked() && now - last_typing.get_value() > 2_000.0 {
            last_typing.set_value(now);
            crate::socket::send(&AgentFrame::Typing {
                conversation: type_id.clone(),
                on: true,
            });
        }
    };
    let transfer = move |e: leptos::ev::Event| {
        let value = event_target_value(&e);
        let to = match value.split_once(':') {
            Some(("agent", id)) => chinwag_dialogue::Target::Agent(id.into()),
            Some(("team", id)) => chinwag_dialogue::Target::Team(id.into()),
            _ => return,
        };
        crate::socket::send(&AgentFrame::Transfer {
            conversation: transfer_id.clone(),
            to,
        });
    };
    let details = move || {
        summary().map(|c| {
            // The usual fields first, by name, then any others the dialogue or page set.
            const KNOWN: [(&str, &str); 6] = [
                ("first_name", "Name"),
                ("last_name", "Last name"),
                ("email", "Email"),
                ("company", "Company"),
                ("job_title", "Job title"),
                ("phone", "Phone"),
            ];
            let mut rows: Vec<(String, String, bool)> = KNOWN
                .iter()
                .filter_map(|(key, label)| Some((label.to_string(), c.attributes.get(*key)?.clone(), c.verified.iter().any(|v| v == key))))
                .collect();
            rows.extend(
                c.attributes
                    .iter()
                    .filter(|(k, _)| !KNOWN.iter().any(|(known, _)| known == k))
                    .map(|(k, v)| (k.replace('_', " "), v.clone(), c.verified.contains(k))),
            );
            let identity = if c.verified.is_empty() {
                "Not verified: the page told us these; the visitor could have changed them."
            } else {
                "✓ marks what the site's backend verified."
            };
            view! {
                <dl>
                    {rows.into_iter().map(|(label, value, verified)| view! {
                        <dt>{label}</dt>
                        <dd>
                            {value}
                            {verified.then(|| view! { <span class="verified" title="Verified by the site's backend">" ✓ verified"</span> })}
                        </dd>
                    }).collect_view()}
                    <dt>"Page"</dt><dd>{c.page_url.clone()}</dd>
                </dl>
                <p class="identity">{identity}</p>
            }
        })
    };
    view! {
        <section class="pane" aria-label="Conversation">
            // Focusable, so a keyboard scrolls a long conversation.
            <div class="transcript" role="log" aria-live="polite" aria-label="Conversation" tabindex="0" node_ref=transcript>
                {move || lines().into_iter().map(|(class, author, text, file)| match file {
                    Some(file) => view! { <div class=class><span class="author">{author}</span><p>{crate::attach::shown(file)}</p></div> }.into_any(),
                    None => view! { <div class=class><span class="author">{author}</span><p>{text}</p></div> }.into_any(),
                }).collect_view()}
            </div>
            <p class="typing" role="status">{move || typing().then_some("The visitor is typing…")}</p>
            <form class="reply" class:is-note=move || note.get() on:submit=send>
                <fieldset class="reply-kind">
                    <legend class="sr-only">"Write"</legend>
                    <label><input type="radio" name="reply-kind" prop:checked=move || !note.get() on:change=move |_| note.set(false) />"To the visitor"</label>
                    <label><input type="radio" name="reply-kind" prop:checked=move || note.get() on:change=move |_| note.set(true) />"Private note"</label>
                </fieldset>
                <label for="reply">{move || if note.get() { "Note for agents: the visitor never sees it; @name tells them" } else { "Reply" }}</label>
                {move || {
                    let list = offers.get();
                    (!list.is_empty()).then(|| view! {
                        <ul id="saved-offers" class="offers" role="listbox" aria-label="Saved replies">
                            {list.into_iter().enumerate().map(|(i, reply)| {
                                let shortcut = reply.shortcut.clone();
                                let text = reply.text.clone();
                                view! {
                                    <li id=format!("offer-{i}") role="option" aria-selected=move || (picked.get() == i).to_string()
                                        // Before the box loses the focus.
                                        on:mousedown=move |e| { e.prevent_default(); insert.run(reply.clone()) }>
                                        <code>"/" {shortcut}</code> " " <span>{text}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })
                }}
                <textarea id="reply" rows="2" maxlength=chinwag_protocol::MAX_TEXT prop:value=move || draft.get() on:input=typed
                    aria-autocomplete="list"
                    aria-controls=move || (!offers.get().is_empty()).then_some("saved-offers")
                    aria-activedescendant=move || (!offers.get().is_empty()).then(|| format!("offer-{}", picked.get()))
                    on:keydown=move |e: leptos::ev::KeyboardEvent| {
                        // With replies offered: ↑/↓ choose, Enter or Tab puts the chosen
                        // one in the box, Escape puts the offer away.
                        let list = offers.get_untracked();
                        if !list.is_empty() {
                            let n = list.len();
                            let handled = match e.key().as_str() {
                                "ArrowDown" => { picked.update(|p| *p = (*p + 1) % n); true }
                                "ArrowUp" => { picked.update(|p| *p = (*p + n - 1) % n); true }
                                "Enter" | "Tab" if !e.shift_key() => {
                                    insert.run(list[picked.get_untracked().min(n - 1)].clone());
                                    true
                                }
                                "Escape" => { dismissed.set(true); true }
                                _ => false,
                            };
                            if handled {
                                e.prevent_default();
                                return;
                            }
                        }
                        // Escape goes back to the conversation in the list (and its keys).
                        if e.key() == "Escape" {
                            if let Some(item) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(".list .item[aria-current]").ok().flatten()) {
                                let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(item).focus();
                            }
                        }
                        // Enter sends; Shift+Enter makes a new line.
                        if e.key() == "Enter" && !e.shift_key() {
                            e.prevent_default();
                            if let Some(form) = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok()).and_then(|t| t.closest("form").ok().flatten()) {
                                let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlFormElement>(form).request_submit();
                            }
                        }
                    }
                ></textarea>
                <button type="submit">{move || if note.get() { "Add note" } else { "Send" }}</button>
            </form>
            <crate::attach::AttachButton inbox id=attach_id />
            <div class="actions">
                <label>
                    "Transfer to "
                    <select on:change=transfer>
                        <option value="">"—"</option>
                        {move || directory.get().map(|d| view! {
                            <optgroup label="Teams">
                                {d.teams.into_iter().map(|t| view! { <option value=format!("team:{}", t.id)>{t.name}</option> }).collect_view()}
                            </optgroup>
                            <optgroup label="Agents">
                                {d.agents.into_iter().map(|a| view! { <option value=format!("agent:{}", a.id)>{a.name}</option> }).collect_view()}
                            </optgroup>
                        })}
                    </select>
                </label>
                <crate::states::StateActions inbox id=state_id />
            </div>
        </section>
        <aside class="details" aria-label="Visitor details">
            <h2>"Visitor"</h2>
            {details}
            <crate::labels::LabelPicker inbox id=label_id />
        </aside>
    }
}

/// The transcript line's class for a message's author.
fn class(role: Role) -> &'static str {
    match role {
        Role::Visitor => "line visitor",
        Role::Agent => "line agent",
        Role::Bot => "line bot",
        Role::System => "line system",
    }
}

/// A visitor's rating as the thread shows it: the score in words and stars (the stars
/// are decoration; the words say it), then their comment.
fn rated(score: u8, comment: &str) -> String {
    let stars: String = (1..=5).map(|n| if n <= score { '★' } else { '☆' }).collect();
    let mut line = format!("The visitor rated this chat {score} of 5 {stars}");
    if !comment.is_empty() {
        line.push_str(": “");
        line.push_str(comment);
        line.push('”');
    }
    line
}
