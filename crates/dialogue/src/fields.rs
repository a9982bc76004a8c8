//! Kind-specific checks for info-capture answers, shared by the widget (inline
//! errors) and the server (which never trusts the browser).

use crate::cards::FieldKind;

/// Why a field's value was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldProblem {
    Required,
    InvalidEmail,
    InvalidPhone,
    TooLong,
}

/// Longest value kept for any field; longer input is refused, not cut.
pub const MAX_LEN: usize = 500;

/// Checks one value; returns the value to store (trimmed) or why it is refused.
/// An empty optional value is accepted as `None`.
pub fn check(kind: FieldKind, required: bool, value: &str) -> Result<Option<String>, FieldProblem> {
    let value = value.trim();
    if value.is_empty() {
        return if required {
            Err(FieldProblem::Required)
        } else {
            Ok(None)
        };
    }
    if value.chars().count() > MAX_LEN {
        return Err(FieldProblem::TooLong);
    }
    match kind {
        FieldKind::Email if !is_email(value) => Err(FieldProblem::InvalidEmail),
        FieldKind::Phone if !is_phone(value) => Err(FieldProblem::InvalidPhone),
        _ => Ok(Some(value.to_owned())),
    }
}

/// A character that shows nothing: zero-width spaces and joiners, the soft hyphen,
/// direction marks, word joiners, variation selectors, the byte-order mark (Unicode's
/// default-ignorable code points). An email holding one looks like another address,
/// so it is refused, not stripped.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

/// A pragmatic address check: one `@`, a local part, and a dotted domain without
/// spaces or invisible characters. Deliverability is the mail server's business.
pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    value.len() <= 254
        && !local.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || is_invisible(c) || "<>(),;:\"[]\\".contains(c))
        && !domain.contains('@')
        && labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && !tld.chars().all(|c| c.is_ascii_digit()))
}

/// International phone numbers: 7 to 15 digits (E.164), optional leading `+`,
/// and the usual separators.
pub fn is_phone(value: &str) -> bool {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let body = value.strip_prefix('+').unwrap_or(value);
    (7..=15).contains(&digits) && body.chars().all(|c| c.is_ascii_digit() || " -.()/".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["ana@acme.com", "a.b+tag@mail.example.co.uk", "x@xn--bcher-kva.de"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "ana",
            "ana@",
            "@acme.com",
            "ana@acme",
            "ana @acme.com",
            "a@b@c.com",
            "a@acme..com",
            "a@1.23",
            "ana\u{200B}@acme.com",
            "an\u{00AD}a@acme.com",
            "ana@acme\u{FEFF}.com",
            "ana@acme.com\u{2060}",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn phones() {
        for ok in ["+44 20 7946 0958", "(555) 123-4567", "+351912345678"] {
            assert!(is_phone(ok), "{ok}");
        }
        for bad in ["123", "call me", "+1 555 CALL NOW", "1234567890123456"] {
            assert!(!is_phone(bad), "{bad}");
        }
    }

    #[test]
    fn optional_blank_is_fine_and_required_blank_is_not() {
        assert_eq!(check(FieldKind::Company, false, "  "), Ok(None));
        assert_eq!(check(FieldKind::Company, true, " "), Err(FieldProblem::Required));
        assert_eq!(
            check(FieldKind::Email, true, " ana@acme.com "),
            Ok(Some("ana@acme.com".into()))
        );
    }
}
