//! The console's server side (docs/console.md): sites, dialogue drafts and versions,
//! and the audit log. The console's screens live in the inbox app (one app, one
//! sign-in: admins see every section, agents only theirs).

pub mod routes;
pub mod store;
