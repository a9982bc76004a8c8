//! A readable line diff between two texts (a published version and the draft): the
//! longest common subsequence of lines, then each line kept, added or removed.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Same,
    Added,
    Removed,
}

pub fn lines<'a>(old: &'a str, new: &'a str) -> Vec<(Change, &'a str)> {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((Change::Same, a[i]));
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removed before added, as diffs are read.
            out.push((Change::Removed, a[i]));
            i += 1;
        } else {
            out.push((Change::Added, b[j]));
            j += 1;
        }
    }
    out
}

/// Only the changed lines and `context` lines around them; `None` marks a gap.
pub fn hunks<'a>(all: &[(Change, &'a str)], context: usize) -> Vec<Option<(Change, &'a str)>> {
    let near = |k: usize| {
        all.iter()
            .enumerate()
            .any(|(m, (c, _))| *c != Change::Same && m.abs_diff(k) <= context)
    };
    let mut out = Vec::new();
    let mut gap = false;
    for (k, line) in all.iter().enumerate() {
        if near(k) {
            if gap && !out.is_empty() {
                out.push(None);
            }
            out.push(Some(*line));
            gap = false;
        } else {
            gap = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_shows_as_removed_then_added() {
        let d = lines("a\nb\nc", "a\nB\nc\nd");
        assert_eq!(
            d,
            [
                (Change::Same, "a"),
                (Change::Removed, "b"),
                (Change::Added, "B"),
                (Change::Same, "c"),
                (Change::Added, "d")
            ]
        );
        let h = hunks(&lines("1\n2\n3\n4\n5\n6", "1\n2\n3\n4\n5\nsix"), 1);
        assert_eq!(
            h,
            [
                Some((Change::Same, "5")),
                Some((Change::Removed, "6")),
                Some((Change::Added, "six"))
            ]
        );
    }
}
