//! The console's sections in the inbox app (admins only; docs/console.md): sites, and
//! dialogues with their drafts, problems, versions and publishing.

mod dialogues;
mod editor;
mod sites;
mod tree;

pub use dialogues::Dialogues;
pub use sites::Sites;
