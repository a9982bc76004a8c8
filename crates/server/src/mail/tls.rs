//! STARTTLS for the SMTP listener: the certificate chain and key in `mail_in_tls_cert`
//! and `mail_in_tls_key` (PEM files, as certbot or acme.sh write them). Read at start (a
//! bad pair stops the server there), and again at a handshake after either file
//! changed, so a renewal needs no restart; a new pair that cannot be read (say, the
//! certificate written and the key not yet) leaves the last good one in use.

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{crypto::ring, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// When the two files were last written: a change means read them again.
type Written = (Option<SystemTime>, Option<SystemTime>);

pub struct Certificate {
    cert: PathBuf,
    key: PathBuf,
    current: Mutex<Current>,
}

struct Current {
    written: Written,
    acceptor: TlsAcceptor,
    /// A newer pair that could not be read: warned of once, tried again when it changes.
    refused: Option<Written>,
}

impl Certificate {
    /// The listener's certificate, when both settings are given; `None` when neither is.
    pub fn load(cert: &str, key: &str) -> anyhow::Result<Option<Certificate>> {
        let (cert, key) = (cert.trim(), key.trim());
        match (cert.is_empty(), key.is_empty()) {
            (true, true) => return Ok(None),
            (false, true) => {
                anyhow::bail!("mail_in_tls_cert needs mail_in_tls_key: the certificate's private key")
            }
            (true, false) => anyhow::bail!("mail_in_tls_key needs mail_in_tls_cert: the certificate chain"),
            (false, false) => {}
        }
        let (cert, key) = (PathBuf::from(cert), PathBuf::from(key));
        let written = written(&cert, &key);
        let acceptor = read(&cert, &key)?;
        Ok(Some(Certificate {
            cert,
            key,
            current: Mutex::new(Current {
                written,
                acceptor,
                refused: None,
            }),
        }))
    }

    /// The acceptor for a handshake now: the files' newest good pair.
    pub fn acceptor(&self) -> TlsAcceptor {
        let now = written(&self.cert, &self.key);
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if current.written != now && current.refused != Some(now) {
            match read(&self.cert, &self.key) {
                Ok(acceptor) => {
                    tracing::info!("mail listener: the TLS certificate changed on disk and is in use");
                    *current = Current {
                        written: now,
                        acceptor,
                        refused: None,
                    };
                }
                Err(e) => {
                    tracing::warn!("mail listener: the last good TLS certificate stays in use: {e:#}");
                    current.refused = Some(now);
                }
            }
        }
        current.acceptor.clone()
    }
}

fn written(cert: &Path, key: &Path) -> Written {
    let stamp = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    (stamp(cert), stamp(key))
}

fn read(cert: &Path, key: &Path) -> anyhow::Result<TlsAcceptor> {
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .with_context(|| {
            format!(
                "mail_in_tls_cert {}: no PEM certificate could be read",
                cert.display()
            )
        })?;
    anyhow::ensure!(
        !chain.is_empty(),
        "mail_in_tls_cert {}: no certificate in it",
        cert.display()
    );
    let key_der = PrivateKeyDer::from_pem_file(key).with_context(|| {
        format!(
            "mail_in_tls_key {}: no PEM private key could be read",
            key.display()
        )
    })?;
    let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)
        .with_context(|| {
            format!(
                "mail_in_tls_key {} cannot serve with the certificate (not its key, or a kind of key TLS here does not take)",
                key.display()
            )
        })?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use super::Certificate;

    fn pem(name: &str) -> String {
        format!("{}/tests/support/tls/{name}", env!("CARGO_MANIFEST_DIR"))
    }

    fn refused(cert: &str, key: &str) -> String {
        match Certificate::load(cert, key) {
            Err(e) => format!("{e:#}"),
            Ok(_) => panic!("{cert} and {key} were taken"),
        }
    }

    #[test]
    fn a_pair_that_cannot_serve_stops_the_server_with_why() {
        assert!(
            Certificate::load("", "").unwrap().is_none(),
            "no certificate: plain SMTP"
        );
        assert!(Certificate::load(&pem("first.crt"), &pem("first.key"))
            .unwrap()
            .is_some());
        assert!(refused(&pem("first.crt"), "").contains("needs mail_in_tls_key"));
        assert!(refused("", &pem("first.key")).contains("needs mail_in_tls_cert"));
        let mismatched = refused(&pem("first.crt"), &pem("renewed.key"));
        assert!(
            mismatched.contains("cannot serve with the certificate"),
            "{mismatched}"
        );
        let swapped = refused(&pem("first.key"), &pem("first.crt"));
        assert!(swapped.contains("mail_in_tls_cert"), "{swapped}");
        let missing = refused("/nowhere/fullchain.pem", &pem("first.key"));
        assert!(missing.contains("/nowhere/fullchain.pem"), "{missing}");
    }
}
