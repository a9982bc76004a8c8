//! CSV out and in, for the console's exports and imports, by the `csv` crate (RFC 4180:
//! a quoted cell may hold commas, doubled quotes and line breaks, and reads back as it
//! was written). Text cells are quoted and formulas defused (spreadsheets run a cell
//! that starts with `=`, `+`, `-` or `@`: it gets a leading `'`, which a spreadsheet
//! hides and [`read`] takes off again); and the download response.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// What a spreadsheet would run as a formula.
const FORMULA: [char; 4] = ['=', '+', '-', '@'];

/// A cell's text, formulas defused (and a cell that looks defused already, so that it
/// reads back as it was).
fn defuse(text: &str) -> std::borrow::Cow<'_, str> {
    match text.starts_with(FORMULA) || undefuse(text).len() < text.len() {
        true => format!("'{text}").into(),
        false => text.into(),
    }
}

/// A defused cell read back: the `'` [`defuse`] added taken off.
fn undefuse(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA) => rest,
        _ => text,
    }
}

/// A table of text: the header as is, every other cell quoted and defused.
pub fn table<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    write(header, rows, ::csv::QuoteStyle::Always, true)
}

/// A table of numbers (and dates): cells quoted only where they must be.
pub fn numbers<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    write(header, rows, ::csv::QuoteStyle::Necessary, false)
}

fn write<R, C>(header: &[&str], rows: R, style: ::csv::QuoteStyle, defused: bool) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let writer = |style| {
        ::csv::WriterBuilder::new()
            .quote_style(style)
            .terminator(::csv::Terminator::Any(b'\n'))
            .flexible(true)
            .from_writer(Vec::new())
    };
    // Writing to memory cannot fail.
    let mut head = writer(::csv::QuoteStyle::Necessary);
    head.write_record(header).expect("write to memory");
    let mut out = head.into_inner().expect("write to memory");
    let mut body = writer(style);
    for row in rows {
        let cells = row.into_iter().map(|c| match defused {
            true => defuse(c.as_ref()).into_owned(),
            false => c.as_ref().to_owned(),
        });
        body.write_record(cells).expect("write to memory");
    }
    out.extend(body.into_inner().expect("write to memory"));
    String::from_utf8(out).expect("cells are text")
}

/// A row read: the line it starts on, and its cells.
pub type Row = (u64, Vec<String>);

/// A table read: the header's names and each row's cells (trimmed, defusing undone),
/// with the line the row starts on. Blank lines are skipped; a row may have fewer or
/// more cells than the header.
pub fn read(text: &str) -> Result<(Vec<String>, Vec<Row>), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let cells = |r: &::csv::StringRecord| r.iter().map(|c| undefuse(c).to_owned()).collect();
    let header = match records.next() {
        Some(r) => cells(&r.map_err(|e| e.to_string())?),
        None => Vec::new(),
    };
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| e.to_string())?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        // The reader's position is where it stood before the blank lines it skipped.
        let at = record.position().map_or(0, |p| p.byte() as usize);
        let start = at + text[at..].len() - text[at..].trim_start_matches(['\r', '\n']).len();
        let line = 1 + text.as_bytes()[..start].iter().filter(|b| **b == b'\n').count() as u64;
        rows.push((line, cells(&record)));
    }
    Ok((header, rows))
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
        let cells = [
            "a \"b\"",
            "=HYPERLINK(1)",
            "two\nlines, and a comma",
            "Zoë 東京",
            "'=kept",
        ];
        let text = table(&["x", "y"], [cells]);
        assert!(
            text.starts_with("x,y\n\"a \"\"b\"\"\",\"'=HYPERLINK(1)\",\"two\nlines"),
            "{text}"
        );
        let (header, rows) = read(&text).unwrap();
        assert_eq!(header, ["x", "y"]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, 2);
        assert_eq!(
            rows[0].1,
            [
                "a \"b\"",
                "=HYPERLINK(1)",
                "two\nlines, and a comma",
                "Zoë 東京",
                "'=kept"
            ]
        );
        assert_eq!(
            numbers(&["day", "n"], [["2026-01-01", "3"]]),
            "day,n\n2026-01-01,3\n"
        );
    }

    #[test]
    fn hand_written_files_read_too() {
        let (header, rows) =
            read("\u{feff}email , plan\r\n\r\na@b.c,\"Pro, yearly\"\n\nx\n\"d@e.f\",\"multi\nline\",extra\n")
                .unwrap();
        assert_eq!(header, ["email", "plan"]);
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [3, 5, 6]);
        assert_eq!(rows[0].1, ["a@b.c", "Pro, yearly"]);
        assert_eq!(rows[2].1, ["d@e.f", "multi\nline", "extra"]);
    }
}
