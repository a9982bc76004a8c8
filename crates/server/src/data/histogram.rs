//! Times to answer, kept as histograms: a time goes into a bucket about 5 % wide; the
//! median and p90 come back from the buckets. A leaf: the store writes buckets, the
//! metrics read them.

/// Times to answer are kept as histograms: bucket `b` holds the times whose natural
/// log is within 1/40 of `b / 20`, so a bucket is about 5 % wide and its middle,
/// `bucket_ms`, is within 2.5 % of every time in it (docs/metrics.md).
const PER_E: f64 = 20.0;

pub fn bucket(ms: i64) -> i64 {
    ((ms.max(0) as f64 + 1.0).ln() * PER_E).round() as i64
}

pub fn bucket_ms(bucket: i64) -> u64 {
    ((bucket as f64 / PER_E).exp() - 1.0).round().max(0.0) as u64
}

/// The nearest-rank quantile of a histogram sorted by bucket: (bucket, how many).
pub fn quantile(sorted: &[(i64, i64)], q: f64) -> Option<i64> {
    let n: i64 = sorted.iter().map(|(_, c)| c).sum();
    let rank = ((q * n as f64).ceil() as i64).clamp(1, n.max(1));
    let mut seen = 0;
    sorted.iter().find_map(|(b, c)| {
        seen += c;
        (seen >= rank).then_some(*b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_take_the_nearest_rank() {
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[(7, 1)], 0.9), Some(7));
        let ten: Vec<(i64, i64)> = (1..=10).map(|b| (b, 1)).collect();
        assert_eq!((quantile(&ten, 0.5), quantile(&ten, 0.9)), (Some(5), Some(9)));
        // Counts weigh: nine at 1 and one at 2 put the median at 1 and p90 still at 1.
        assert_eq!(quantile(&[(1, 9), (2, 1)], 0.9), Some(1));
    }

    #[test]
    fn buckets_keep_times_within_five_percent() {
        for ms in [0_i64, 1, 2, 50, 999, 1_000, 1_234, 60_000, 3_600_000, 86_400_000] {
            let back = bucket_ms(bucket(ms)) as f64;
            assert!(
                (back - ms as f64).abs() <= 0.026 * (ms as f64 + 1.0),
                "{ms} → {back}"
            );
        }
        assert!(bucket(999) <= bucket(1_000) && bucket(1_000) < bucket(1_100));
    }
}
