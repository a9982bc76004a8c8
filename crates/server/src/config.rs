//! Configuration: defaults, then a TOML file (`--config` or `CHINWAG_CONFIG`), then
//! `CHINWAG_*` environment variables (`CHINWAG_LISTEN` sets `listen`), merged by
//! figment. Every setting is in this one struct, documented in `docs/server.md`. A
//! `CHINWAG_*` variable that is no setting (a deploy tool's own `CHINWAG_DIR`, or a typo)
//! does not stop the server: [`Config::unknown_variables`] names it and the nearest
//! setting, for a warning at start (docs/server.md says why).

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The database: a SQLite file (created when missing; one node) or a PostgreSQL
    /// URL, `postgres://user:password@host/name` (one node or several).
    pub database: String,
    /// Key that signs visitor tokens and seals stored secrets. Keep it secret and
    /// stable: changing it logs every visitor out of their conversation and makes
    /// sealed secrets (sites' identity secrets) unreadable.
    pub secret: String,
    /// The built widget bundle served under `/widget/` (and its loader, `/chinwag.js`);
    /// empty: the copy inside a release binary, else `target/widget-dist` (a checkout).
    pub widget_dir: PathBuf,
    /// The built agent inbox served under `/inbox/`; empty: the copy inside a release
    /// binary, else `target/inbox-dist`.
    pub inbox_dir: PathBuf,
    /// `/metrics` (Prometheus) answers requests with `Authorization: Bearer TOKEN`;
    /// empty: no `/metrics` at all.
    pub metrics_token: String,
    /// Open sockets per client address, visitors and agents each.
    pub sockets_per_address: usize,
    /// Balancers in front of the nodes, comma-separated addresses: a request from one
    /// of them counts as coming from the address it names last in `X-Forwarded-For`
    /// (limits per client address). Empty: the connecting address, always.
    pub trusted_proxies: String,
    /// `--demo` only: more page origins allowed to embed the demo site, comma-separated.
    pub demo_origins: String,
    /// `text` (for people) or `json` (one object per line, for log collectors).
    pub log_format: String,
    /// The server's address as people reach it (links in invitation emails); empty:
    /// `http://` + `listen`.
    pub public_url: String,
    /// Where invitations go out: `smtp://host:port`, `smtp://host:587?tls=required`,
    /// `smtps://user:password@host`; empty: invitations wait, shown in the meetings list.
    pub smtp_url: String,
    /// The sender of invitations.
    pub mail_from: String,
    /// The domain of the reply addresses on visitors' mails (`reply-…@DOMAIN`), whose
    /// mail comes to `mail_in_listen` or a provider's inbound webhook; empty: mails say
    /// to answer in the chat, and no answer by email is taken.
    pub mail_in_domain: String,
    /// Where the SMTP listener for visitors' answers listens (`0.0.0.0:25`, or a port a
    /// mail server in front forwards to); empty: no listener.
    pub mail_in_listen: String,
    /// The certificate chain (a PEM file, for the name the domain's MX record gives)
    /// the listener offers STARTTLS with; read again when it changes. Empty: plain
    /// SMTP only.
    pub mail_in_tls_cert: String,
    /// Its private key (a PEM file).
    pub mail_in_tls_key: String,
    /// The password a provider's inbound webhook signs in with (`POST /api/mail/inbound`,
    /// at least 16 characters); empty: no such route.
    pub mail_in_secret: String,
    /// Webhooks may go to private and loopback addresses (tests, an intranet receiver);
    /// off, such endpoints are refused (no reaching into the server's own network).
    pub webhook_private_addresses: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8787".parse().expect("valid address"),
            database: "chinwag.db".into(),
            secret: String::new(),
            widget_dir: PathBuf::new(),
            inbox_dir: PathBuf::new(),
            metrics_token: String::new(),
            sockets_per_address: 100,
            demo_origins: String::new(),
            trusted_proxies: String::new(),
            log_format: "text".into(),
            public_url: String::new(),
            smtp_url: String::new(),
            mail_from: "Chinwag <chinwag@localhost>".into(),
            mail_in_domain: String::new(),
            mail_in_listen: String::new(),
            mail_in_tls_cert: String::new(),
            mail_in_tls_key: String::new(),
            mail_in_secret: String::new(),
            webhook_private_addresses: false,
        }
    }
}

/// Variables the CLI reads itself (`--config`, `--password`, `--secret`): no settings,
/// but known.
const CLI_VARIABLES: [&str; 3] = ["config", "agent_password", "webhook_secret"];

impl Config {
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            anyhow::ensure!(path.exists(), "no configuration file at {}", path.display());
            figment = figment.merge(Toml::file(path));
        }
        // Settings only: the rest are reported by `unknown_variables`.
        let settings = Config::settings();
        let env = Env::prefixed("CHINWAG_")
            .filter(move |key| settings.iter().any(|s| key.as_str().eq_ignore_ascii_case(s)));
        Ok(figment.merge(env).extract()?)
    }

    /// Every setting's key, from the struct itself.
    pub fn settings() -> Vec<String> {
        match serde_json::to_value(Config::default()) {
            Ok(serde_json::Value::Object(keys)) => keys.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// A warning for each `CHINWAG_*` variable among `names` that is no setting and not
    /// the CLI's, with the setting nearest to it (fewest letters to change).
    pub fn unknown_variables(names: impl IntoIterator<Item = String>) -> Vec<String> {
        let settings = Config::settings();
        let mut out = Vec::new();
        for name in names {
            let Some(key) = name.strip_prefix("CHINWAG_") else {
                continue;
            };
            let key = key.to_ascii_lowercase();
            if settings.contains(&key) || CLI_VARIABLES.contains(&key.as_str()) {
                continue;
            }
            let nearest = settings
                .iter()
                .map(|s| (edit_distance(&key, s), s))
                .min()
                .map(|(distance, s)| (distance, format!("CHINWAG_{}", s.to_ascii_uppercase())));
            out.push(match nearest {
                Some((d, s)) if d <= 2.max(key.len() / 3) => {
                    format!("{name} is not a setting and is ignored: did you mean {s}?")
                }
                Some((_, s)) => {
                    format!("{name} is not a setting and is ignored (the nearest setting is {s})")
                }
                None => format!("{name} is not a setting and is ignored"),
            });
        }
        out.sort();
        out
    }
}

/// Levenshtein distance: letters inserted, removed or replaced.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    // figment's test jail returns its own (large) error type.
    #[allow(clippy::result_large_err)]
    #[test]
    fn file_then_environment_with_clear_errors() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "chinwag.toml",
                "listen = \"127.0.0.1:9000\"\ndatabase = \"a.db\"\n",
            )?;
            jail.set_env("CHINWAG_DATABASE", "b.db");
            let config = Config::load(Some(Path::new("chinwag.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(config.listen.port(), 9000);
            assert_eq!(config.database, "b.db", "the environment wins");
            assert_eq!(config.sockets_per_address, 100, "defaults for the rest");

            jail.create_file("typo.toml", "lisen = \"127.0.0.1:9000\"\n")?;
            let error = Config::load(Some(Path::new("typo.toml")))
                .unwrap_err()
                .to_string();
            assert!(error.contains("lisen"), "{error}");
            jail.set_env("CHINWAG_LISTEN", "not an address");
            let error = Config::load(None).unwrap_err().to_string();
            assert!(error.to_lowercase().contains("listen"), "{error}");
            Ok(())
        });
    }

    #[allow(clippy::result_large_err)]
    #[test]
    fn unknown_variables_are_named_with_the_nearest_setting_and_do_not_stop_the_server() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("CHINWAG_DIR", "/srv/chinwag");
            jail.set_env("CHINWAG_DATABSE", "typo.db");
            jail.set_env("CHINWAG_DATABASE", "b.db");
            jail.set_env("CHINWAG_WEBHOOK_SECRET", "the CLI's");
            let config = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(config.database, "b.db");
            Ok(())
        });
        let names = [
            "CHINWAG_DATABSE",
            "CHINWAG_DIR",
            "CHINWAG_LISTEN",
            "CHINWAG_CONFIG",
            "PATH",
        ];
        let warnings = Config::unknown_variables(names.map(String::from));
        assert_eq!(
            warnings,
            [
                "CHINWAG_DATABSE is not a setting and is ignored: did you mean CHINWAG_DATABASE?",
                "CHINWAG_DIR is not a setting and is ignored (the nearest setting is CHINWAG_LISTEN)",
            ]
        );
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn the_example_file_names_every_setting_and_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/chinwag.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        for key in Config::settings() {
            assert!(
                text.lines().any(|l| l.starts_with(&format!("{key} = "))),
                "deploy/chinwag.toml lacks `{key}`"
            );
        }
        let config = Config::load(Some(&path)).unwrap();
        assert_eq!(config.public_url, "https://chat.example.com");
    }
}
