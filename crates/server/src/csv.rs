//! CSV out and in, for the console's exports and imports: cells quoted and formulas
//! defused (spreadsheets run a cell that starts with `=`, `+`, `-` or `@`), lines split
//! back into cells, and the download response.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A cell, quoted, with formulas defused.
pub fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A line of cells.
pub fn line(cells: &[String]) -> String {
    let mut out = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    out.push('\n');
    out
}

/// Splits one line into cells (quoted cells may hold commas and doubled quotes), trimmed.
pub fn cells(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().map(|c| c.trim().to_owned()).collect()
}

/// A CSV download named `filename`.
pub fn download(filename: &str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_defused_and_read_back() {
        assert_eq!(cell("a \"b\""), "\"a \"\"b\"\"\"");
        assert_eq!(cell("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
        assert_eq!(
            cells(r#"a,"b, c","say ""hi""",  d "#),
            ["a", "b, c", "say \"hi\"", "d"]
        );
        assert_eq!(
            cells(line(&["x, y".into(), "z".into()]).trim_end()),
            ["x, y", "z"]
        );
    }
}
