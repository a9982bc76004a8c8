//! What meetings need besides the database; kept in the application state. A leaf.

use super::email;
use std::sync::Arc;

/// What meetings need besides the database: an HTTP client for calendars, the mailer,
/// the public URL for links in emails, and the worker's doorbell.
pub struct Services {
    pub http: reqwest::Client,
    pub mailer: email::Mailer,
    pub public_url: String,
    pub wake: tokio::sync::Notify,
}

impl Services {
    pub fn new(config: &crate::config::Config) -> anyhow::Result<Arc<Services>> {
        let public_url = match config.public_url.trim() {
            "" => format!("http://{}", config.listen),
            url => url.to_owned(),
        };
        Ok(Arc::new(Services {
            http: reqwest::Client::builder().user_agent("Chinwag").build()?,
            mailer: email::Mailer::new(&config.smtp_url, &config.mail_from)?,
            public_url,
            wake: tokio::sync::Notify::new(),
        }))
    }
}
