//! The console's server side (docs/console.md), all of it: sites and their appearance,
//! dialogue drafts and versions (`routes.rs`), agents and teams (`people.rs`), what the
//! CLI, the console and the demo share to create them (`setup.rs`), and the audit log. The console's screens live in the inbox app (one app, one
//! sign-in: admins see every section, agents only theirs).

pub mod people;
pub mod routes;
pub mod setup;
pub mod store;
