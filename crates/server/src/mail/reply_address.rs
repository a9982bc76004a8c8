//! The address a visitor's email answer goes to: `reply-{conversation}-{tag}@{domain}`,
//! the tag an HMAC of the conversation id with the server's secret. Only the server can
//! make one, so a mail to it is a reply to that conversation's mails (docs/inbox.md,
//! "Answers by email"). Lowercase hex throughout: mail systems may change the case of
//! an address.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Hex digits of the tag kept (80 bits: guessing one takes 2^80 mails).
const TAG_DIGITS: usize = 20;

fn tag(secret: &str, conversation: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(b"chinwag-reply-v1:");
    mac.update(conversation.as_bytes());
    mac
}

/// The reply address of `conversation` (a 32-hex-digit id).
pub fn make(secret: &str, domain: &str, conversation: &str) -> String {
    let bytes = tag(secret, conversation).finalize().into_bytes();
    let hex = hex::encode(bytes);
    format!("reply-{conversation}-{}@{domain}", &hex[..TAG_DIGITS])
}

/// The conversation `address` answers, when it is one of ours (`domain`) with a tag
/// that holds (checked in constant time). Accepts `<…>` around it and any case.
pub fn open(secret: &str, domain: &str, address: &str) -> Option<String> {
    let address = address.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, at) = address.rsplit_once('@')?;
    if !at.eq_ignore_ascii_case(domain) || domain.is_empty() {
        return None;
    }
    let local = local.to_ascii_lowercase();
    let rest = local.strip_prefix("reply-")?;
    let (conversation, given) = rest.split_once('-')?;
    if conversation.len() != 32 || given.len() != TAG_DIGITS {
        return None;
    }
    let given = hex::decode(given).ok()?;
    tag(secret, conversation).verify_truncated_left(&given).ok()?;
    Some(conversation.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn an_address_names_its_conversation_and_cannot_be_forged() {
        let address = make("secret", "reply.shop.test", C);
        assert!(
            address.len() - "@reply.shop.test".len() <= 64,
            "a local part has at most 64 characters"
        );
        assert_eq!(open("secret", "reply.shop.test", &address).as_deref(), Some(C));
        assert_eq!(
            open("secret", "REPLY.shop.test", &address.to_uppercase()).as_deref(),
            Some(C)
        );
        assert_eq!(
            open("secret", "reply.shop.test", &format!("<{address}>")).as_deref(),
            Some(C)
        );
        // Another secret, another conversation with this tag, another domain: refused.
        assert_eq!(open("other", "reply.shop.test", &address), None);
        let other = C.replace('0', "1");
        let forged = address.replace(C, &other);
        assert_eq!(open("secret", "reply.shop.test", &forged), None);
        assert_eq!(
            open(
                "secret",
                "reply.shop.test",
                &address.replace("reply.shop.test", "evil.test")
            ),
            None
        );
        assert_eq!(open("secret", "", &address), None);
        assert_eq!(open("secret", "reply.shop.test", "sales@reply.shop.test"), None);
    }
}
