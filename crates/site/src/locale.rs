//! Which locale a visitor gets: the page's `data-locale`, else the site's setting,
//! else the browser's language. Built-in texts exist in [`SUPPORTED`]; any other
//! locale still localises dialogue texts (which fall back to the dialogue's default)
//! and gets English built-in texts.

/// Locales with built-in widget texts.
pub const SUPPORTED: [&str; 5] = ["en", "pt", "it", "sv", "zh-Hans"];

/// The visitor's locale, as dialogue texts see it (`pt-BR` stays `pt-BR`, so a
/// dialogue may have a `pt-BR` text). Ill-formed values are skipped.
pub fn visitor_locale(page: Option<&str>, site: Option<&str>, browser: Option<&str>) -> String {
    [page, site, browser]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|l| is_well_formed(l))
        .unwrap_or("en")
        .to_owned()
}

/// The built-in texts' locale for a visitor locale: its language, with any Chinese
/// shown in Simplified Chinese (the only Chinese we have), else English.
pub fn built_in(locale: &str) -> &'static str {
    let language = locale.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    match language.as_str() {
        "zh" => "zh-Hans",
        _ => SUPPORTED.into_iter().find(|s| *s == language).unwrap_or("en"),
    }
}

/// One of five tables of texts, in [`SUPPORTED`]'s order, for a locale; English
/// otherwise.
pub fn pick<T>(locale: &str, tables: [&'static T; 5]) -> &'static T {
    let at = SUPPORTED.iter().position(|s| *s == built_in(locale));
    tables[at.unwrap_or(0)]
}

/// A BCP 47-like tag: letters, digits and hyphens (or underscores), at most 35 long.
pub fn is_well_formed(locale: &str) -> bool {
    !locale.is_empty()
        && locale.len() <= 35
        && locale.as_bytes()[0].is_ascii_alphabetic()
        && locale
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_wins_then_the_site_then_the_browser() {
        assert_eq!(visitor_locale(Some("it"), Some("sv"), Some("pt-BR")), "it");
        assert_eq!(visitor_locale(None, Some("sv"), Some("pt-BR")), "sv");
        assert_eq!(visitor_locale(Some(""), None, Some("pt-BR")), "pt-BR");
        assert_eq!(visitor_locale(Some("<b>"), None, None), "en");
    }

    #[test]
    fn built_in_texts_follow_the_language() {
        assert_eq!(built_in("pt-BR"), "pt");
        assert_eq!(built_in("SV"), "sv");
        assert_eq!(built_in("zh-CN"), "zh-Hans");
        assert_eq!(built_in("zh-Hant-TW"), "zh-Hans");
        assert_eq!(built_in("de-DE"), "en");
    }
}
