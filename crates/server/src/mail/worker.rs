//! Sends the mail outbox: one node at a time (a lease), what is due every 2 s, a
//! failure kept on the mail and retried with backoff (30 s doubling to an hour).

use crate::db;
use crate::state::AppState;
use std::time::Duration;

const LEASE: Duration = Duration::from_secs(120);

/// Milliseconds to wait after `attempts` failures.
fn backoff(attempts: i64) -> u64 {
    (30_000u64 << attempts.clamp(0, 7)).min(3_600_000)
}

pub fn start(state: AppState) {
    let tasks = state.tasks.clone();
    tasks.keep("mail worker", move |_| {
        let state = state.clone();
        async move {
            loop {
                if let Err(e) = round(&state).await {
                    tracing::warn!("mail worker: {e}");
                }
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    });
}

async fn round(state: &AppState) -> anyhow::Result<()> {
    let hold = || crate::cluster::lease::hold(&state.db, "mail", state.fanout.node(), LEASE);
    if !hold().await? {
        return Ok(());
    }
    for mail in super::store::due(&state.db, db::now_ms()).await? {
        // Renewed before each send: a slow mail server never outlives the lease.
        if !hold().await? {
            return Ok(());
        }
        let mailer = &state.meetings.mailer;
        let to = (mail.to_address.as_str(), mail.to_name.as_str());
        let reply_to = reply_to(state, mail.conversation_id.as_deref());
        match mailer
            .send_text(to, &mail.subject, &mail.body, reply_to.as_deref())
            .await
        {
            Ok(()) => super::store::sent(&state.db, &mail.id, db::now_ms()).await?,
            Err(problem) => {
                tracing::warn!(mail = %mail.id, problem, "mail not sent; will retry");
                let next = db::now_ms() + backoff(mail.attempts);
                super::store::failed(&state.db, &mail.id, &problem, next).await?;
            }
        }
    }
    Ok(())
}

/// Where the visitor's answer goes: the conversation's signed reply address, when
/// answers by email are on (`mail_in_domain`).
pub fn reply_to(state: &AppState, conversation: Option<&str>) -> Option<String> {
    let (config, conversation) = (&state.config, conversation?);
    (!config.mail_in_domain.is_empty())
        .then(|| super::reply_address::make(&config.secret, &config.mail_in_domain, conversation))
}
