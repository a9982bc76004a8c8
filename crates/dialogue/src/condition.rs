//! Conditions on visitor attributes and page context, used by branch cards and
//! custom routing rules.

use crate::context::VisitorContext;
use crate::text::trim;

crate::model! {
    /// A test on the visitor. Comparisons ignore case and surrounding spaces.
    #[serde(rename_all = "snake_case", deny_unknown_fields)]
    pub enum Condition {
        /// Every condition holds.
        All(Vec<Condition>),
        /// At least one condition holds.
        Any(Vec<Condition>),
        /// The attribute is unknown or blank: `{"is_empty": "email"}`.
        IsEmpty(String),
        /// The attribute has a value: `{"is_not_empty": "email"}`.
        IsNotEmpty(String),
        Equals(Comparison),
        Contains(Comparison),
        OneOf(Choices),
        /// The page URL matches a pattern where `*` stands for any characters.
        PageUrlMatches(String),
        /// Someone of the team can take a chat now: within its business hours, with a
        /// member available (docs/inbox.md, "Business hours"): `{"team_available": "sales"}`.
        TeamAvailable(String),
    }
}

crate::model! {
    pub struct Comparison {
        pub attribute: String,
        pub value: String,
    }
}

crate::model! {
    pub struct Choices {
        pub attribute: String,
        pub values: Vec<String>,
    }
}

impl Condition {
    pub fn holds(&self, visitor: &VisitorContext) -> bool {
        let value = |attribute: &str| visitor.get(attribute).map(normalise);
        match self {
            Condition::All(all) => all.iter().all(|c| c.holds(visitor)),
            Condition::Any(any) => any.iter().any(|c| c.holds(visitor)),
            Condition::IsEmpty(attribute) => value(attribute).is_none(),
            Condition::IsNotEmpty(attribute) => value(attribute).is_some(),
            Condition::Equals(c) => value(&c.attribute) == Some(normalise(&c.value)),
            Condition::Contains(c) => value(&c.attribute).is_some_and(|v| v.contains(&normalise(&c.value))),
            Condition::OneOf(c) => {
                value(&c.attribute).is_some_and(|v| c.values.iter().any(|choice| normalise(choice) == v))
            }
            Condition::PageUrlMatches(pattern) => wildcard_match(pattern, &visitor.page_url),
            Condition::TeamAvailable(team) => visitor.teams_available.iter().any(|t| t == team),
        }
    }

    /// The conditions nested directly inside, for walks over the tree.
    pub fn children(&self) -> &[Condition] {
        match self {
            Condition::All(c) | Condition::Any(c) => c,
            _ => &[],
        }
    }
}

/// ASCII case folding on purpose: full Unicode lowercasing ships ~17 KB of tables
/// to every visitor. The loader folds the same way (`www/fixtures/conditions.json`).
fn normalise(s: &str) -> String {
    trim(s).to_ascii_lowercase()
}

/// Matches `text` against `pattern`, where `*` matches any run of characters
/// (including none) and everything else matches itself, ignoring ASCII case.
/// Linear-time greedy matching with backtracking to the last star: no regex needed.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = normalise(pattern).chars().collect();
    let t: Vec<char> = normalise(text).chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visitor(pairs: &[(&str, &str)]) -> VisitorContext {
        VisitorContext {
            attributes: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            page_url: "https://shop.example/pricing?plan=pro".into(),
            locale: "en".into(),
            teams_available: Vec::new(),
        }
    }

    #[test]
    fn known_and_anonymous_visitors_are_told_apart() {
        let anonymous = Condition::IsEmpty("email".into());
        assert!(anonymous.holds(&visitor(&[])));
        assert!(anonymous.holds(&visitor(&[("email", "  ")])));
        assert!(!anonymous.holds(&visitor(&[("email", "ana@acme.com")])));
    }

    #[test]
    fn comparisons_ignore_case_and_spaces() {
        let v = visitor(&[("company_size", " 51-200 "), ("email", "Ana@ACME.com")]);
        let size = Choices {
            attribute: "company_size".into(),
            values: vec!["1-10".into(), "51-200".into()],
        };
        assert!(Condition::OneOf(size).holds(&v));
        let domain = Comparison {
            attribute: "email".into(),
            value: "@acme.com".into(),
        };
        assert!(Condition::Contains(domain).holds(&v));
        let all = Condition::All(vec![
            Condition::IsNotEmpty("email".into()),
            Condition::Equals(Comparison {
                attribute: "email".into(),
                value: "ana@acme.com".into(),
            }),
        ]);
        assert!(all.holds(&v));
    }

    #[test]
    fn page_url_patterns_use_stars() {
        let v = visitor(&[]);
        assert!(Condition::PageUrlMatches("*/pricing*".into()).holds(&v));
        assert!(!Condition::PageUrlMatches("*/blog/*".into()).holds(&v));
        assert!(wildcard_match("a*b*c", "aXXbYYc"));
        assert!(!wildcard_match("a*b*c", "aXXbYY"));
        assert!(wildcard_match("*", ""));
    }
}
