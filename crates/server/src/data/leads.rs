//! Who a lead is, from what they gave: the email that makes them one (trimmed, lower
//! case, Unicode NFC; refused with an invisible character), the company (the `company` attribute, or the email's domain unless it is a
//! free mail provider's), and where each attribute came from. Pure.

use chinwag_dialogue::cards::FieldKind;
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

/// Domains of free mail providers: their users share no company.
const FREE_MAIL: [&str; 16] = [
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.com",
    "gmx.de",
    "web.de",
    "yandex.ru",
];

/// What a capture says about a person.
#[derive(Clone, Debug, PartialEq)]
pub struct Capture {
    pub email: String,
    /// The company's name and domain ('' when named only).
    pub company: Option<(String, String)>,
    /// Every attribute with a value, the email included.
    pub attributes: BTreeMap<String, String>,
}

/// An email as leads are keyed by it: trimmed, lower case and in Unicode NFC, so the
/// composed and decomposed spellings of `José@…` are one person; `None` when it is not
/// a valid email (an invisible character, say: `fields::is_email`).
pub fn email(raw: &str) -> Option<String> {
    let email = chinwag_dialogue::fields::check(FieldKind::Email, true, raw)
        .ok()
        .flatten()?;
    Some(email.to_lowercase().nfc().collect())
}

/// The capture in `attributes`, when they hold a valid email.
pub fn capture(attributes: &BTreeMap<String, String>) -> Option<Capture> {
    let email = email(attributes.get("email")?)?;
    let domain = email
        .rsplit_once('@')
        .map(|(_, d)| d.to_owned())
        .unwrap_or_default();
    let named = attributes
        .get("company")
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    let company = match named {
        Some(name) => Some((
            name,
            if FREE_MAIL.contains(&domain.as_str()) {
                String::new()
            } else {
                domain
            },
        )),
        None if FREE_MAIL.contains(&domain.as_str()) => None,
        None => Some((domain.clone(), domain)),
    };
    let mut attributes: BTreeMap<String, String> = attributes
        .iter()
        .filter(|(k, v)| !v.trim().is_empty() && k.len() <= 64)
        .map(|(k, v)| (k.clone(), v.trim().chars().take(500).collect()))
        .collect();
    attributes.insert("email".into(), email.clone());
    Some(Capture {
        email,
        company,
        attributes,
    })
}

/// The visitor agreed that this visit may join what the site knows about them: the
/// `merge_consent` attribute says yes (`yes`, `true` or `1`, any case), set by the
/// site's page (`Chinwag('setAttributes', {merge_consent: 'yes'})`) or a dialogue.
pub fn consented(attributes: &BTreeMap<String, String>) -> bool {
    attributes
        .get("merge_consent")
        .is_some_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "yes" | "true" | "1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn an_email_makes_a_lead_and_names_the_company() {
        let c = capture(&of(&[("email", " Ana@Acme.COM "), ("first_name", "Ana")])).unwrap();
        assert_eq!(c.email, "ana@acme.com");
        assert_eq!(c.company, Some(("acme.com".into(), "acme.com".into())));
        assert_eq!(c.attributes["email"], "ana@acme.com");
        let named = capture(&of(&[("email", "ana@acme.com"), ("company", "Acme Inc")])).unwrap();
        assert_eq!(named.company, Some(("Acme Inc".into(), "acme.com".into())));
    }

    #[test]
    fn an_email_is_one_spelling_and_never_hides_a_character() {
        let composed = capture(&of(&[("email", "Jos\u{00C9}@acme.com")])).unwrap();
        let decomposed = capture(&of(&[("email", "jose\u{0301}@acme.com")])).unwrap();
        assert_eq!(composed.email, "jos\u{00E9}@acme.com");
        assert_eq!(decomposed.email, composed.email);
        assert_eq!(decomposed.attributes["email"], composed.email);
        assert_eq!(capture(&of(&[("email", "ana\u{200B}@acme.com")])), None);
    }

    #[test]
    fn free_mail_is_no_company_and_no_email_no_lead() {
        assert_eq!(capture(&of(&[("email", "bea@gmail.com")])).unwrap().company, None);
        assert_eq!(capture(&of(&[("email", "not an email")])), None);
        assert_eq!(capture(&of(&[("first_name", "Bea")])), None);
    }
}
