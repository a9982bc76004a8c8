//! Identity verification. A site's backend vouches for what it knows about a signed-in
//! visitor with an **identity token**: a JWT signed with HS256 and the site's identity
//! secret, whose claims are attributes (`{"email": "ana@acme.com", "company_size":
//! "201-1000", "exp": 1767225600}`). The page passes it with
//! `Chinwag('identify', {identity_token})`. Claims of a valid token become *verified*
//! attributes (they override what the page said); everything else the page says stays
//! unverified. Routing rules marked `verified`, and every rule of a site that requires
//! verification, decide on verified attributes only.
//!
//! A token must say when it expires (`exp`, seconds since the epoch), at most 7 days
//! ahead: a token copied from one page stops working soon after.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::BTreeMap;

/// The attribute the page puts the token in.
pub const TOKEN: &str = "identity_token";

/// The furthest ahead a token may expire.
pub const MAX_LIFETIME_S: u64 = 7 * 24 * 3600;

/// Claims that are about the token, not the visitor.
const REGISTERED: &[&str] = &["exp", "iat", "nbf", "iss", "aud", "jti"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("not a JWT (three base64url parts)")]
    Malformed,
    #[error("only HS256 tokens are accepted")]
    Algorithm,
    #[error("the signature does not match the site's identity secret")]
    Signature,
    #[error("the token has no `exp`")]
    NoExpiry,
    #[error("the token has expired")]
    Expired,
    #[error("the token expires more than 7 days ahead")]
    TooLong,
    #[error("the token is not valid yet (`nbf`)")]
    NotYet,
}

/// The verified attributes in `token`, checked against `secret` at `now` (seconds).
pub fn verify(token: &str, secret: &str, now: u64) -> Result<BTreeMap<String, String>, Refusal> {
    let mut parts = token.trim().split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::Malformed);
    };
    let json = |part: &str| -> Result<serde_json::Map<String, serde_json::Value>, Refusal> {
        let bytes = B64.decode(part).map_err(|_| Refusal::Malformed)?;
        serde_json::from_slice(&bytes).map_err(|_| Refusal::Malformed)
    };
    // The algorithm is fixed: never `none`, never one the token picks.
    if json(header)?.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
        return Err(Refusal::Algorithm);
    }
    let signature = B64.decode(signature).map_err(|_| Refusal::Malformed)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(header.as_bytes());
    mac.update(b".");
    mac.update(payload.as_bytes());
    mac.verify_slice(&signature).map_err(|_| Refusal::Signature)?;
    let claims = json(payload)?;
    let time = |name: &str| claims.get(name).and_then(|v| v.as_f64()).map(|v| v as u64);
    let exp = time("exp").ok_or(Refusal::NoExpiry)?;
    if exp <= now {
        return Err(Refusal::Expired);
    }
    if exp > now + MAX_LIFETIME_S {
        return Err(Refusal::TooLong);
    }
    if time("nbf").is_some_and(|nbf| nbf > now) {
        return Err(Refusal::NotYet);
    }
    Ok(claims
        .into_iter()
        .filter(|(k, _)| !REGISTERED.contains(&k.as_str()) && k != TOKEN)
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some((k, s)),
            serde_json::Value::Number(n) => Some((k, n.to_string())),
            serde_json::Value::Bool(b) => Some((k, b.to_string())),
            _ => None,
        })
        .collect())
}

/// What the server keeps of a visitor's attributes.
#[derive(Debug, Default, PartialEq)]
pub struct Sorted {
    /// Every attribute, the token's claims over the page's own (the token removed).
    pub attributes: BTreeMap<String, String>,
    /// The names of those that came from a valid token.
    pub verified: Vec<String>,
    /// Why a token that was given was refused.
    pub refused: Option<Refusal>,
}

/// Sorts a hand-off's attributes into verified and not, with the site's secret (none:
/// nothing can be verified).
pub fn sort(mut attributes: BTreeMap<String, String>, secret: Option<&str>, now: u64) -> Sorted {
    let Some(token) = attributes.remove(TOKEN) else {
        return Sorted {
            attributes,
            ..Sorted::default()
        };
    };
    match secret.map(|s| verify(&token, s, now)) {
        Some(Ok(claims)) => {
            let verified = claims.keys().cloned().collect();
            attributes.extend(claims);
            Sorted {
                attributes,
                verified,
                refused: None,
            }
        }
        Some(Err(refusal)) => Sorted {
            attributes,
            verified: Vec::new(),
            refused: Some(refusal),
        },
        None => Sorted {
            attributes,
            verified: Vec::new(),
            refused: Some(Refusal::Signature),
        },
    }
}

/// Makes a token, as a site's backend would (tests and the CLI's example).
pub fn sign(claims: &serde_json::Value, secret: &str) -> String {
    let header = B64.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = B64.encode(claims.to_string());
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{header}.{payload}").as_bytes());
    format!("{header}.{payload}.{}", B64.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: u64 = 1_800_000_000;
    const SECRET: &str = "site-identity-secret";

    #[test]
    fn a_valid_token_verifies_its_claims_and_overrides_the_page() {
        let token = sign(
            &json!({"email": "ana@acme.com", "company_size": "201-1000", "exp": NOW + 3600}),
            SECRET,
        );
        let page = BTreeMap::from([
            ("company_size".to_owned(), "More than 1000".to_owned()),
            ("first_name".to_owned(), "Ana".to_owned()),
            (TOKEN.to_owned(), token),
        ]);
        let sorted = sort(page, Some(SECRET), NOW);
        assert_eq!(sorted.refused, None);
        assert_eq!(sorted.verified, ["company_size", "email"]);
        assert_eq!(sorted.attributes["company_size"], "201-1000", "the token wins");
        assert_eq!(sorted.attributes["first_name"], "Ana", "kept, unverified");
        assert!(!sorted.attributes.contains_key(TOKEN));
    }

    #[test]
    fn forged_altered_expired_and_unsigned_tokens_are_refused() {
        let claims = json!({"email": "ana@acme.com", "exp": NOW + 60});
        assert_eq!(
            verify(&sign(&claims, "another secret"), SECRET, NOW),
            Err(Refusal::Signature)
        );
        let token = sign(&claims, SECRET);
        let (head, rest) = token.split_once('.').unwrap();
        let (_, signature) = rest.split_once('.').unwrap();
        let forged_payload = B64.encode(json!({"email": "boss@acme.com", "exp": NOW + 60}).to_string());
        assert_eq!(
            verify(&format!("{head}.{forged_payload}.{signature}"), SECRET, NOW),
            Err(Refusal::Signature)
        );
        // Replayed after it expired.
        assert_eq!(verify(&token, SECRET, NOW + 61), Err(Refusal::Expired));
        assert_eq!(
            verify(&sign(&json!({"email": "a@b.co"}), SECRET), SECRET, NOW),
            Err(Refusal::NoExpiry)
        );
        assert_eq!(
            verify(&sign(&json!({"exp": NOW + 30 * 86_400}), SECRET), SECRET, NOW),
            Err(Refusal::TooLong)
        );
        let none = format!(
            "{}.{}.",
            B64.encode(r#"{"alg":"none"}"#),
            B64.encode(claims.to_string())
        );
        assert_eq!(verify(&none, SECRET, NOW), Err(Refusal::Algorithm));
        assert_eq!(verify("a.b", SECRET, NOW), Err(Refusal::Malformed));
        assert_eq!(verify("€.€.€", SECRET, NOW), Err(Refusal::Malformed));
        // A refused token verifies nothing, and a site without a secret verifies nothing.
        let page = BTreeMap::from([
            (TOKEN.to_owned(), sign(&claims, "x")),
            ("email".to_owned(), "me@x.co".to_owned()),
        ]);
        let sorted = sort(page.clone(), Some(SECRET), NOW);
        assert!(sorted.verified.is_empty() && sorted.refused == Some(Refusal::Signature));
        assert_eq!(sorted.attributes["email"], "me@x.co");
        assert!(sort(page, None, NOW).verified.is_empty());
    }
}
