//! Validation: every problem in a dialogue, each with a path and a plain message.

mod loops;

use crate::condition::Condition;
use crate::dialogue::{Dialogue, PageRule, Trigger};
use crate::path::{walk, CardPath};
use crate::route::{Route, Target};
use crate::text::{is_safe_url, Text};
use std::collections::BTreeMap;
use std::fmt;

/// One thing wrong with a dialogue, such as
/// `stream[2].answers[1].then[0]: a live chat card must be the last card of its branch`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

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
        dialogue: &dialogue,
        ids: &ids,
        problems: problems.collect(),
    };
    c.dialogue_fields();
    walk(&dialogue.stream, |path, card| card.check(path, &mut c));
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

/// Collects problems while the cards check themselves.
pub(crate) struct Checker<'a> {
    pub dialogue: &'a Dialogue,
    ids: &'a BTreeMap<String, CardPath>,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    pub fn problem(&mut self, path: impl fmt::Display, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.to_string(),
            message: message.into(),
        });
    }

    pub fn has_card_id(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    /// Texts must not be empty, and a localised text must have the default locale.
    pub fn text(&mut self, path: String, text: &Text) {
        let default = &self.dialogue.default_locale;
        if let Text::Localized(map) = text {
            if map.is_empty() {
                return self.problem(path, "text is empty");
            }
            if !map.contains_key(default) {
                self.problem(&path, format!("text is missing the default locale \"{default}\""));
            }
        }
        for (locale, value) in text.variants() {
            if value.trim().is_empty() {
                match locale {
                    "" => self.problem(&path, "text is empty"),
                    _ => self.problem(&path, format!("text for locale \"{locale}\" is empty")),
                }
            }
        }
    }

    pub fn url(&mut self, path: String, url: &str) {
        if !is_safe_url(url) {
            self.problem(
                path,
                format!("\"{url}\" is not a usable link: use an https://, http://, mailto: or /path URL"),
            );
        }
    }

    pub fn attribute_name(&mut self, path: String, name: &str) {
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
        if !ok {
            self.problem(
                path,
                format!("attribute name \"{name}\" must be lowercase letters, digits and _"),
            );
        }
    }

    pub fn identifier(&mut self, path: String, id: &str, what: &str) {
        if id.trim().is_empty() {
            self.problem(path, format!("the {what} id is empty"));
        }
    }

    pub fn condition(&mut self, path: String, condition: &Condition) {
        match condition {
            Condition::All(list) | Condition::Any(list) if list.is_empty() => {
                self.problem(&path, "a condition list (all/any) needs at least one condition")
            }
            Condition::All(list) | Condition::Any(list) => {
                let key = if matches!(condition, Condition::All(_)) {
                    "all"
                } else {
                    "any"
                };
                for (i, child) in list.iter().enumerate() {
                    self.condition(format!("{path}.{key}[{i}]"), child);
                }
            }
            Condition::IsEmpty(a) | Condition::IsNotEmpty(a) => self.subject(path, a),
            Condition::Equals(c) | Condition::Contains(c) => {
                self.subject(format!("{path}.attribute"), &c.attribute);
                if c.value.trim().is_empty() {
                    self.problem(
                        format!("{path}.value"),
                        "compare with a value; to test for a missing value use is_empty",
                    );
                }
            }
            Condition::OneOf(c) => {
                self.subject(format!("{path}.attribute"), &c.attribute);
                if c.values.is_empty() {
                    self.problem(format!("{path}.values"), "one_of needs at least one value");
                }
            }
            Condition::PageUrlMatches(pattern) if pattern.trim().is_empty() => {
                self.problem(path, "the page URL pattern is empty (use \"*\" for any page)")
            }
            Condition::PageUrlMatches(_) => {}
        }
    }

    fn subject(&mut self, path: String, attribute: &str) {
        if !crate::context::CONTEXT_KEYS.contains(&attribute) {
            self.attribute_name(path, attribute);
        }
    }

    pub fn route(&mut self, path: String, route: &Route) {
        match route {
            Route::RoundRobin => {}
            Route::Agent { agent } => self.identifier(format!("{path}.agent"), agent, "agent"),
            Route::Team { team } => self.identifier(format!("{path}.team"), team, "team"),
            Route::Rules { rules } if rules.is_empty() => {
                self.problem(format!("{path}.rules"), "custom routing needs at least one rule")
            }
            Route::Rules { rules } => {
                for (i, rule) in rules.iter().enumerate() {
                    self.condition(format!("{path}.rules[{i}].when"), &rule.when);
                    match &rule.to {
                        Target::Agent(id) => {
                            self.identifier(format!("{path}.rules[{i}].to.agent"), id, "agent")
                        }
                        Target::Team(id) => self.identifier(format!("{path}.rules[{i}].to.team"), id, "team"),
                    }
                }
            }
        }
    }

    fn dialogue_fields(&mut self) {
        let d = self.dialogue;
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
            self.problem("version", &message);
        }
        if d.id.trim().is_empty() {
            self.problem("id", "the dialogue id is empty");
        }
        if d.name.trim().is_empty() {
            self.problem("name", "the dialogue name is empty");
        }
        if d.default_locale.trim().is_empty() {
            self.problem(
                "default_locale",
                "the default locale is empty (use a code such as \"en\")",
            );
        }
        if d.stream.is_empty() {
            self.problem("stream", "the stream has no cards");
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
                self.problem(format!("targeting.pages[{i}]"), "the page rule is empty");
            }
        }
        if let Some(audience) = &d.targeting.audience {
            self.condition("targeting.audience".into(), audience);
        }
        if let Trigger::ScrollPercent(p) = d.targeting.trigger {
            if !(1..=100).contains(&p) {
                self.problem(
                    "targeting.trigger.scroll_percent",
                    "scroll percent is between 1 and 100",
                );
            }
        }
        if let Some(appearance) = &d.appearance {
            if let Some(color) = &appearance.accent_color {
                let hex = color.strip_prefix('#').unwrap_or("");
                if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                    self.problem(
                        "appearance.accent_color",
                        format!("\"{color}\" is not a colour like #1f6feb"),
                    );
                }
            }
            if let Some(url) = &appearance.avatar_url {
                self.url("appearance.avatar_url".into(), url);
            }
        }
    }
}
