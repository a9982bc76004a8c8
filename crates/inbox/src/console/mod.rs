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
mod preview;
mod sites;
mod stream_edit;
mod targeting;
mod test_visitors;
mod tree;

pub use agents::Agents;
pub use audit::AuditLog;
pub use dialogues::Dialogues;
pub use sites::Sites;
