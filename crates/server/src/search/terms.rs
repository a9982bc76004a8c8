//! A search as an agent types it, made safe for each engine, and where it matches a
//! line. Pure: no I/O.

/// The most words a search takes.
pub const MOST_WORDS: usize = 8;

/// The words of a search: runs of letters and digits, lower-cased; anything else
/// separates them, so nothing an agent types is ever an operator of FTS5 or of a
/// tsquery. At most [`MOST_WORDS`], each at most 64 characters.
pub fn words(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(64).collect::<String>().to_lowercase())
        .take(MOST_WORDS)
        .collect()
}

/// For SQLite's FTS5: every word, quoted, as a prefix (`"pric"*` finds "pricing").
pub fn fts5(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{}\"*", w.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// For PostgreSQL's `to_tsquery('simple', …)`: every word as a prefix, all of them.
pub fn tsquery(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("{w}:*"))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// Where a line matches: the byte ranges of its words that begin with one of the
/// search's words (compared lower-cased), in order, for the inbox to mark as text.
pub fn marks(line: &str, words: &[String]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices().chain(std::iter::once((line.len(), ' '))) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let word = line[s..i].to_lowercase();
                if words.iter().any(|w| word.starts_with(w.as_str())) {
                    found.push((s, i));
                }
                start = None;
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_and_quotes_are_never_passed_on() {
        let w = words(r#"price" OR NEAR(a b) * -x ana@shop.test"#);
        assert_eq!(w, ["price", "or", "near", "a", "b", "x", "ana", "shop"]);
        assert_eq!(fts5(&w[..2]), r#""price"* "or"*"#);
        assert_eq!(tsquery(&w[..2]), "price:* & or:*");
        assert!(words("  !!! ").is_empty());
        assert_eq!(words("Ünïcode 東京").len(), 2);
    }

    #[test]
    fn marks_are_whole_words_that_begin_with_a_search_word() {
        let line = "Pricing for Ana's team; ANA asked about price, not APRICOTS.";
        let w = words("pric ana");
        let marked: Vec<&str> = marks(line, &w).into_iter().map(|(s, e)| &line[s..e]).collect();
        assert_eq!(marked, ["Pricing", "Ana", "ANA", "price"]);
        // Multi-byte text keeps its boundaries.
        let line = "Über café Übersicht";
        let marked: Vec<&str> = marks(line, &words("über"))
            .into_iter()
            .map(|(s, e)| &line[s..e])
            .collect();
        assert_eq!(marked, ["Über", "Übersicht"]);
    }
}
