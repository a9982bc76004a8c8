//! Text into HTML, for the few pages and fragments the server writes: text is text.

/// `&`, `<`, `>` and both quotes escaped: safe in an element or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_text_not_markup() {
        assert_eq!(escape("a<b>\"c\"&'d'"), "a&lt;b&gt;&quot;c&quot;&amp;&#39;d&#39;");
    }
}
