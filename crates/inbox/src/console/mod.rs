//! The console's sections in the inbox app (admins only; docs/console.md): sites, and
//! dialogues with their designer, drafts, problems, versions and publishing.

mod agents;
mod appearance;
mod audit;
mod card_panel;
mod data;
mod designer;
mod dialogues;
mod diff;
mod draft;
mod editor;
mod hours;
mod leads;
mod metrics;
mod page_answer;
mod preview;
mod privacy;
mod reports;
mod sites;
mod stream_edit;
mod targeting;
mod test_visitors;
mod tree;
mod webhooks;
mod words;

pub use agents::Agents;
pub use audit::AuditLog;
pub use data::Data;
pub use dialogues::Dialogues;
pub use leads::Leads;
pub use reports::Reports;
pub use sites::Sites;

use leptos::prelude::*;
use std::cell::RefCell;

thread_local! {
    /// The name of the dialogue whose editor has changes nobody saved, if any.
    static UNSAVED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The editor says whether it has unsaved changes (and of which dialogue).
pub fn set_unsaved(name: Option<String>) {
    UNSAVED.with(|u| *u.borrow_mut() = name);
}

/// Whether the admin may leave the editor now: nothing is unsaved, or they said so.
pub fn may_leave() -> bool {
    let Some(name) = UNSAVED.with(|u| u.borrow().clone()) else {
        return true;
    };
    let sure = window()
        .confirm_with_message(&format!(
            "“{name}” has changes that are not saved. Leave and lose them?"
        ))
        .unwrap_or(false);
    if sure {
        set_unsaved(None);
    }
    sure
}

/// What the last action said: done (a status) or refused (an alert, with the reason).
pub fn said_line(said: Option<Result<String, String>>) -> impl IntoView {
    said.map(|r| match r {
        Ok(t) => view! { <p role="status" class="said">{t}</p> }.into_any(),
        Err(t) => view! { <p role="alert" class="said error">{t}</p> }.into_any(),
    })
}

/// The ids of the sites an admin may pick, and the one picked (the first, at first).
pub fn site_choice() -> (RwSignal<Vec<String>>, RwSignal<String>) {
    let (sites, site) = (RwSignal::new(Vec::new()), RwSignal::new(String::new()));
    leptos::task::spawn_local(async move {
        let all: Vec<serde_json::Value> = crate::api::call("GET", "/api/sites", None, "")
            .await
            .unwrap_or_default();
        let ids: Vec<String> = all
            .iter()
            .filter_map(|s| s["id"].as_str().map(str::to_owned))
            .collect();
        site.set(ids.first().cloned().unwrap_or_default());
        sites.set(ids);
    });
    (sites, site)
}
