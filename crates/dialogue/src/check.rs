//! The problem list every check writes to, and the checks a card's fields share
//! (texts, links, attribute names, conditions, routes). A leaf below the card kinds:
//! each kind checks its own fields with it, and `validate` walks the stream.

use crate::condition::Condition;
use crate::route::{Route, Target};
use crate::text::{is_safe_url, Text};
use std::collections::BTreeSet;
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

/// Collects problems while the cards check themselves.
pub(crate) struct Checker<'a> {
    pub default_locale: &'a str,
    pub card_ids: BTreeSet<&'a str>,
    pub problems: Vec<Problem>,
}

impl Checker<'_> {
    pub fn problem(&mut self, path: impl fmt::Display, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.to_string(),
            message: message.into(),
        });
    }

    pub fn has_card_id(&self, id: &str) -> bool {
        self.card_ids.contains(id)
    }

    /// Texts must not be empty, and a localised text must have the default locale.
    pub fn text(&mut self, path: String, text: &Text) {
        let default = self.default_locale;
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
            Condition::TeamAvailable(team) => self.identifier(path, team, "team"),
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
}
