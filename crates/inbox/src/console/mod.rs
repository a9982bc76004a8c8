//! The console's sections in the inbox app (admins only; docs/console.md): sites, and
//! dialogues with their designer, drafts, problems, versions and publishing.

mod agents;
mod appearance;
mod audit;
mod card_panel;
mod designer;
mod dialogues;
mod diff;
mod draft;
mod editor;
mod leads;
mod metrics;
mod preview;
mod sites;
mod stream_edit;
mod targeting;
mod test_visitors;
mod tree;

pub use agents::Agents;
pub use audit::AuditLog;
pub use dialogues::Dialogues;
pub use leads::Leads;
pub use sites::Sites;

use leptos::prelude::*;

/// What the last action said: done (a status) or refused (an alert, with the reason).
pub fn said_line(said: Option<Result<String, String>>) -> impl IntoView {
    said.map(|r| match r {
        Ok(t) => view! { <p role="status" class="said">{t}</p> }.into_any(),
        Err(t) => view! { <p role="alert" class="said error">{t}</p> }.into_any(),
    })
}
