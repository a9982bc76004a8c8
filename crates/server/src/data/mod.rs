//! What dialogues do (docs/metrics.md): the widget's reported activity, checked and
//! stored; the metrics and funnels computed from it.

pub mod activity;
pub mod metrics;
pub mod routes;
pub mod store;
