//! Rate limits kept in this node's memory. A token bucket per socket (bursts are fine,
//! floods get an error frame); sign-in attempts per address (argon2 makes each one
//! cost CPU, so an attacker must not get to spend ours; failures per account are
//! shared by every node: `sign_in`); open sockets per address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Bucket {
    tokens: f64,
    burst: f64,
    per_second: f64,
    last: Instant,
}

impl Bucket {
    pub fn new(burst: u32, per_second: f64) -> Bucket {
        Bucket {
            tokens: burst.into(),
            burst: burst.into(),
            per_second,
            last: Instant::now(),
        }
    }

    fn refill(&mut self) {
        let now = Instant::now();
        self.tokens =
            (self.tokens + now.duration_since(self.last).as_secs_f64() * self.per_second).min(self.burst);
        self.last = now;
    }

    /// Takes one token; `false` means the frame must be refused.
    pub fn take(&mut self) -> bool {
        self.refill();
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// How long until the next token.
    fn wait(&self) -> Duration {
        Duration::from_secs_f64(((1.0 - self.tokens) / self.per_second).max(0.0))
    }
}

/// Sign-in attempts: 20 per address, then one every 6 s. Checked before the password is.
const ADDRESS: (u32, f64) = (20, 1.0 / 6.0);
/// Meeting calls an address may make (slots, bookings, changes): each reads calendars.
const MEETING_CALLS: (u32, f64) = (60, 1.0);
/// Activity batches an address may send (a page sends one every few seconds at most).
const ACTIVITY_CALLS: (u32, f64) = (30, 2.0);
/// REST API calls per key: bursts of 50, then 10 a second.
const API_CALLS: (u32, f64) = (50, 10.0);
/// Buckets kept before full (idle) ones are forgotten.
const KEEP: usize = 10_000;

#[derive(Default)]
pub struct Limits {
    logins: Mutex<HashMap<String, Bucket>>,
    sockets: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl Limits {
    /// Whether `ip` may make another meeting call now (`Err`: how long to wait).
    pub fn meeting_call(&self, ip: Option<IpAddr>) -> Result<(), Duration> {
        self.call("meetings", ip, MEETING_CALLS)
    }

    /// Whether `ip` may send another activity batch now (`Err`: how long to wait).
    pub fn activity_call(&self, ip: Option<IpAddr>) -> Result<(), Duration> {
        self.call("activity", ip, ACTIVITY_CALLS)
    }

    /// Whether the API key `id` may make another call now (`Err`: how long to wait).
    pub fn api_call(&self, id: &str) -> Result<(), Duration> {
        self.bucket(format!("api:{id}"), API_CALLS)
    }

    fn call(&self, what: &str, ip: Option<IpAddr>, rate: (u32, f64)) -> Result<(), Duration> {
        match ip {
            Some(ip) => self.bucket(format!("{what}:{ip}"), rate),
            None => Ok(()),
        }
    }

    fn bucket(&self, key: String, (burst, rate): (u32, f64)) -> Result<(), Duration> {
        let mut map = self.logins.lock().expect("limits lock");
        let bucket = map.entry(key).or_insert_with(|| Bucket::new(burst, rate));
        if bucket.take() {
            Ok(())
        } else {
            Err(Duration::from_secs_f64(1.0 / rate))
        }
    }

    /// Whether `ip` may make another sign-in attempt now (`Err`: how long to wait).
    /// Every attempt counts: each costs an argon2 hash.
    pub fn login(&self, ip: Option<IpAddr>) -> Result<(), Duration> {
        let Some(ip) = ip else { return Ok(()) };
        let mut map = self.logins.lock().expect("limits lock");
        if map.len() > KEEP {
            map.retain(|_, b| {
                b.refill();
                b.tokens < b.burst
            });
        }
        let address = map
            .entry(format!("address:{ip}"))
            .or_insert_with(|| Bucket::new(ADDRESS.0, ADDRESS.1));
        match address.take() {
            true => Ok(()),
            false => Err(address.wait()),
        }
    }

    /// Counts a socket from `ip` in, unless it already has `max` open; the guard counts
    /// it out.
    pub fn socket(&self, ip: Option<IpAddr>, max: usize) -> Option<SocketGuard> {
        let Some(ip) = ip else {
            return Some(SocketGuard(None));
        };
        let mut map = self.sockets.lock().expect("limits lock");
        let open = map.entry(ip).or_default();
        if *open >= max {
            return None;
        }
        *open += 1;
        Some(SocketGuard(Some((self.sockets.clone(), ip))))
    }
}

type Counts = Arc<Mutex<HashMap<IpAddr, usize>>>;

pub struct SocketGuard(Option<(Counts, IpAddr)>);

impl Drop for SocketGuard {
    fn drop(&mut self) {
        if let Some((map, ip)) = &self.0 {
            let mut map = map.lock().expect("limits lock");
            if let Some(open) = map.get_mut(ip) {
                *open -= 1;
                if *open == 0 {
                    map.remove(ip);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_attempts_are_limited_per_address() {
        let limits = Limits::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..20 {
            assert!(limits.login(Some(ip)).is_ok());
        }
        let wait = limits.login(Some(ip)).unwrap_err();
        assert!(wait > Duration::from_secs(5), "{wait:?}");
        assert!(limits.login(Some("192.0.2.2".parse().unwrap())).is_ok());
        assert!(
            limits.login(None).is_ok(),
            "no address known: the account limit holds alone"
        );
    }

    #[test]
    fn sockets_per_address_are_capped_and_counted_out() {
        let limits = Limits::default();
        let ip = Some("192.0.2.1".parse().unwrap());
        let a = limits.socket(ip, 2).unwrap();
        let _b = limits.socket(ip, 2).unwrap();
        assert!(limits.socket(ip, 2).is_none());
        drop(a);
        assert!(limits.socket(ip, 2).is_some());
    }
}
