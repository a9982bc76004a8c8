//! Mine, unassigned, all (admins), in one state (open, snoozed, closed), newest
//! activity first: each conversation with its unread count.

use crate::state::{Filter, Inbox};
use leptos::prelude::*;

#[component]
pub fn ConversationList(inbox: Inbox) -> impl IntoView {
    let admin = inbox.me.with_value(|m| m.role == "admin");
    let tab = move |filter: Filter, label: &'static str| {
        view! {
            <button
                role="tab"
                aria-selected=move || (inbox.filter.get() == filter).to_string()
                on:click=move |_| inbox.filter.set(filter)
            >
                {label} " (" {move || inbox.visible(filter).len()} ")"
            </button>
        }
    };
    let open = move |id: String| {
        inbox.unread.update(|u| {
            u.remove(&id);
        });
        crate::notify::title(inbox.unread_total());
        inbox.selected.set(Some(id.clone()));
        leptos::task::spawn_local(crate::load::load_events(inbox, id));
    };
    // While the search box holds words, its results stand in for the list.
    let query = RwSignal::new(String::new());
    let searching = Memo::new(move |_| !query.with(|q| q.trim().is_empty()));
    view! {
        <nav class="list" aria-label="Conversations">
            <crate::search::Search inbox query />
            <div class="lists" hidden=move || searching.get()>
            <div role="tablist">
                {tab(Filter::Mine, "Mine")}
                {tab(Filter::Unassigned, "Unassigned")}
                {admin.then(|| tab(Filter::All, "All"))}
            </div>
            <crate::states::StateSwitch inbox />
            <div class="filters">
                <crate::labels::LabelFilter inbox />
                {admin.then(|| view! { <crate::filters::PeopleFilters inbox /> })}
            </div>
            <ul>
                {move || inbox.visible(inbox.filter.get()).into_iter().map(|c| {
                    let id = c.id.clone();
                    let unread = {
                        let id = id.clone();
                        move || inbox.unread.with(|u| u.get(&id).copied().unwrap_or(0))
                    };
                    let current = {
                        let id = id.clone();
                        move || inbox.selected.get().as_deref() == Some(id.as_str())
                    };
                    view! {
                        <li>
                            <button class="item" aria-current=move || current().then_some("true") on:click=move |_| open(id.clone())>
                                <span class="name">{c.visitor()}</span>
                                <span class="page">{c.page_url.clone()}</span>
                                {crate::states::badge(&c).map(|b| view! { <span class="closed">{b}</span> })}
                                <span class="chips">{crate::labels::chips(inbox, &c.labels)}</span>
                                <span class="unread" aria-label="unread messages">{move || match unread() { 0 => String::new(), n => n.to_string() }}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            </div>
            <crate::keys::Shortcuts inbox />
        </nav>
    }
}
