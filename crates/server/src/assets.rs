//! Where the widget (with its loader, `/chinwag.js`) and the inbox are served from: the
//! configured `widget_dir`/`inbox_dir` when set (development, or a custom build), else
//! the copies inside the binary (built with the `embed` feature, as releases are), else
//! `target/…-dist` under the working directory (a checkout). Each is served with its
//! precompressed `.br`/`.gz` copies; startup logs which it is, and says plainly when
//! there is nothing to serve.

use axum::Router;
use std::path::{Path, PathBuf};

/// What serves one of the two bundles.
pub enum Source {
    Dir(PathBuf),
    #[cfg(feature = "embed")]
    Embedded,
}

impl Source {
    /// `configured` (may be empty), for a bundle whose checkout copy is `dev`.
    pub fn pick(configured: &Path, dev: &str) -> Source {
        if !configured.as_os_str().is_empty() {
            return Source::Dir(configured.to_owned());
        }
        #[cfg(feature = "embed")]
        {
            let _ = dev;
            Source::Embedded
        }
        #[cfg(not(feature = "embed"))]
        {
            Source::Dir(dev.into())
        }
    }

    /// One line for the log: where `name` comes from, or why it will be a 404.
    pub fn describe(&self, name: &str, setting: &str) -> (bool, String) {
        match self {
            Source::Dir(dir) if dir.join("index.html").exists() || dir.join("chinwag.js").exists() => {
                (true, format!("{name} served from {}", dir.display()))
            }
            Source::Dir(dir) => (
                false,
                format!(
                    "{name} has nothing to serve: {} is missing or empty (build it with scripts/run.sh, set {setting}, or use a release binary, which carries it)",
                    dir.display()
                ),
            ),
            #[cfg(feature = "embed")]
            Source::Embedded => (true, format!("{name} served from inside this binary")),
        }
    }
}

/// The widget's and the inbox's sources for `config`.
pub fn sources(config: &crate::config::Config) -> (Source, Source) {
    (
        Source::pick(&config.widget_dir, "target/widget-dist"),
        Source::pick(&config.inbox_dir, "target/inbox-dist"),
    )
}

/// Logs where the widget and the inbox come from (a warning when from nowhere).
pub fn log(config: &crate::config::Config) {
    let (widget, inbox) = sources(config);
    for (found, line) in [
        widget.describe("the widget (/widget/, /chinwag.js)", "widget_dir"),
        inbox.describe("the inbox (/inbox/)", "inbox_dir"),
    ] {
        if found {
            tracing::info!("{line}");
        } else {
            tracing::warn!("{line}");
        }
    }
}

/// The widget's files (and the loader among them) as a service.
pub fn widget(source: &Source) -> Router {
    match source {
        Source::Dir(dir) => dir_service(dir),
        #[cfg(feature = "embed")]
        Source::Embedded => {
            Router::new().fallback_service(axum_embeddy::ServeEmbed::<embedded::Widget>::new())
        }
    }
}

/// The inbox's files as a service.
pub fn inbox(source: &Source) -> Router {
    match source {
        Source::Dir(dir) => dir_service(dir),
        #[cfg(feature = "embed")]
        Source::Embedded => {
            Router::new().fallback_service(axum_embeddy::ServeEmbed::<embedded::Inbox>::new())
        }
    }
}

/// The build writes .br and .gz copies beside the files (scripts/precompress.mjs).
fn dir_service(dir: &Path) -> Router {
    Router::new().fallback_service(
        tower_http::services::ServeDir::new(dir)
            .precompressed_br()
            .precompressed_gzip(),
    )
}

#[cfg(feature = "embed")]
mod embedded {
    /// `scripts/release.sh` builds these before the binary.
    #[derive(rust_embed::RustEmbed, Clone)]
    #[folder = "../../target/widget-dist/"]
    pub struct Widget;

    #[derive(rust_embed::RustEmbed, Clone)]
    #[folder = "../../target/inbox-dist/"]
    pub struct Inbox;
}
