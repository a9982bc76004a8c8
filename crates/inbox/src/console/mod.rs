//! The console's sections in the inbox app (admins only; docs/console.md): sites, and
//! dialogues with their drafts, problems, versions and publishing.

mod agents;
mod appearance;
mod audit;
mod dialogues;
mod diff;
mod editor;
mod sites;
mod tree;

pub use agents::Agents;
pub use audit::AuditLog;
pub use dialogues::Dialogues;
pub use sites::Sites;
