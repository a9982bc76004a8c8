//! Configuration: a TOML file, then `CHINWAG_*` environment variables on top.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where to listen (`CHINWAG_LISTEN`).
    pub listen: SocketAddr,
    /// SQLite database file (`CHINWAG_DATABASE`).
    pub database: PathBuf,
    /// Key that signs visitor tokens (`CHINWAG_SECRET`). Keep it secret and stable:
    /// changing it logs every visitor out of their conversation.
    pub secret: String,
    /// The built widget bundle served under `/widget/`.
    pub widget_dir: PathBuf,
    /// The built agent inbox served under `/inbox/`.
    pub inbox_dir: PathBuf,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8787".parse().expect("valid address"),
            database: "chinwag.db".into(),
            secret: String::new(),
            widget_dir: "target/widget-dist".into(),
            inbox_dir: "target/inbox-dist".into(),
        }
    }
}

impl Config {
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let mut config = match file {
            Some(path) => toml::from_str(&std::fs::read_to_string(path)?)?,
            None => Config::default(),
        };
        if let Ok(listen) = std::env::var("CHINWAG_LISTEN") {
            config.listen = listen.parse()?;
        }
        if let Ok(database) = std::env::var("CHINWAG_DATABASE") {
            config.database = database.into();
        }
        if let Ok(secret) = std::env::var("CHINWAG_SECRET") {
            config.secret = secret;
        }
        if let Ok(dir) = std::env::var("CHINWAG_WIDGET_DIR") {
            config.widget_dir = dir.into();
        }
        if let Ok(dir) = std::env::var("CHINWAG_INBOX_DIR") {
            config.inbox_dir = dir.into();
        }
        Ok(config)
    }
}
