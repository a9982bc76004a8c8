//! The retention purge (docs/privacy.md): every hour, for each site, what is past its
//! window goes, and each purge that took anything is written to the audit log (what,
//! how many, when).

use super::retention_store as store;
use crate::cluster::lease;
use crate::db::{now_ms, Db};
use crate::state::AppState;
use std::time::Duration;

pub const EVERY: Duration = Duration::from_secs(3600);

/// How long "purge now" waits for the round before answering that it is still running
/// (under the server's 30 s limit on a request).
pub const ANSWER_WITHIN: Duration = Duration::from_secs(25);

pub fn start(state: AppState) {
    let tasks = state.tasks.clone();
    tasks.keep("retention purge", move |_| {
        let state = state.clone();
        async move {
            // A minute after start, then hourly.
            tokio::time::sleep(Duration::from_secs(60)).await;
            loop {
                // One node purges per hour; the lease outlasts the hour a little so the
                // holder's next round renews it before anyone else's takes it.
                let span = EVERY + Duration::from_secs(600);
                match lease::hold(&state.db, "purge", state.fanout.node(), span).await {
                    Ok(true) => {}
                    Ok(false) => {
                        tokio::time::sleep(EVERY).await;
                        continue;
                    }
                    Err(e) => {
                        // Not known to hold it: another node may be purging. Ask again soon.
                        tracing::warn!("retention purge: could not take the lease: {e}");
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        continue;
                    }
                }
                match store::sites(&state.db).await {
                    Ok(sites) => {
                        for site in sites {
                            if let Err(e) = site_round(&state.db, &site, now_ms() as i64).await {
                                tracing::warn!(site, "retention purge: {e}");
                            }
                        }
                    }
                    Err(e) => tracing::warn!("retention purge: {e}"),
                }
                tokio::time::sleep(EVERY).await;
            }
        }
    });
}

/// Purges one site; what went, by kind.
pub async fn site_round(db: &Db, site: &str, now: i64) -> sqlx::Result<Vec<(&'static str, i64)>> {
    let windows = store::windows(db, site).await?;
    let mut gone = Vec::new();
    for ((kind, cutoff), (_, days)) in windows.cutoffs(now).into_iter().zip(windows.days()) {
        let n = store::purge(db, site, kind, cutoff).await?;
        if n > 0 {
            let detail = format!("{n} {kind} older than {days} days");
            crate::console::store::audit(db, "retention", "retention.purge", site, &detail).await?;
            tracing::info!(site, "retention purge: {detail}");
        }
        gone.push((kind, n));
    }
    if gone.iter().any(|(_, n)| *n > 0) {
        crate::db::forget_deleted(db).await;
    }
    Ok(gone)
}
