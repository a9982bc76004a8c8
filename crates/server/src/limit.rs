//! Rate limits. A token bucket per socket (bursts are fine, floods get an error frame);
//! sign-in attempts per account and per address (argon2 makes each one cost CPU, so an
//! attacker must not get to spend ours); open sockets per address.

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

/// Sign-in attempts: 5 failures per account, then one a minute; 20 attempts per
/// address, then one every 6 s. Checked before the password is.
const ACCOUNT: (u32, f64) = (5, 1.0 / 60.0);
const ADDRESS: (u32, f64) = (20, 1.0 / 6.0);
/// Meeting calls an address may make (slots, bookings, changes): each reads calendars.
const MEETING_CALLS: (u32, f64) = (60, 1.0);
/// Activity batches an address may send (a page sends one every few seconds at most).
const ACTIVITY_CALLS: (u32, f64) = (30, 2.0);
/// REST API calls per key: bursts of 50, then 10 a second.
const API_CALLS: (u32, f64) = (50, 10.0);
/// Buckets kept before full (idle) ones are forgotten.
const KEEP: usize = 10_000;

fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

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

    /// Whether `ip` may try to sign in as `email` now (`Err`: how long to wait). Every
    /// attempt counts against the address (each costs an argon2 hash); only failed
    /// ones count against the account ([`Limits::login_failed`]), so guessing one
    /// account's password stays slow while its owner signs in as often as they like.
    pub fn login(&self, email: &str, ip: Option<IpAddr>) -> Result<(), Duration> {
        let mut map = self.logins.lock().expect("limits lock");
        if map.len() > KEEP {
            map.retain(|_, b| {
                b.refill();
                b.tokens < b.burst
            });
        }
        let account = map
            .entry(account_key(email))
            .or_insert_with(|| Bucket::new(ACCOUNT.0, ACCOUNT.1));
        account.refill();
        let mut wait = if account.tokens >= 1.0 {
            Duration::ZERO
        } else {
            account.wait()
        };
        if let Some(ip) = ip {
            let address = map
                .entry(format!("address:{ip}"))
                .or_insert_with(|| Bucket::new(ADDRESS.0, ADDRESS.1));
            if !address.take() {
                wait = wait.max(address.wait());
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait)
        }
    }

    /// A wrong password for `email`.
    pub fn login_failed(&self, email: &str) {
        let mut map = self.logins.lock().expect("limits lock");
        let account = map
            .entry(account_key(email))
            .or_insert_with(|| Bucket::new(ACCOUNT.0, ACCOUNT.1));
        account.take();
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
    fn wrong_passwords_are_limited_per_account_and_attempts_per_address() {
        let limits = Limits::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        // The owner signs in as often as they like (within the address's limit).
        for _ in 0..8 {
            assert!(limits.login("ben@x.test", None).is_ok());
        }
        for _ in 0..5 {
            assert!(limits.login("ana@x.test", Some(ip)).is_ok());
            limits.login_failed("ana@x.test");
        }
        let wait = limits.login("ANA@x.test ", Some(ip)).unwrap_err();
        assert!(wait > Duration::from_secs(50), "{wait:?}");
        // Other accounts from the same address go on, up to the address's own limit
        // (20 attempts, the refused one included).
        for n in 0..14 {
            assert!(limits.login(&format!("u{n}@x.test"), Some(ip)).is_ok());
        }
        assert!(limits.login("new@x.test", Some(ip)).is_err());
        assert!(limits
            .login("new@x.test", Some("192.0.2.2".parse().unwrap()))
            .is_ok());
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
