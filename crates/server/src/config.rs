//! Configuration: defaults, then a TOML file (`--config` or `CHINWAG_CONFIG`), then
//! `CHINWAG_*` environment variables (`CHINWAG_LISTEN` sets `listen`), merged by
//! figment. Every setting is in this one struct, documented in `docs/server.md`.

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
    /// The built widget bundle served under `/widget/`.
    pub widget_dir: PathBuf,
    /// The built agent inbox served under `/inbox/`.
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
            widget_dir: "target/widget-dist".into(),
            inbox_dir: "target/inbox-dist".into(),
            metrics_token: String::new(),
            sockets_per_address: 100,
            demo_origins: String::new(),
            trusted_proxies: String::new(),
            log_format: "text".into(),
            public_url: String::new(),
            smtp_url: String::new(),
            mail_from: "Chinwag <chinwag@localhost>".into(),
            webhook_private_addresses: false,
        }
    }
}

impl Config {
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            anyhow::ensure!(path.exists(), "no configuration file at {}", path.display());
            figment = figment.merge(Toml::file(path));
        }
        // CHINWAG_CONFIG names the file (read by the CLI), not a setting.
        let env = Env::prefixed("CHINWAG_").ignore(&["config", "agent_password"]);
        Ok(figment.merge(env).extract()?)
    }
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
}
