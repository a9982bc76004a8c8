//! Prometheus metrics at `/metrics`, for requests with `Authorization: Bearer
//! METRICS_TOKEN` (no token configured: no `/metrics`). What an operator watches is
//! [`SERIES`], the one list: every series is described at start (`# HELP`, `# TYPE`)
//! and at zero for each value of its label, as exporters do, so dashboards and alerts
//! see it before the first chat.
//!
//! | metric | kind | labels |
//! |---|---|---|
//! | `chinwag_sockets_open` | gauge | `kind`: visitor, agent |
//! | `chinwag_messages_total` | counter | `from`: visitor, agent |
//! | `chinwag_ack_seconds` | histogram | `from`: frame received → stored → acknowledged |
//! | `chinwag_visitor_resumes_total` | counter | `outcome`: resumed, refused |
//! | `chinwag_routing_decisions_total` | counter | `outcome`: assigned, no_rule_matched, nobody_available |
//! | `chinwag_login_failures_total` | counter | `reason`: password, rate_limited |

use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Gauge,
    Histogram,
}

/// One series: its name, kind, help, and its label with every value it takes.
pub struct Series {
    pub name: &'static str,
    pub kind: Kind,
    pub help: &'static str,
    pub label: &'static str,
    pub values: &'static [&'static str],
}

const SOCKETS_OPEN: Series = Series {
    name: "chinwag_sockets_open",
    kind: Kind::Gauge,
    help: "Sockets open on this node, visitors' and agents'.",
    label: "kind",
    values: &["visitor", "agent"],
};
const MESSAGES: Series = Series {
    name: "chinwag_messages_total",
    kind: Kind::Counter,
    help: "Messages stored and acknowledged, by who sent them.",
    label: "from",
    values: &["visitor", "agent"],
};
const ACK_SECONDS: Series = Series {
    name: "chinwag_ack_seconds",
    kind: Kind::Histogram,
    help: "Seconds from a message frame received to its acknowledgement (stored).",
    label: "from",
    values: &["visitor", "agent"],
};
const VISITOR_RESUMES: Series = Series {
    name: "chinwag_visitor_resumes_total",
    kind: Kind::Counter,
    help: "Visitors' hellos with a token: resumed, or refused (the widget starts over).",
    label: "outcome",
    values: &["resumed", "refused"],
};
const ROUTING: Series = Series {
    name: "chinwag_routing_decisions_total",
    kind: Kind::Counter,
    help: "Live chats routed: assigned to an agent, or the fallback and why.",
    label: "outcome",
    values: &["assigned", "no_rule_matched", "nobody_available"],
};
const LOGIN_FAILURES: Series = Series {
    name: "chinwag_login_failures_total",
    kind: Kind::Counter,
    help: "Sign-ins refused: a wrong password, or too many attempts.",
    label: "reason",
    values: &["password", "rate_limited"],
};

/// Every series this server emits. Emitted only through [`Series`] constants listed
/// here (a unit test holds every `metrics::` macro in the crate to that).
pub const SERIES: [&Series; 6] = [
    &SOCKETS_OPEN,
    &MESSAGES,
    &ACK_SECONDS,
    &VISITOR_RESUMES,
    &ROUTING,
    &LOGIN_FAILURES,
];

/// The process's one recorder (several servers in one test process share it), every
/// series described and at zero from the start.
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
        for s in SERIES {
            describe(s);
        }
        handle
    })
}

/// `# HELP` and `# TYPE` for a series, and a zero for each value of its label (an
/// increment by zero: a node that already counted keeps its count).
fn describe(s: &Series) {
    for value in s.values {
        match s.kind {
            Kind::Counter => {
                metrics::describe_counter!(s.name, s.help);
                metrics::counter!(s.name, s.label => *value).increment(0);
            }
            Kind::Gauge => {
                metrics::describe_gauge!(s.name, s.help);
                metrics::gauge!(s.name, s.label => *value).increment(0.0);
            }
            Kind::Histogram => {
                metrics::describe_histogram!(s.name, s.help);
                let _ = metrics::histogram!(s.name, s.label => *value);
            }
        }
    }
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
    let matches = given.is_some_and(|g| crate::access::auth::same(g.as_bytes(), token.as_bytes()));
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
    metrics::gauge!(SOCKETS_OPEN.name, SOCKETS_OPEN.label => kind).increment(1.0);
    OpenSocket(kind)
}

impl Drop for OpenSocket {
    fn drop(&mut self) {
        metrics::gauge!(SOCKETS_OPEN.name, SOCKETS_OPEN.label => self.0).decrement(1.0);
    }
}

pub fn message_acked(from: &'static str, received: Instant) {
    metrics::counter!(MESSAGES.name, MESSAGES.label => from).increment(1);
    metrics::histogram!(ACK_SECONDS.name, ACK_SECONDS.label => from).record(received.elapsed().as_secs_f64());
}

/// A visitor's `hello` with a token: `resumed` (their conversation goes on, on any
/// node) or `refused` (the widget must start over: the reload a failover should never
/// cause).
pub fn visitor_resume(outcome: &'static str) {
    metrics::counter!(VISITOR_RESUMES.name, VISITOR_RESUMES.label => outcome).increment(1);
}

pub fn routed(outcome: &'static str) {
    metrics::counter!(ROUTING.name, ROUTING.label => outcome).increment(1);
}

pub fn login_failed(reason: &'static str) {
    metrics::counter!(LOGIN_FAILURES.name, LOGIN_FAILURES.label => reason).increment(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `metrics::` macro in the crate is here and names a series of [`SERIES`]:
    /// a series added elsewhere, or here without its entry, fails this test.
    #[test]
    fn every_series_emitted_is_listed() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![src];
        let mut emitted = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for macro_ in ["counter!(", "gauge!(", "histogram!("] {
                for (at, _) in text.match_indices(&format!("metrics::{macro_}")) {
                    let argument = text[at + 9 + macro_.len()..]
                        .split([',', ')'])
                        .next()
                        .unwrap()
                        .trim()
                        .to_owned();
                    emitted.push((path.display().to_string(), argument));
                }
            }
        }
        let listed = [
            "SOCKETS_OPEN",
            "MESSAGES",
            "ACK_SECONDS",
            "VISITOR_RESUMES",
            "ROUTING",
            "LOGIN_FAILURES",
        ];
        assert_eq!(listed.len(), SERIES.len());
        for (file, argument) in &emitted {
            let ok = file.ends_with("telemetry.rs")
                && (argument == "s.name" || listed.iter().any(|l| argument == &format!("{l}.name")));
            assert!(ok, "{file}: metrics::…!({argument}, …) is not a series of SERIES");
        }
        assert!(emitted.len() >= 9, "{emitted:?}");
    }
}
