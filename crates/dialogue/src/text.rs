//! Visitor-facing text: a plain string, or a map from locale to string.

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

// Deserialised by hand (below): serde's untagged enums buffer the value and try each
// variant, which costs the widget kilobytes and gives a vaguer error.
/// Text shown to the visitor: `"Hello"` or `{"en": "Hello", "pt": "Olá"}`.
/// A map must contain the dialogue's default locale, which is the fallback.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Text {
    Plain(String),
    Localized(BTreeMap<String, String>),
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a text: a string, or a map from locale (such as \"en\") to string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Text, E> {
        Ok(Text::Plain(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Text, E> {
        Ok(Text::Plain(text))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let mut texts = BTreeMap::new();
        while let Some((locale, text)) = map.next_entry::<String, String>()? {
            texts.insert(locale, text);
        }
        Ok(Text::Localized(texts))
    }
}

impl Text {
    /// The text in `locale`, falling back to its language (`pt-BR` → `pt`), then to
    /// the dialogue's default locale, then to any translation.
    pub fn resolve<'a>(&'a self, locale: &str, default_locale: &str) -> &'a str {
        match self {
            Text::Plain(text) => text,
            Text::Localized(map) => {
                let language = locale.split(['-', '_']).next().unwrap_or(locale);
                [locale, language, default_locale]
                    .iter()
                    .find_map(|l| map.get(*l))
                    .or_else(|| map.values().next())
                    .map_or("", String::as_str)
            }
        }
    }

    /// Every translation, for checks that must hold in each locale.
    pub fn variants(&self) -> Vec<(&str, &str)> {
        match self {
            Text::Plain(text) => vec![("", text.as_str())],
            Text::Localized(map) => map.iter().map(|(l, t)| (l.as_str(), t.as_str())).collect(),
        }
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::Plain(text.to_owned())
    }
}

/// A piece of visitor-facing text: plain text, or a link the widget renders as `<a>`.
/// Text is never interpreted as HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    Plain(&'a str),
    Link(&'a str),
}

/// Splits text into plain runs and `http(s)://` or `mailto:` links, so links in
/// bot messages are clickable while everything else stays text.
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some((start, scheme)) = ["https://", "http://", "mailto:"]
        .iter()
        .filter_map(|scheme| rest.find(scheme).map(|at| (at, *scheme)))
        .min()
    {
        let len = rest[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .unwrap_or(rest.len() - start);
        // Trailing punctuation usually ends the sentence, not the link.
        let link = rest[start..start + len].trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
        if start > 0 {
            out.push(Segment::Plain(&rest[..start]));
        }
        out.push(if link.len() > scheme.len() {
            Segment::Link(link)
        } else {
            Segment::Plain(link)
        });
        rest = &rest[start + link.len()..];
    }
    if !rest.is_empty() {
        out.push(Segment::Plain(rest));
    }
    out
}

/// Whether a URL is safe to put in an `href` or `src`: web and mail links only,
/// never `javascript:` or `data:`.
pub fn is_safe_url(url: &str) -> bool {
    let url = url.trim();
    ["https://", "http://", "mailto:", "/"]
        .iter()
        // `get` and not `[..]`: a prefix length can fall inside a multi-byte character.
        .any(|p| url.len() > p.len() && url.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p)))
        && !url.starts_with("//")
}

/// Trims white space as JavaScript's `String.prototype.trim` does, so the loader and
/// the engine agree: Unicode white space and the byte-order mark, but not U+0085.
pub fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_falls_back_from_region_to_language_to_default() {
        let text: Text = serde_json::from_str(r#"{"en": "Hi", "pt": "Olá"}"#).unwrap();
        assert_eq!(text.resolve("pt-BR", "en"), "Olá");
        assert_eq!(text.resolve("sv", "en"), "Hi");
    }

    #[test]
    fn segments_find_links_without_trailing_punctuation() {
        assert_eq!(
            segments("See https://example.com/pricing. Or mail mailto:a@b.co"),
            vec![
                Segment::Plain("See "),
                Segment::Link("https://example.com/pricing"),
                Segment::Plain(". Or mail "),
                Segment::Link("mailto:a@b.co"),
            ]
        );
        assert_eq!(
            segments("<b>not html</b>"),
            vec![Segment::Plain("<b>not html</b>")]
        );
    }

    #[test]
    fn unsafe_urls_are_refused() {
        assert!(is_safe_url("https://example.com"));
        assert!(is_safe_url("/pricing"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url("//evil.example"));
        assert!(!is_safe_url("data:text/html,hi"));
    }

    #[test]
    fn urls_with_multibyte_characters_near_the_scheme_do_not_panic() {
        assert!(!is_safe_url("abcdefg€x"));
        assert!(!is_safe_url("mailt€"));
        assert!(!is_safe_url("€"));
        assert!(is_safe_url("/€"));
    }
}
