//! Attachments both ways (docs/inbox.md, "Attachments"): what a file is, read from its
//! bytes (`kind.rs`, pure); the `files` table (`store.rs`); uploads by visitors and
//! agents, and serving a file so it never runs in our origins (`routes.rs`).

pub mod attach;
pub mod kind;
pub mod routes;
pub mod store;
