//! Validation: every problem in a dialogue, each with a path and a plain message.

mod loops;

use crate::cards::Card;
use crate::check::Checker;
pub use crate::check::Problem;
use crate::dialogue::{Dialogue, PageRule, Trigger};
use crate::path::{walk, CardPath};
use std::collections::BTreeMap;

/// A dialogue that passed [`validate`]; only these can run.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidDialogue {
    dialogue: Dialogue,
    ids: BTreeMap<String, CardPath>,
}

impl ValidDialogue {
    pub fn dialogue(&self) -> &Dialogue {
        &self.dialogue
    }

    /// Accepts a dialogue that was validated upstream (the server validates every
    /// dialogue before serving it), without checking it again: visitors' browsers
    /// then skip the validator's code. The engine stays panic-free on any dialogue,
    /// and a loop without input is cut short by its step limit.
    pub fn trusted(dialogue: Dialogue) -> ValidDialogue {
        let (ids, _) = index_ids(&dialogue);
        ValidDialogue { dialogue, ids }
    }

    /// Where the card with this id is.
    pub fn find(&self, id: &str) -> Option<&CardPath> {
        self.ids.get(id)
    }
}

impl std::ops::Deref for ValidDialogue {
    type Target = Dialogue;
    fn deref(&self) -> &Dialogue {
        &self.dialogue
    }
}

/// Checks everything a parser cannot: references, structure, texts, loops.
/// Returns every problem found, in reading order, rather than stopping at the first.
pub fn validate(dialogue: Dialogue) -> Result<ValidDialogue, Vec<Problem>> {
    let (ids, duplicates) = index_ids(&dialogue);
    let problems = duplicates.into_iter().map(|(path, first)| {
        let id = path
            .card(&dialogue.stream)
            .and_then(|c| c.id())
            .unwrap_or_default();
        Problem {
            path: format!("{path}.id"),
            message: format!("duplicate card id \"{id}\" (first used at {first})"),
        }
    });
    let mut c = Checker {
        default_locale: &dialogue.default_locale,
        card_ids: ids.keys().map(String::as_str).collect(),
        problems: problems.collect(),
    };
    dialogue_fields(&dialogue, &mut c);
    walk(&dialogue.stream, |path, card| {
        card.check(&path.to_string(), &mut c);
        if matches!(card, Card::LiveChat(_)) && !path.is_last_in_list(&dialogue.stream) {
            c.problem(
                path,
                "a live chat card must be the last card of its branch; cards after it would never show",
            );
        }
    });
    loops::check(&dialogue, &ids, &mut c);
    let mut problems = c.problems;
    if problems.is_empty() {
        Ok(ValidDialogue { dialogue, ids })
    } else {
        problems.sort_by_key(|p| natural_key(&p.path));
        problems.dedup();
        Err(problems)
    }
}

/// Where each card id is (first use wins), and a problem for each id used again.
/// Duplicates are returned as (path, first path) pairs and worded by `validate` alone,
/// so `trusted` (the widget's path) formats nothing.
fn index_ids(dialogue: &Dialogue) -> (BTreeMap<String, CardPath>, Vec<(CardPath, CardPath)>) {
    let mut ids = BTreeMap::new();
    let mut duplicates = Vec::new();
    walk(&dialogue.stream, |path, card| {
        if let Some(id) = card.id() {
            match ids.get(id) {
                Some(first) => duplicates.push((path.clone(), CardPath::clone(first))),
                None => drop(ids.insert(id.to_owned(), path.clone())),
            }
        }
    });
    (ids, duplicates)
}

/// Orders `stream[10]` after `stream[9]`, so problems read top to bottom.
fn natural_key(path: &str) -> Vec<(usize, String)> {
    path.split('[')
        .map(|part| {
            let (num, rest) = part.split_once(']').unwrap_or(("", part));
            (num.parse().unwrap_or(0), rest.to_owned())
        })
        .collect()
}

/// The dialogue's own fields: version, names, targeting, appearance.
fn dialogue_fields(d: &Dialogue, c: &mut Checker) {
    if d.version != crate::dialogue::FORMAT_VERSION {
        let message = format!(
            "format version {} is not one this Chinwag reads (it reads version {}): {}",
            d.version,
            crate::dialogue::FORMAT_VERSION,
            if d.version > crate::dialogue::FORMAT_VERSION {
                "upgrade Chinwag"
            } else {
                "versions start at 1"
            },
        );
        c.problem("version", &message);
    }
    if d.id.trim().is_empty() {
        c.problem("id", "the dialogue id is empty");
    }
    if d.name.trim().is_empty() {
        c.problem("name", "the dialogue name is empty");
    }
    if d.default_locale.trim().is_empty() {
        c.problem(
            "default_locale",
            "the default locale is empty (use a code such as \"en\")",
        );
    }
    if d.stream.is_empty() {
        c.problem("stream", "the stream has no cards");
    }
    for (i, rule) in d.targeting.pages.iter().enumerate() {
        let value = match rule {
            PageRule::UrlEquals(v)
            | PageRule::UrlContains(v)
            | PageRule::UrlStartsWith(v)
            | PageRule::UrlMatches(v) => v,
            PageRule::QueryParam(q) => &q.name,
        };
        if value.trim().is_empty() {
            c.problem(format!("targeting.pages[{i}]"), "the page rule is empty");
        }
    }
    if let Some(audience) = &d.targeting.audience {
        c.condition("targeting.audience".into(), audience);
    }
    if let Trigger::ScrollPercent(p) = d.targeting.trigger {
        if !(1..=100).contains(&p) {
            c.problem(
                "targeting.trigger.scroll_percent",
                "scroll percent is between 1 and 100",
            );
        }
    }
    if let Some(appearance) = &d.appearance {
        if let Some(color) = &appearance.accent_color {
            let hex = color.strip_prefix('#').unwrap_or("");
            if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                c.problem(
                    "appearance.accent_color",
                    format!("\"{color}\" is not a colour like #1f6feb"),
                );
            }
        }
        if let Some(url) = &appearance.avatar_url {
            c.url("appearance.avatar_url".into(), url);
        }
    }
}
