//! Secrets at rest: sites' identity secrets now, agents' calendar passwords next. Each
//! is sealed with XChaCha20-Poly1305 under a key derived from the server's `secret`
//! (a random nonce per value), so a copied database alone reveals none of them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

#[derive(Clone)]
pub struct Sealer(XChaCha20Poly1305);

impl Sealer {
    pub fn new(secret: &str) -> Sealer {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
        mac.update(b"chinwag-secrets-v1");
        let key = mac.finalize().into_bytes();
        Sealer(XChaCha20Poly1305::new(&key))
    }

    /// `v1.` + base64url(nonce ‖ ciphertext).
    pub fn seal(&self, plain: &str) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .0
            .encrypt(&nonce, plain.as_bytes())
            .expect("encryption of a short value cannot fail");
        format!("v1.{}", B64.encode([nonce.as_slice(), &sealed].concat()))
    }

    /// `None` when it was sealed under another key (the server's secret changed) or
    /// altered.
    pub fn open(&self, sealed: &str) -> Option<String> {
        let bytes = B64.decode(sealed.strip_prefix("v1.")?).ok()?;
        let (nonce, body) = bytes.split_at_checked(24)?;
        let plain = self.0.decrypt(XNonce::from_slice(nonce), body).ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_under_the_same_key_and_unaltered() {
        let sealer = Sealer::new("a server secret of some length");
        let sealed = sealer.seal("site secret");
        assert!(!sealed.contains("site secret"));
        assert_ne!(sealed, sealer.seal("site secret"), "a fresh nonce each time");
        assert_eq!(sealer.open(&sealed).as_deref(), Some("site secret"));
        assert_eq!(Sealer::new("another server secret!!").open(&sealed), None);
        let mut altered = sealed.clone();
        altered.pop();
        assert_eq!(sealer.open(&altered), None);
        assert_eq!(sealer.open("v1.€"), None);
    }
}
