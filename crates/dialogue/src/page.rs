//! Page rules, as the loader evaluates them (`www/chinwag.js`), for the console's "does
//! this URL match?" tester: one shared table of cases keeps the two in step
//! (`www/fixtures/conditions.json`, `page_cases`).

use crate::condition::wildcard_match;
use crate::dialogue::{PageRule, Targeting};
use crate::text::trim;

fn low(s: &str) -> String {
    trim(s).to_ascii_lowercase()
}

impl PageRule {
    /// Whether the page at `url` (the browser's `location.href`) passes this rule.
    pub fn matches(&self, url: &str) -> bool {
        let page = low(url);
        match self {
            PageRule::UrlEquals(v) => page == low(v),
            PageRule::UrlContains(v) => page.contains(&low(v)),
            PageRule::UrlStartsWith(v) => page.starts_with(&low(v)),
            PageRule::UrlMatches(v) => wildcard_match(v, url),
            // Exact, as `URLSearchParams` compares: the first value of the name.
            PageRule::QueryParam(q) => match query_value(url, &q.name) {
                Some(value) => q.equals.as_ref().is_none_or(|e| *e == value),
                None => false,
            },
        }
    }
}

impl Targeting {
    /// Whether the dialogue may start on the page at `url`: no rule, or any rule.
    pub fn targets_page(&self, url: &str) -> bool {
        self.pages.is_empty() || self.pages.iter().any(|r| r.matches(url))
    }
}

/// The first value of `name` in the URL's query, decoded as `URLSearchParams` does.
fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split('#').next()?.split_once('?')?.1;
    query.split('&').filter(|p| !p.is_empty()).find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(k) == name).then(|| decode(v))
    })
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                // Two hex digits, as the browser reads them (`from_str_radix` alone
                // takes `+5` as a number).
                let hex = text
                    .get(i + 1..i + 3)
                    .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
                match u8::from_str_radix(hex.unwrap_or(""), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_decode_like_the_browser() {
        assert_eq!(
            query_value("https://x/p?utm_source=news+letter&a=%C3%A9#top", "utm_source").as_deref(),
            Some("news letter")
        );
        assert_eq!(query_value("https://x/p?a=%C3%A9", "a").as_deref(), Some("é"));
        assert_eq!(query_value("https://x/p?a", "a").as_deref(), Some(""));
        assert_eq!(query_value("https://x/p?a=1&a=2", "a").as_deref(), Some("1"));
        assert_eq!(query_value("https://x/p#?a=1", "a"), None);
        assert_eq!(query_value("https://x/p?a=%zz", "a").as_deref(), Some("%zz"));
    }
}
