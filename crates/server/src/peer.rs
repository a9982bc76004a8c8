//! Who a request comes from, for the limits per client address (`access/limit.rs`).

use crate::state::AppState;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::net::{IpAddr, SocketAddr};

/// The client's address, when the server was started with connect info (tests that
/// call the router directly have none): the connecting address, or, when that is a
/// trusted balancer (`trusted_proxies`), the last address its `X-Forwarded-For` names
/// (the one the balancer itself saw; earlier ones are the client's word).
pub struct Peer(pub Option<IpAddr>);

impl FromRequestParts<AppState> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Peer, Self::Rejection> {
        let connected = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let trusted = |ip: &IpAddr| {
            state
                .config
                .trusted_proxies
                .split(',')
                .any(|p| p.trim().parse::<IpAddr>().is_ok_and(|p| p == *ip))
        };
        let forwarded = || {
            // The balancer appends its own line after any the client sent: the last
            // entry of the last line is the one it saw.
            let header = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .next_back()?
                .to_str()
                .ok()?;
            let ip = header.rsplit(',').next()?.trim().parse::<IpAddr>().ok()?;
            Some(ip.to_canonical())
        };
        let connected = connected.map(|ip| ip.to_canonical());
        Ok(Peer(match connected {
            Some(ip) if trusted(&ip) => forwarded().or(Some(ip)),
            other => other,
        }))
    }
}
