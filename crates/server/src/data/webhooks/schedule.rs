//! When a failed delivery is tried again: the Standard Webhooks schedule (after
//! 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; then it is given up), each wait spread by
//! up to ±10 % so endpoints that failed together are not all tried at once, and never
//! sooner than the endpoint's `Retry-After`. Pure: the jitter is passed in.

/// Waits in seconds after attempt 1, 2, ….
const WAITS: [i64; 7] = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600];

/// How long after failed attempt `attempt` (1 = the first) to try again; `None`: give
/// up. `jitter` is in [-1, 1]; `retry_after` is what the endpoint asked for (seconds).
pub fn next_wait(attempt: usize, jitter: f64, retry_after: Option<i64>) -> Option<i64> {
    let wait = *WAITS.get(attempt.checked_sub(1)?)?;
    let spread = (wait as f64 * 0.1 * jitter.clamp(-1.0, 1.0)).round() as i64;
    Some(
        (wait + spread)
            .max(retry_after.unwrap_or(0).min(24 * 3600))
            .max(1),
    )
}

/// The attempts a message gets in all.
pub const ATTEMPTS: usize = WAITS.len() + 1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_spreads_honours_retry_after_and_ends() {
        assert_eq!(next_wait(1, 0.0, None), Some(5));
        assert_eq!(next_wait(2, 1.0, None), Some(330));
        assert_eq!(next_wait(2, -1.0, None), Some(270));
        assert_eq!(
            next_wait(1, 0.0, Some(120)),
            Some(120),
            "Retry-After wins when longer"
        );
        assert_eq!(next_wait(7, 0.0, None), Some(36_000));
        assert_eq!(next_wait(8, 0.0, None), None, "given up after the last");
        assert_eq!(next_wait(0, 0.0, None), None);
        assert_eq!(ATTEMPTS, 8);
    }
}
