//! Conversation states in the inbox (docs/inbox.md, "States"): the list shows one
//! state at a time (open, snoozed, closed), and the open conversation can be snoozed
//! (for an hour, until tomorrow or next week at 9:00, until a time picked, or until
//! the visitor writes), reopened or closed. `s` opens the snooze menu.

use crate::state::{Inbox, Summary};
use chinwag_protocol::{AgentFrame, ConversationState};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

const STATES: [(ConversationState, &str); 3] = [
    (ConversationState::Open, "Open"),
    (ConversationState::Snoozed, "Snoozed"),
    (ConversationState::Closed, "Closed"),
];

/// The list's choice of state, each with how many of the list's conversations are in
/// it.
#[component]
pub fn StateSwitch(inbox: Inbox) -> impl IntoView {
    view! {
        <div class="states" role="group" aria-label="State">
            {STATES.iter().map(|&(state, name)| view! {
                <button type="button" aria-pressed=move || (inbox.state_filter.get() == state).to_string()
                    on:click=move |_| inbox.state_filter.set(state)>
                    {name} " " <span class="count">{move || inbox.visible_in(inbox.filter.get(), state).len()}</span>
                </button>
            }).collect_view()}
        </div>
    }
}

/// What the list says of a conversation that is not open, or waits in the queue.
pub fn badge(c: &Summary) -> Option<String> {
    match c.state {
        ConversationState::Open if c.queued_at.is_some() && c.agent_id.is_none() => {
            Some("in the queue".into())
        }
        ConversationState::Open => None,
        ConversationState::Closed => Some("closed".into()),
        ConversationState::Snoozed => Some(match c.snoozed_until {
            Some(until) => format!("snoozed until {}", when(until)),
            None => "snoozed until they write".into(),
        }),
    }
}

/// A time in the agent's own zone and language: "Mon 9:00" within a week, else the date.
pub fn when(ms: u64) -> String {
    let date = js_sys::Date::new(&(ms as f64).into());
    let soon = (ms as f64) - js_sys::Date::now() < 6.0 * 24.0 * 3600.0 * 1000.0;
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    };
    if soon {
        set("weekday", "short");
    } else {
        set("day", "numeric");
        set("month", "short");
    }
    set("hour", "numeric");
    set("minute", "2-digit");
    String::from(date.to_locale_string("default", &options))
}

/// The next day at 9:00 that is `days` days from today, in the agent's zone.
fn at_nine(days: u32) -> u64 {
    let date = js_sys::Date::new_0();
    date.set_date(date.get_date() + days);
    date.set_hours(9);
    date.set_minutes(0);
    date.set_seconds(0);
    date.set_milliseconds(0);
    date.get_time() as u64
}

/// The snooze menu's choices: a name and the time (none: until the visitor writes).
fn choices() -> Vec<(&'static str, Option<u64>)> {
    let now = js_sys::Date::now() as u64;
    // Next Monday (a week from today when today is Monday).
    let today = js_sys::Date::new_0().get_day();
    let to_monday = (8 - today) % 7;
    vec![
        ("For an hour", Some(now + 3600 * 1000)),
        ("Until tomorrow, 9:00", Some(at_nine(1))),
        (
            "Until next week, Monday 9:00",
            Some(at_nine(if to_monday == 0 { 7 } else { to_monday })),
        ),
        ("Until the visitor writes", None),
    ]
}

/// The open conversation's state actions: Snooze (a menu), Reopen, Close.
#[component]
pub fn StateActions(inbox: Inbox, id: String) -> impl IntoView {
    let state = {
        let id = id.clone();
        Memo::new(move |_| {
            inbox
                .conversations
                .with(|all| all.iter().find(|c| c.id == id).map(|c| c.state))
                .unwrap_or_default()
        })
    };
    let menu = NodeRef::<html::Details>::new();
    let picked = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let snooze = {
        let id = id.clone();
        move |until: Option<u64>| {
            crate::socket::send(&AgentFrame::Snooze {
                conversation: id.clone(),
                until,
            });
            if let Some(menu) = menu.get_untracked() {
                menu.set_open(false);
            }
        }
    };
    let custom = {
        let snooze = snooze.clone();
        move |e: leptos::ev::SubmitEvent| {
            e.prevent_default();
            // `datetime-local` gives the agent's local time; Date reads it as such.
            let at = js_sys::Date::parse(&picked.get_untracked());
            if at.is_nan() || at <= js_sys::Date::now() {
                problem.set(Some("Pick a time in the future."));
                return;
            }
            problem.set(None);
            snooze(Some(at as u64));
        }
    };
    let (reopen_id, close_id) = (id.clone(), id);
    view! {
        <div class="state-actions">
            {move || (state.get() != ConversationState::Closed).then(|| {
                let snooze = snooze.clone();
                let custom = custom.clone();
                view! {
                    <details class="snooze" node_ref=menu on:keydown=move |e: leptos::ev::KeyboardEvent| {
                        if e.key() == "Escape" {
                            if let Some(menu) = menu.get_untracked() {
                                menu.set_open(false);
                                if let Ok(Some(summary)) = menu.query_selector("summary") {
                                    let _ = summary.unchecked_into::<web_sys::HtmlElement>().focus();
                                }
                            }
                        }
                    }>
                        <summary>"Snooze"</summary>
                        <div class="snooze-menu">
                            {choices().into_iter().map(|(name, until)| {
                                let snooze = snooze.clone();
                                view! { <button type="button" on:click=move |_| snooze(until)>{name}</button> }
                            }).collect_view()}
                            <form on:submit=custom>
                                <label>"Until " <input type="datetime-local" required prop:value=move || picked.get()
                                    on:input=move |e| picked.set(event_target_value(&e))
                                    aria-invalid=move || problem.get().is_some().then_some("true")
                                    aria-describedby=move || problem.get().is_some().then_some("snooze-problem") /></label>
                                <button type="submit">"Snooze"</button>
                                <span id="snooze-problem" class="problem" role="alert">{move || problem.get()}</span>
                            </form>
                        </div>
                    </details>
                }
            })}
            {move || {
                let reopen_id = reopen_id.clone();
                (state.get() != ConversationState::Open).then(|| view! {
                    <button type="button" on:click=move |_| crate::socket::send(&AgentFrame::Reopen { conversation: reopen_id.clone() })>"Reopen"</button>
                })
            }}
            {move || {
                let close_id = close_id.clone();
                (state.get() != ConversationState::Closed).then(|| view! {
                    <button type="button" on:click=move |_| crate::socket::send(&AgentFrame::Close { conversation: close_id.clone() })>"Close conversation"</button>
                })
            }}
        </div>
    }
}

/// `s`: opens the open conversation's snooze menu, its first choice focused.
pub fn open_snooze_menu() -> bool {
    let Some(menu) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".snooze").ok().flatten())
        .and_then(|m| m.dyn_into::<web_sys::HtmlDetailsElement>().ok())
    else {
        return false;
    };
    menu.set_open(true);
    menu.query_selector(".snooze-menu button")
        .ok()
        .flatten()
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|b| b.focus().is_ok())
}
