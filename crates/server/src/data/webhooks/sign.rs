//! Standard Webhooks signatures (https://www.standardwebhooks.com): a secret is
//! `whsec_` + base64 of random bytes; a message is signed as
//! `base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))` and sent as `v1,{signature}`,
//! several space-separated while a secret rotates. Pure; the CLI's `webhook verify`
//! and the tests use the same functions receivers would.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

pub const PREFIX: &str = "whsec_";
/// How far a message's timestamp may be from the receiver's clock (the spec's advice).
pub const TOLERANCE_SECONDS: i64 = 5 * 60;

/// A new secret.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{PREFIX}{}", B64.encode(bytes))
}

fn mac(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<Hmac<Sha256>> {
    let key = B64.decode(secret.strip_prefix(PREFIX).unwrap_or(secret)).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    Some(mac)
}

/// The `webhook-signature` header for these secrets (each signs; receivers accept any).
pub fn header(secrets: &[String], id: &str, timestamp: i64, body: &str) -> String {
    secrets
        .iter()
        .filter_map(|s| mac(s, id, timestamp, body))
        .map(|m| format!("v1,{}", B64.encode(m.finalize().into_bytes())))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks a message as a receiver does: a `v1` signature made with `secret`, and a
/// timestamp within the tolerance of `now`.
pub fn verify(
    secret: &str,
    id: &str,
    timestamp: i64,
    body: &str,
    signatures: &str,
    now: i64,
) -> Result<(), &'static str> {
    if (now - timestamp).abs() > TOLERANCE_SECONDS {
        return Err("the timestamp is too far from now (a replay?)");
    }
    let ours = mac(secret, id, timestamp, body).ok_or("the secret is not whsec_ and base64")?;
    let matches = signatures
        .split(' ')
        .filter_map(|s| s.strip_prefix("v1,"))
        .any(|sig| {
            B64.decode(sig)
                .is_ok_and(|theirs| ours.clone().verify_slice(&theirs).is_ok())
        });
    match matches {
        true => Ok(()),
        false => Err("no signature matches"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_specs_example_signs_as_documented() {
        // The example of the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        assert_eq!(
            header(&[secret.into()], id, 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        let sig = header(&[secret.into()], id, 1614265330, body);
        assert_eq!(
            verify(secret, id, 1614265330, body, &sig, 1614265330 + 10),
            Ok(())
        );
        assert!(
            verify(secret, id, 1614265330, "{}", &sig, 1614265330).is_err(),
            "another body"
        );
        assert!(
            verify(secret, id, 1614265330, body, &sig, 1614265330 + 3600).is_err(),
            "replayed later"
        );
    }

    #[test]
    fn while_a_secret_rotates_either_one_verifies() {
        let (old, new) = (new_secret(), new_secret());
        let sig = header(&[new.clone(), old.clone()], "msg_1", 100, "{}");
        assert_eq!(sig.split(' ').count(), 2);
        assert_eq!(verify(&old, "msg_1", 100, "{}", &sig, 100), Ok(()));
        assert_eq!(verify(&new, "msg_1", 100, "{}", &sig, 100), Ok(()));
        assert!(verify(&new_secret(), "msg_1", 100, "{}", &sig, 100).is_err());
    }
}
