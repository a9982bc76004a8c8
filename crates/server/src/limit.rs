//! A per-connection token bucket: bursts are fine, floods get an error frame.

use std::time::Instant;

pub struct Bucket {
    tokens: f64,
    burst: f64,
    per_second: f64,
    last: Instant,
}

impl Bucket {
    pub fn new(burst: u32, per_second: u32) -> Bucket {
        Bucket {
            tokens: burst.into(),
            burst: burst.into(),
            per_second: per_second.into(),
            last: Instant::now(),
        }
    }

    /// Takes one token; `false` means the frame must be refused.
    pub fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens =
            (self.tokens + now.duration_since(self.last).as_secs_f64() * self.per_second).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}
