//! The REST API for a site's own systems (docs/api.md): keys, paginated reads, a few
//! writes, and its OpenAPI description generated from the code.

pub mod extract;
pub mod keys;
pub mod openapi;
pub mod routes;
pub mod store;
pub mod types;
