//! Half-open spans of time, `[start, end)` in Unix seconds.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Interval {
    pub start: i64,
    pub end: i64,
}

impl Interval {
    pub fn new(start: i64, end: i64) -> Interval {
        Interval { start, end }
    }

    /// Whether the two share any instant (touching ends do not).
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Sorted, with overlapping or touching spans joined; empty spans dropped.
pub fn merge(mut spans: Vec<Interval>) -> Vec<Interval> {
    spans.retain(|s| s.start < s.end);
    spans.sort();
    let mut out: Vec<Interval> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => out.push(span),
        }
    }
    out
}

/// Whether `span` lies inside one of `sorted` (merged) spans.
pub fn within(sorted: &[Interval], span: &Interval) -> bool {
    let i = sorted.partition_point(|s| s.start <= span.start);
    i > 0 && sorted[i - 1].end >= span.end
}

/// Whether `span` overlaps any of `sorted` (merged) spans.
pub fn clashes(sorted: &[Interval], span: &Interval) -> bool {
    let i = sorted.partition_point(|s| s.end <= span.start);
    sorted.get(i).is_some_and(|s| s.start < span.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(start: i64, end: i64) -> Interval {
        Interval::new(start, end)
    }

    #[test]
    fn merging_joins_overlaps_and_touches() {
        assert_eq!(
            merge(vec![i(5, 7), i(1, 3), i(3, 4), i(6, 9), i(2, 2)]),
            vec![i(1, 4), i(5, 9)]
        );
    }

    #[test]
    fn within_and_clashes() {
        let spans = merge(vec![i(10, 20), i(30, 40)]);
        assert!(within(&spans, &i(10, 20)) && within(&spans, &i(31, 39)));
        assert!(!within(&spans, &i(15, 31)) && !within(&spans, &i(5, 12)) && !within(&spans, &i(41, 42)));
        assert!(clashes(&spans, &i(19, 21)) && clashes(&spans, &i(0, 100)));
        assert!(!clashes(&spans, &i(20, 30)) && !clashes(&spans, &i(0, 10)) && !clashes(&spans, &i(40, 50)));
    }
}
