//! What dialogues do (docs/metrics.md): the widget's reported activity, checked and
//! stored; the metrics and funnels computed from it; leads and what each did.

pub mod activity;
pub mod lead_routes;
pub mod leads;
pub mod leads_store;
pub mod metrics;
pub mod routes;
pub mod store;
pub mod webhooks;
