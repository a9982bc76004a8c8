//! Visitor tokens: the conversation id signed with the server's secret (HMAC-SHA256).
//! A visitor can only resume the conversation its token names.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl Signer {
    pub fn new(secret: &str) -> Signer {
        Signer {
            key: secret.as_bytes().to_vec(),
        }
    }

    fn mac(&self, conversation: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(b"chinwag-visitor-v1:");
        mac.update(conversation.as_bytes());
        mac
    }

    pub fn sign(&self, conversation: &str) -> String {
        let tag = self.mac(conversation).finalize().into_bytes();
        format!("{}.{}", B64.encode(conversation), B64.encode(tag))
    }

    /// The conversation a token names, if its signature holds (checked in constant time).
    pub fn verify(&self, token: &str) -> Option<String> {
        let (id, tag) = token.split_once('.')?;
        let conversation = String::from_utf8(B64.decode(id).ok()?).ok()?;
        let tag = B64.decode(tag).ok()?;
        self.mac(&conversation).verify_slice(&tag).ok()?;
        Some(conversation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_name_their_conversation_and_cannot_be_forged() {
        let signer = Signer::new("secret");
        let token = signer.sign("c-1");
        assert_eq!(signer.verify(&token).as_deref(), Some("c-1"));
        let other = signer.sign("c-2");
        let forged = format!(
            "{}.{}",
            token.split('.').next().unwrap(),
            other.split('.').nth(1).unwrap()
        );
        assert_eq!(signer.verify(&forged), None);
        assert_eq!(Signer::new("other").verify(&token), None);
        assert_eq!(signer.verify("garbage"), None);
    }
}
