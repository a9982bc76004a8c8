//! What dialogues do (docs/metrics.md): the widget's reported activity, checked and
//! stored; the metrics and funnels computed from it; leads and what each did;
//! webhooks; retention and a person's erasure.

pub mod activity;
pub mod erase_store;
pub mod histogram;
pub mod lead_routes;
pub mod leads;
pub mod leads_store;
pub mod metrics;
pub mod privacy_routes;
pub mod purge;
pub mod report;
pub mod retention;
pub mod retention_store;
pub mod routes;
pub mod store;
pub mod webhooks;
