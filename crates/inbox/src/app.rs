//! Signed in or not; the three panes of the inbox.

use crate::api::call;
use crate::console::{Agents, Data, Dialogues, Leads, Reports, Sites};
use crate::conversation::ConversationPane;
use crate::list::ConversationList;
use crate::login::Login;
use crate::meetings::{CalendarProblems, CalendarSettings, MeetingList};
use crate::state::{Agent, Inbox};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

#[derive(Deserialize)]
struct Me {
    agent: Agent,
    csrf: String,
}

#[component]
pub fn App() -> impl IntoView {
    let session = RwSignal::new(None::<Inbox>);
    let checked = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(me) = call::<Me>("GET", "/api/me", None, "").await {
            session.set(Some(start(me.agent, me.csrf)));
        }
        checked.set(true);
    });
    let signed_in =
        Callback::new(move |(agent, csrf): (Agent, String)| session.set(Some(start(agent, csrf))));
    view! {
        {move || match (checked.get(), session.get()) {
            (false, _) => view! { <p class="loading">"Loading…"</p> }.into_any(),
            (true, None) => view! { <Login signed_in /> }.into_any(),
            (true, Some(inbox)) => view! { <Main inbox /> }.into_any(),
        }}
    }
}

fn start(agent: Agent, csrf: String) -> Inbox {
    let inbox = Inbox::new(agent, csrf);
    crate::socket::connect(inbox, 0);
    crate::load::reload_saved(inbox);
    crate::load::reload_labels(inbox);
    inbox
}

/// The inbox's sections.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Conversations,
    Meetings,
    Calendar,
    Replies,
    Labels,
    Sites,
    Dialogues,
    Leads,
    Data,
    Reports,
    Agents,
}

#[component]
fn Main(inbox: Inbox) -> impl IntoView {
    let name = inbox.me.with_value(|m| m.name.clone());
    let admin = inbox.me.with_value(|m| m.role == "admin");
    let section = RwSignal::new(Section::Conversations);
    let go = move |to: Section, label: &'static str| {
        view! {
            <button aria-current=move || (section.get() == to).then_some("page") on:click=move |_| {
                // Leaving a dialogue's editor with unsaved changes asks first.
                if section.get_untracked() != to && crate::console::may_leave() {
                    section.set(to);
                }
            }>{label}</button>
        }
    };
    let status = move |e: leptos::ev::Event| {
        let value = event_target_value(&e);
        let status = if value == "away" {
            chinwag_protocol::AgentStatus::Away
        } else {
            chinwag_protocol::AgentStatus::Available
        };
        crate::socket::send(&chinwag_protocol::AgentFrame::Status(status));
    };
    view! {
        <header class="top">
            <h1>"Chinwag inbox"</h1>
            <nav class="sections" aria-label="Sections">
                {go(Section::Conversations, "Conversations")}
                {go(Section::Meetings, "Meetings")}
                {go(Section::Calendar, "My calendar")}
                {go(Section::Replies, "Saved replies")}
                {admin.then(|| go(Section::Dialogues, "Dialogues"))}
                {admin.then(|| go(Section::Leads, "Leads"))}
                {admin.then(|| go(Section::Data, "Data"))}
                {admin.then(|| go(Section::Reports, "Reports"))}
                {admin.then(|| go(Section::Sites, "Sites"))}
                {admin.then(|| go(Section::Agents, "Agents"))}
                {admin.then(|| go(Section::Labels, "Labels"))}
            </nav>
            <span class="who">{name}</span>
            <label>
                "Status "
                <select on:change=status>
                    <option value="available">"Available"</option>
                    <option value="away">"Away"</option>
                </select>
            </label>
            <button on:click=move |_| {
                let muted = !inbox.muted.get_untracked();
                crate::notify::set_muted(muted);
                inbox.muted.set(muted);
            }>{move || if inbox.muted.get() { "Unmute sound" } else { "Mute sound" }}</button>
            <Show when=|| !crate::notify::permission_granted()>
                <button on:click=|_| crate::notify::ask_permission()>"Enable desktop notifications"</button>
            </Show>
            <button on:click=move |_| {
                let csrf = inbox.csrf.get_value();
                spawn_local(async move {
                    let _ = call::<serde_json::Value>("POST", "/api/logout", Some("{}".into()), &csrf).await;
                    let _ = web_sys::window().map(|w| w.location().reload());
                });
            }>"Sign out"</button>
            // In the header's own line: a new chat's notice covers nothing below it.
            <span class="notice" role="status" aria-live="polite">{move || inbox.notice.get()}</span>
            <span class="connection" role="status">{move || if inbox.connected.get() { "Live" } else { "Reconnecting…" }}</span>
        </header>
        <CalendarProblems />
        {move || match section.get() {
            Section::Conversations => view! {
                <main class="panes">
                    <ConversationList inbox />
                    <ConversationPane inbox />
                </main>
            }.into_any(),
            Section::Meetings => view! { <main class="page"><MeetingList csrf=inbox.csrf.get_value() admin /></main> }.into_any(),
            Section::Calendar => view! { <main class="page"><CalendarSettings csrf=inbox.csrf.get_value() /></main> }.into_any(),
            Section::Replies => view! { <main class="page"><crate::saved::SavedReplies inbox /></main> }.into_any(),
            Section::Labels => view! { <main class="page"><crate::labels::Labels inbox /></main> }.into_any(),
            Section::Sites => view! { <main class="page"><Sites csrf=inbox.csrf.get_value() /></main> }.into_any(),
            Section::Dialogues => view! { <main class="page"><Dialogues csrf=inbox.csrf.get_value() /></main> }.into_any(),
            Section::Leads => view! { <main class="page"><Leads csrf=inbox.csrf.get_value() /></main> }.into_any(),
            Section::Data => view! { <main class="page"><Data csrf=inbox.csrf.get_value() /></main> }.into_any(),
            Section::Reports => view! { <main class="page"><Reports /></main> }.into_any(),
            Section::Agents => view! { <main class="page"><Agents csrf=inbox.csrf.get_value() /></main> }.into_any(),
        }}
    }
}
