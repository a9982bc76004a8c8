//! Rate limits kept in this node's memory, with `governor`. A token bucket per socket
//! (bursts are fine, floods get an error frame); meeting, activity and REST calls per
//! address or key; sign-in attempts per address (argon2 makes each one
//! cost CPU, so an attacker must not get to spend ours; failures per account are
//! shared by every node: `sign_in`); open sockets per address.

use governor::clock::Clock;
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A token bucket of one socket (`governor`'s GCRA): `burst` frames at once, then
/// `per_second`.
pub struct Bucket(DefaultDirectRateLimiter);

impl Bucket {
    pub fn new(burst: u32, per_second: f64) -> Bucket {
        Bucket(RateLimiter::direct(quota((burst, per_second))))
    }

    /// Takes one token; `false` means the frame must be refused.
    pub fn take(&mut self) -> bool {
        self.0.check().is_ok()
    }
}

fn quota((burst, per_second): (u32, f64)) -> Quota {
    let every = Duration::from_secs_f64(1.0 / per_second);
    Quota::with_period(every)
        .expect("every rate here is above zero")
        .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
}

/// One kind of call, limited per key (an address, an API key).
struct Keyed<K: Hash + Eq + Clone>(DefaultKeyedRateLimiter<K>);

impl<K: Hash + Eq + Clone> Keyed<K> {
    fn new(rate: (u32, f64)) -> Self {
        Keyed(RateLimiter::keyed(quota(rate)))
    }

    fn take(&self, key: &K) -> Result<(), Duration> {
        self.0
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(self.0.clock().now()))
    }

    /// Forgets the keys whose bucket is full again (the same as none).
    fn forget_idle(&self) {
        self.0.retain_recent();
        self.0.shrink_to_fit();
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
/// Attachments an address may upload: 20, then one every 5 s.
const UPLOADS: (u32, f64) = (20, 0.2);
/// Visitors' answers by email per conversation: 20, then one a minute.
const MAIL_IN: (u32, f64) = (20, 1.0 / 60.0);
/// Keys kept before idle ones are forgotten.
const KEEP: usize = 10_000;
/// The longest between two sweeps once there are more than `KEEP` (a sweep reads every key).
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// Every limit of this node. An attacker calling from 100,000 addresses fills the
/// limiters for the time their buckets take to refill; then the next call forgets them
/// and the memory is given back (`governor`'s `retain_recent`).
pub struct Limits {
    address: Keyed<IpAddr>,
    meetings: Keyed<IpAddr>,
    activity: Keyed<IpAddr>,
    api: Keyed<String>,
    mail_in: Keyed<String>,
    uploads: Keyed<IpAddr>,
    swept: Mutex<Option<Instant>>,
    sockets: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            address: Keyed::new(ADDRESS),
            meetings: Keyed::new(MEETING_CALLS),
            activity: Keyed::new(ACTIVITY_CALLS),
            api: Keyed::new(API_CALLS),
            mail_in: Keyed::new(MAIL_IN),
            uploads: Keyed::new(UPLOADS),
            swept: Mutex::default(),
            sockets: Arc::default(),
        }
    }
}

impl Limits {
    /// Whether `ip` may make another meeting call now (`Err`: how long to wait).
    pub fn meeting_call(&self, ip: Option<IpAddr>) -> Result<(), Duration> {
        self.by_address(&self.meetings, ip)
    }

    /// Whether `ip` may send another activity batch now (`Err`: how long to wait).
    pub fn activity_call(&self, ip: Option<IpAddr>) -> Result<(), Duration> {
        self.by_address(&self.activity, ip)
    }

    /// Whether the API key `id` may make another call now (`Err`: how long to wait).
    pub fn api_call(&self, id: &str) -> Result<(), Duration> {
        self.sweep();
        self.api.take(&id.to_owned())
    }

    /// Whether `ip` may upload another attachment now (`Err`: how long to wait).
    pub fn upload(&self, ip: Option<IpAddr>) -> Result<(), Duration> {
        self.by_address(&self.uploads, ip)
    }

    /// Whether conversation `id` may take another answer by email now.
    pub fn mail_in(&self, id: &str) -> Result<(), Duration> {
        self.sweep();
        self.mail_in.take(&id.to_owned())
    }

    /// Whether `ip` may make another sign-in attempt now (`Err`: how long to wait).
    /// Every attempt counts: each costs an argon2 hash.
    pub fn login(&self, ip: Option<IpAddr>) -> Result<(), Duration> {
        self.by_address(&self.address, ip)
    }

    /// No address known (a test's in-process call): only the other limits hold.
    fn by_address(&self, kind: &Keyed<IpAddr>, ip: Option<IpAddr>) -> Result<(), Duration> {
        self.sweep();
        ip.map_or(Ok(()), |ip| kind.take(&ip))
    }

    /// Keys held by every limiter.
    fn held(&self) -> usize {
        self.address.0.len()
            + self.meetings.0.len()
            + self.activity.0.len()
            + self.api.0.len()
            + self.mail_in.0.len()
            + self.uploads.0.len()
    }

    /// Forgets idle keys of every kind once there are more than `KEEP`, at most once a
    /// `SWEEP_EVERY`.
    fn sweep(&self) {
        let mut swept = self.swept.lock().unwrap_or_else(|p| p.into_inner());
        // The clock first: counting what is held walks every map.
        if swept.is_some_and(|t| t.elapsed() < SWEEP_EVERY) || self.held() <= KEEP {
            return;
        }
        self.address.forget_idle();
        self.meetings.forget_idle();
        self.activity.forget_idle();
        self.api.forget_idle();
        self.mail_in.forget_idle();
        self.uploads.forget_idle();
        *swept = Some(Instant::now());
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
    /// botnet), their buckets refill, and they are forgotten at the next call.
    /// (Failed before: only sign-in buckets were ever forgotten.)
    #[test]
    fn buckets_of_idle_addresses_are_forgotten() {
        let limits = Limits::default();
        for i in 0..100_000u32 {
            let ip = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            assert!(limits.meeting_call(Some(ip)).is_ok());
            assert!(limits.activity_call(Some(ip)).is_ok());
        }
        assert!(limits.held() >= 200_000, "{}", limits.held());
        // A meeting token comes back in 1 s, an activity one in 0.5 s; governor forgets a
        // key once two of its periods have passed since its last call.
        std::thread::sleep(Duration::from_millis(2_500));
        assert!(limits.api_call("key").is_ok());
        assert!(limits.held() <= 1, "{} keys kept", limits.held());
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
