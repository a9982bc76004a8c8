//! `/healthz`: the process answers. `/readyz`: it can do its work (the database
//! answers, every migration is applied and, in a cluster, it hears the other nodes)
//! and is not stopping, and every background task runs (`tasks.rs`), so a balancer
//! sends it new clients.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// `ok chinwag 0.1.0 (commit …, built …)`: a check may match `ok` at the start.
pub async fn alive() -> String {
    format!("ok chinwag {}", crate::version::long())
}

pub async fn ready(State(state): State<AppState>) -> (StatusCode, String) {
    if state.shutdown.is_stopping() {
        return (StatusCode::SERVICE_UNAVAILABLE, "stopping".into());
    }
    // A node whose delivery or writer is down would leave its clients deaf.
    let down = state.tasks.down();
    if !down.is_empty() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("background task down: {}", down.join(", ")),
        );
    }
    // A node that cannot hear the others would leave its clients deaf to them.
    if !state.fanout.connected() {
        return (StatusCode::SERVICE_UNAVAILABLE, "broker unreachable".into());
    }
    match crate::db::pending_migrations(&state.db).await {
        Ok(0) => (StatusCode::OK, "ready".into()),
        Ok(n) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{n} migrations not applied"),
        ),
        Err(e) => {
            tracing::warn!("readiness: database unreachable: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable".into())
        }
    }
}
