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
/// The longest between two sweeps of a map over `KEEP` (a sweep reads every bucket).
const SWEEP_EVERY: Duration = Duration::from_secs(1);

#[derive(Default)]
pub struct Limits {
    buckets: Mutex<Buckets>,
    sockets: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// Every bucket of every kind, swept in one place: a full bucket is the same as none,
/// so once there are more than `KEEP`, full ones are forgotten (at most once a
/// `SWEEP_EVERY`) and the memory given back. An attacker calling from 100,000
/// addresses fills it for the time their buckets take to refill, then it shrinks.
#[derive(Default)]
struct Buckets {
    map: HashMap<String, Bucket>,
    swept: Option<Instant>,
}

impl Buckets {
    fn take(&mut self, key: String, (burst, rate): (u32, f64)) -> Result<(), Duration> {
        if self.map.len() > KEEP && self.swept.is_none_or(|t| t.elapsed() >= SWEEP_EVERY) {
            self.map.retain(|_, b| {
                b.refill();
                b.tokens < b.burst
            });
            self.map.shrink_to_fit();
            self.swept = Some(Instant::now());
        }
        let bucket = self.map.entry(key).or_insert_with(|| Bucket::new(burst, rate));
        match bucket.take() {
            true => Ok(()),
            false => Err(bucket.wait()),
        }
    }
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

    fn bucket(&self, key: String, rate: (u32, f64)) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        buckets.take(key, rate)
    }

    /// Whether `ip` may make another sign-in attempt now (`Err`: how long to wait).
    /// Every attempt counts: each costs an argon2 hash.
    pub fn login(&self, ip: Option<IpAddr>) -> Result<(), Duration> {
        let Some(ip) = ip else { return Ok(()) };
        self.bucket(format!("address:{ip}"), ADDRESS)
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

    /// Every address that ever called is not kept: 100,000 addresses call (as from a
    /// botnet), their buckets refill, and the memory is given back at the next call.
    /// (Failed before: only sign-in buckets were ever forgotten.)
    #[test]
    fn buckets_of_idle_addresses_are_forgotten() {
        let limits = Limits::default();
        for i in 0..100_000u32 {
            let ip = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            assert!(limits.meeting_call(Some(ip)).is_ok());
            assert!(limits.activity_call(Some(ip)).is_ok());
        }
        let held = limits.buckets.lock().unwrap().map.capacity();
        assert!(held >= 200_000, "{held}");
        // Meeting buckets refill in 1 s, activity ones in 0.5 s.
        std::thread::sleep(Duration::from_millis(1_100));
        assert!(limits.api_call("key").is_ok());
        let buckets = limits.buckets.lock().unwrap();
        assert!(buckets.map.len() <= 1, "{} buckets kept", buckets.map.len());
        assert!(
            buckets.map.capacity() < 1_000,
            "capacity {}",
            buckets.map.capacity()
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
