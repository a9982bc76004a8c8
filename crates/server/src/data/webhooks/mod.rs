//! Webhooks per the Standard Webhooks specification (docs/webhooks.md): endpoints with
//! rotating secrets, an outbox written with each change, a worker that delivers with
//! retries, and the delivery log with replay.

pub mod events;
pub mod outbox;
pub mod routes;
pub mod schedule;
pub mod sign;
pub mod store;
pub mod worker;
