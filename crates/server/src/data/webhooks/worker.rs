//! The delivery worker: takes due deliveries from the outbox and POSTs each message to
//! its endpoint, signed (sign.rs), with a 15 s timeout and no redirects followed, never
//! to a private or loopback address unless the configuration allows them; records each
//! attempt; retries on the schedule (schedule.rs) honouring `Retry-After`; a `410 Gone`
//! turns the endpoint off. What was committed before a crash is delivered after the
//! restart: the outbox is the queue.

use super::sign;
use super::store::{self, Attempt, Due};
use crate::cluster::lease;
use crate::state::AppState;
use rand::Rng;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

pub const TIMEOUT: Duration = Duration::from_secs(15);

pub fn start(state: AppState) {
    let tasks = state.tasks.clone();
    tasks.keep("webhook worker", move |_| {
        let state = state.clone();
        async move {
            loop {
                if let Err(e) = round(&state).await {
                    tracing::warn!("webhook worker: {e}");
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    });
}

/// A round's lease (one node delivers at a time), renewed before every delivery.
const LEASE: Duration = Duration::from_secs(60);

async fn round(state: &AppState) -> sqlx::Result<()> {
    let now = crate::db::now_ms() as i64;
    for due in store::due(&state.db, now, 50).await? {
        if !lease::hold(&state.db, "webhooks", state.fanout.node(), LEASE).await? {
            return Ok(());
        }
        let attempt = deliver(state, &due).await;
        if attempt.1 {
            store::set_enabled(
                &state.db,
                &due.endpoint_id,
                false,
                Some("the endpoint answered 410 Gone"),
            )
            .await?;
        }
        store::record(&state.db, &due.id, &attempt.0).await?;
    }
    Ok(())
}

/// The secrets that sign now: the current one, and one rotating out until its end.
pub fn live_secrets(state: &AppState, sealed: &str, now_ms: i64) -> Vec<String> {
    let secrets: Vec<(String, Option<i64>)> = state
        .sealer
        .open(sealed)
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    secrets
        .into_iter()
        .filter(|(_, until)| until.is_none_or(|u| u > now_ms))
        .map(|(s, _)| s)
        .collect()
}

/// Whether an address is one a webhook may not reach by default.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1]) // carrier-grade NAT
        }
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.is_unspecified() || (v6.segments()[0] & 0xfe00) == 0xfc00 // unique local
                || (v6.segments()[0] & 0xffc0) == 0xfe80 // link local
                || v6.to_ipv4_mapped().is_some_and(|v4| is_private(IpAddr::V4(v4)))
        }
    }
}

/// Where a URL may be reached: its host resolved, every address checked.
pub async fn reachable(url: &str, allow_private: bool) -> Result<(reqwest::Url, String, SocketAddr), String> {
    let url = reqwest::Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err("only http and https URLs".into());
    }
    let host = url.host_str().ok_or("no host")?.to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host.trim_matches(['[', ']']), port))
        .await
        .map_err(|e| format!("{host} does not resolve: {e}"))?
        .collect();
    let first = *addresses.first().ok_or(format!("{host} has no address"))?;
    if !allow_private && addresses.iter().any(|a| is_private(a.ip())) {
        return Err(format!("{host} is a private or loopback address: refused"));
    }
    Ok((url, host, first))
}

/// One attempt; whether the endpoint said it is gone for good.
async fn deliver(state: &AppState, due: &Due) -> (Attempt, bool) {
    let now = crate::db::now_ms() as i64;
    let failed = |error: String, status: Option<u16>, retry_after: Option<i64>| {
        let attempt = due.attempts as usize + 1;
        let jitter = rand::rng().random_range(-1.0..=1.0);
        let next = super::schedule::next_wait(attempt, jitter, retry_after).map(|s| now + s * 1000);
        Attempt {
            status: status.map(i64::from),
            error: Some(error),
            next_at: next,
            at: now,
        }
    };
    let (url, host, address) = match reachable(&due.url, state.config.webhook_private_addresses).await {
        Ok(r) => r,
        Err(e) => return (failed(e, None, None), false),
    };
    // The address checked is the address called (no second lookup to rebind).
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .resolve(&host, address)
        .build();
    let Ok(client) = client else {
        return (failed("no HTTP client".into(), None, None), false);
    };
    let timestamp = now / 1000;
    // The secrets as they are at this moment, not when the round began (a round may
    // take minutes): a rotation is signed with at once.
    let sealed = match store::secrets(&state.db, &due.endpoint_id).await {
        Ok(Some(sealed)) => sealed,
        Ok(None) => return (failed("the endpoint was deleted".into(), None, None), false),
        Err(e) => return (failed(format!("secrets unreadable: {e}"), None, None), false),
    };
    let signature = sign::header(
        &live_secrets(state, &sealed, now),
        &due.message_id,
        timestamp,
        &due.payload,
    );
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("user-agent", "Chinwag-Webhooks/1")
        .header("webhook-id", &due.message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(due.payload.clone())
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => (
            Attempt {
                status: Some(i64::from(r.status().as_u16())),
                error: None,
                next_at: None,
                at: now,
            },
            false,
        ),
        Ok(r) if r.status() == reqwest::StatusCode::GONE => {
            let mut a = failed("410 Gone: the endpoint is turned off".into(), Some(410), None);
            a.next_at = None;
            (a, true)
        }
        Ok(r) => {
            let retry_after = r
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<i64>().ok());
            let status = r.status().as_u16();
            (
                failed(format!("answered {status}"), Some(status), retry_after),
                false,
            )
        }
        Err(e) => (failed(format!("{e}"), None, None), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_loopback_addresses_are_told_apart() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "169.254.169.254",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "0.0.0.0",
        ] {
            assert!(is_private(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "2606:2800:220:1::1", "1.1.1.1"] {
            assert!(!is_private(public.parse().unwrap()), "{public}");
        }
    }
}
