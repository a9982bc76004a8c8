//! Prometheus metrics at `/metrics`, for requests with `Authorization: Bearer
//! METRICS_TOKEN` (no token configured: no `/metrics`). What an operator watches:
//!
//! | metric | kind | labels |
//! |---|---|---|
//! | `chinwag_sockets_open` | gauge | `kind`: visitor, agent |
//! | `chinwag_messages_total` | counter | `from`: visitor, agent |
//! | `chinwag_ack_seconds` | histogram | `from`: frame received → stored → acknowledged |
//! | `chinwag_routing_decisions_total` | counter | `outcome`: assigned, no_rule_matched, nobody_available |
//! | `chinwag_login_failures_total` | counter | `reason`: password, rate_limited |

use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

/// The process's one recorder (several servers in one test process share it).
fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let buckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0];
        let recorder = PrometheusBuilder::new()
            .set_buckets(&buckets)
            .expect("buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Starts recording; called once at start-up.
pub fn init() {
    recorder();
}

pub async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> (StatusCode, String) {
    let token = &state.config.metrics_token;
    if token.is_empty() {
        return (
            StatusCode::NOT_FOUND,
            "metrics are off (set metrics_token)".into(),
        );
    }
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let matches = given.is_some_and(|g| crate::auth::same(g.as_bytes(), token.as_bytes()));
    if !matches {
        tracing::warn!("metrics refused: missing or wrong token");
        return (
            StatusCode::UNAUTHORIZED,
            "send Authorization: Bearer METRICS_TOKEN".into(),
        );
    }
    (StatusCode::OK, recorder().render())
}

/// Counts an open socket until dropped.
pub struct OpenSocket(&'static str);

pub fn socket_opened(kind: &'static str) -> OpenSocket {
    metrics::gauge!("chinwag_sockets_open", "kind" => kind).increment(1.0);
    OpenSocket(kind)
}

impl Drop for OpenSocket {
    fn drop(&mut self) {
        metrics::gauge!("chinwag_sockets_open", "kind" => self.0).decrement(1.0);
    }
}

pub fn message_acked(from: &'static str, received: Instant) {
    metrics::counter!("chinwag_messages_total", "from" => from).increment(1);
    metrics::histogram!("chinwag_ack_seconds", "from" => from).record(received.elapsed().as_secs_f64());
}

/// A visitor's `hello` with a token: `resumed` (their conversation goes on, on any
/// node) or `refused` (the widget must start over: the reload a failover should never
/// cause).
pub fn visitor_resume(outcome: &'static str) {
    metrics::counter!("chinwag_visitor_resumes_total", "outcome" => outcome).increment(1);
}

pub fn routed(outcome: &'static str) {
    metrics::counter!("chinwag_routing_decisions_total", "outcome" => outcome).increment(1);
}

pub fn login_failed(reason: &'static str) {
    metrics::counter!("chinwag_login_failures_total", "reason" => reason).increment(1);
}
