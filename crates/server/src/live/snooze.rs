//! Snoozed conversations whose time has come open again (docs/inbox.md, "States"):
//! every few seconds each node looks for them; the conditional update in
//! `db::reopen` lets one node only reopen each, so the event is told once. The same
//! round serves the queue (`conversation::serve_queue`), so a slot freed through any
//! node, or by an agent's session ending, is filled within the same few seconds.

use crate::db;
use crate::live::conversation;
use crate::state::AppState;
use chinwag_protocol::Role;
use std::time::Duration;

/// How late a snooze may end, at most.
pub const EVERY: Duration = Duration::from_secs(5);

pub fn start(state: AppState) {
    let tasks = state.tasks.clone();
    tasks.keep("snoozes and the queue", move |_| {
        let state = state.clone();
        async move {
            loop {
                tokio::time::sleep(EVERY).await;
                if let Err(e) = wake(&state).await {
                    tracing::warn!("snooze wake-up: {e}");
                }
                if let Err(e) = conversation::serve_queue(&state).await {
                    tracing::warn!("the queue: {e}");
                }
            }
        }
    });
}

async fn wake(state: &AppState) -> Result<(), crate::error::AppError> {
    for id in db::snoozes_due(&state.db, db::now_ms()).await? {
        if let Some(c) = db::conversation(&state.db, &id).await? {
            conversation::reopen(state, &c, Role::System).await?;
        }
    }
    Ok(())
}
