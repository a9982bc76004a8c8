//! A site's appearance settings, as the site owner writes them (JSON, stored by the
//! server) and as the validator checks them.

use chinwag_dialogue::text::{is_safe_url, Text};
use serde::{Deserialize, Serialize};

/// How the widget looks on one site. Every field is optional: the defaults are the
/// widget's own theme (contrast checked at WCAG AA). A dialogue's own `appearance`
/// overrides `bot_name`, `avatar_url`, `accent_color` and the typing times.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appearance {
    /// Launcher, header and visitor bubbles, as `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent_color: Option<String>,
    /// A CSS font family list, such as `"Inter", sans-serif`; the system font follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_family: Option<String>,
    #[serde(default)]
    pub position: Position,
    #[serde(default)]
    pub theme: Theme,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
    /// Typing time per character of a bot message, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typing_ms_per_char: Option<u32>,
    /// Cap on the typing time of one message, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typing_max_ms: Option<u32>,
    /// A short line shown beside the closed launcher until the visitor opens it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub greeting: Option<Text>,
    /// The site's language: a locale such as `pt-BR`, or none to follow each
    /// visitor's browser. A page's `data-locale` wins over both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The team whose business hours the widget's reply-time line follows ("We
    /// usually reply in a few minutes" within them, "We are away…" outside); none: no
    /// line (docs/inbox.md, "Business hours").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_team: Option<String>,
}

/// The corner the launcher sits in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    #[default]
    Right,
    Left,
}

/// Light, dark, or following the visitor's system setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    Light,
    Dark,
    Auto,
}

/// One thing wrong with the settings: where, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: &'static str,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "appearance.{}: {}", self.path, self.message)
    }
}

/// Longest typing time per character and per message we accept: more reads as a
/// broken widget, not a human typing.
const MAX_MS_PER_CHAR: u32 = 200;
const MAX_TYPING_MS: u32 = 5_000;

impl Appearance {
    /// The greeting in the visitor's locale, falling back to the site's language.
    pub fn greeting_in(&self, locale: &str) -> Option<String> {
        let site = self.locale.as_deref().unwrap_or("en");
        self.greeting.as_ref().map(|g| g.resolve(locale, site).to_owned())
    }

    /// Every problem, in field order; empty when the settings are usable.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut problem = |path, message: &str| {
            problems.push(Problem {
                path,
                message: message.into(),
            })
        };
        if let Some(color) = &self.accent_color {
            if parse_hex(color).is_none() {
                problem("accent_color", "use a colour like #1f5fbf");
            }
        }
        if let Some(font) = &self.font_family {
            if !is_safe_font(font) {
                problem(
                    "font_family",
                    "use font names, quotes, commas, spaces and hyphens only (at most 200 characters)",
                );
            }
        }
        if let Some(url) = &self.avatar_url {
            if !is_safe_url(url) {
                problem("avatar_url", "use an https:// address");
            }
        }
        if self.typing_ms_per_char.is_some_and(|ms| ms > MAX_MS_PER_CHAR) {
            problem("typing_ms_per_char", "use at most 200 milliseconds per character");
        }
        if self.typing_max_ms.is_some_and(|ms| ms > MAX_TYPING_MS) {
            problem("typing_max_ms", "use at most 5000 milliseconds");
        }
        if self
            .bot_name
            .as_deref()
            .is_some_and(|n| n.trim().is_empty() || n.chars().count() > 40)
        {
            problem("bot_name", "use a name of 1 to 40 characters");
        }
        if let Some(greeting) = &self.greeting {
            if greeting
                .variants()
                .iter()
                .any(|(_, t)| t.trim().is_empty() || t.chars().count() > 140)
            {
                problem("greeting", "use 1 to 140 characters in every locale");
            }
        }
        if let Some(locale) = &self.locale {
            if !crate::locale::is_well_formed(locale) {
                problem("locale", "use a locale such as en, pt-BR or zh-Hans");
            }
        }
        problems
    }
}

/// `#rrggbb` as red, green, blue.
pub fn parse_hex(color: &str) -> Option<[u8; 3]> {
    let hex = color.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// Font lists go into CSS: nothing that could end the declaration or the rule.
fn is_safe_font(font: &str) -> bool {
    !font.trim().is_empty()
        && font.len() <= 200
        && font
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | ',' | '-' | '_' | '"' | '\''))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(json: &str) -> Appearance {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn empty_settings_are_fine() {
        assert!(from("{}").problems().is_empty());
    }

    #[test]
    fn each_bad_value_is_named_by_its_path() {
        let bad = from(
            r##"{"accent_color":"red","font_family":"x;}body{display:none","avatar_url":"javascript:alert(1)",
                "typing_ms_per_char":900,"bot_name":" ","greeting":{"en":""},"locale":"<en>"}"##,
        );
        let paths: Vec<_> = bad.problems().iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            [
                "accent_color",
                "font_family",
                "avatar_url",
                "typing_ms_per_char",
                "bot_name",
                "greeting",
                "locale"
            ]
        );
        assert_eq!(
            bad.problems()[0].to_string(),
            "appearance.accent_color: use a colour like #1f5fbf"
        );
    }

    #[test]
    fn a_dialogue_keeps_what_it_sets_and_takes_the_rest_from_the_site() {
        let site = from(r##"{"bot_name":"Site","typing_max_ms":900,"accent_color":"#112233"}"##);
        let mut own = chinwag_dialogue::Appearance {
            bot_name: Some("Own".into()),
            accent_color: Some("#ff5a5f".into()),
            ..Default::default()
        };
        let css = site.apply_to(&mut own);
        assert_eq!(
            (own.bot_name.as_deref(), own.typing_max_ms),
            (Some("Own"), Some(900))
        );
        assert!(css.starts_with(".cw{--cw-accent:#ff5a5f;"), "{css}");
    }

    #[test]
    fn unknown_settings_are_refused() {
        assert!(serde_json::from_str::<Appearance>(r##"{"colour":"#fff"}"##).is_err());
    }
}
