//! Two versions compared: card by card, in words (added, removed, text changed; the
//! name and targeting when they changed), and as a line diff of the files (the longest
//! common subsequence of lines, then each line kept, added or removed).

use super::targeting::summary;
use super::tree::nodes;
use super::words::card_words;
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Same,
    Added,
    Removed,
}

pub fn lines<'a>(old: &'a str, new: &'a str) -> Vec<(Change, &'a str)> {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    sequence(&a, &b)
}

/// Any two sequences compared item by item: each item kept, added or removed.
fn sequence<T: PartialEq + Clone>(a: &[T], b: &[T]) -> Vec<(Change, T)> {
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
            out.push((Change::Same, a[i].clone()));
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removed before added, as diffs are read.
            out.push((Change::Removed, a[i].clone()));
            i += 1;
        } else {
            out.push((Change::Added, b[j].clone()));
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

/// One difference between two versions, in words.
#[derive(Clone, Debug, PartialEq)]
pub enum Difference {
    Added {
        depth: usize,
        card: String,
    },
    Removed {
        depth: usize,
        card: String,
    },
    /// The same card (its kind, at the same place in the order) with other words.
    Changed {
        depth: usize,
        from: String,
        to: String,
    },
    /// A part of the dialogue that is not a card: its name, targeting.
    Setting {
        what: &'static str,
        from: String,
        to: String,
    },
}

/// What changed from `old` to `new`, card by card, in the order of the cards (where
/// cards were taken out and others put in, the ones taken out first).
pub fn cards(old: &Value, new: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    let name = |d: &Value| d["name"].as_str().unwrap_or_default().to_owned();
    if name(old) != name(new) {
        out.push(Difference::Setting {
            what: "Name",
            from: name(old),
            to: name(new),
        });
    }
    let (was, now) = (summary(&old["targeting"]), summary(&new["targeting"]));
    if was != now {
        out.push(Difference::Setting {
            what: "Targeting",
            from: was,
            to: now,
        });
    }
    // Each card as (depth, kind, words): the same comparison as lines pairs what stayed.
    let card = |n: &super::tree::Node| (n.depth, n.kind.clone(), card_words(n));
    let (a, b): (Vec<_>, Vec<_>) = (
        nodes(old).iter().map(card).collect(),
        nodes(new).iter().map(card).collect(),
    );
    let all = sequence(&a, &b);
    let mut k = 0;
    while k < all.len() {
        // A run of removed cards then added ones: cards of the same kind and depth, in
        // turn, are one card whose words changed.
        let removed: Vec<_> = all[k..]
            .iter()
            .take_while(|(c, _)| *c == Change::Removed)
            .map(|(_, c)| c.clone())
            .collect();
        let added: Vec<_> = all[k + removed.len()..]
            .iter()
            .take_while(|(c, _)| *c == Change::Added)
            .map(|(_, c)| c.clone())
            .collect();
        if removed.is_empty() && added.is_empty() {
            k += 1;
            continue;
        }
        k += removed.len() + added.len();
        let mut added = added.into_iter().peekable();
        for (depth, kind, card) in removed {
            match added.peek() {
                Some((d, k2, _)) if *d == depth && *k2 == kind => {
                    let (_, _, to) = added.next().unwrap_or_default();
                    out.push(Difference::Changed {
                        depth,
                        from: card,
                        to,
                    });
                }
                _ => out.push(Difference::Removed { depth, card }),
            }
        }
        out.extend(added.map(|(depth, _, card)| Difference::Added { depth, card }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn versions_compared_card_by_card_in_words() {
        let old = json!({ "name": "Spring", "stream": [
            { "type": "message", "text": "Hello" },
            { "type": "question", "text": "Shall we talk?", "answers": [
                { "label": "Yes", "then": [{ "type": "message", "text": "Great" }] }] },
            { "type": "end", "text": "Bye" }
        ] });
        let new = json!({ "name": "Spring sale", "targeting": { "priority": 3 }, "stream": [
            { "type": "message", "text": "Hello there" },
            { "type": "question", "text": "Shall we talk?", "answers": [
                { "label": "Yes", "then": [{ "type": "message", "text": "Great" }, { "type": "live_chat", "route": {}, "fallback": "x" }] }] }
        ] });
        assert_eq!(
            cards(&old, &new),
            [
                Difference::Setting {
                    what: "Name",
                    from: "Spring".into(),
                    to: "Spring sale".into()
                },
                Difference::Setting {
                    what: "Targeting",
                    from: "every page · everyone · at once".into(),
                    to: "every page · everyone · at once · priority 3".into()
                },
                Difference::Changed {
                    depth: 0,
                    from: "Message “Hello”".into(),
                    to: "Message “Hello there”".into()
                },
                Difference::Removed {
                    depth: 0,
                    card: "End “Bye”".into()
                },
                Difference::Added {
                    depth: 2,
                    card: "Live chat".into()
                },
            ]
        );
        assert_eq!(cards(&old, &old), []);
    }

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
