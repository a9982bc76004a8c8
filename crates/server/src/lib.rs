//! Chinwag's server: serves the widget and each site's dialogues, the visitor and
//! agent sockets and the inbox API; routes conversations; stores everything in SQLite.

pub mod access;
pub mod app;
pub mod assets;
pub mod cluster;
pub mod config;
pub mod console;
pub mod csv;
pub mod data;
pub mod db;
pub mod demo;
pub mod error;
pub mod files;
pub mod health;
pub mod hours;
pub mod ids;
pub mod labels;
pub mod live;
pub mod mail;
pub mod meetings;
pub mod operations;
pub mod page_call;
pub mod peer;
pub mod replies;
pub mod reports;
pub mod rest;
pub mod search;
pub mod shutdown;
pub mod state;
pub mod tasks;
pub mod telemetry;
pub mod version;
pub mod widget_config;

use access::{secrets, token};
use live::{commit, hub};
use state::AppState;
use std::sync::Arc;

/// Opens the database and serves until `shutdown` resolves.
pub async fn serve(
    config: config::Config,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // One server per SQLite file, and no restore under a running one, from before the
    // database is opened (`operations::lock`).
    let _lock = operations::lock::take(&config.database).map_err(anyhow::Error::msg)?;
    telemetry::init();
    // Where it really listens (port 0 asks for any): links in emails and the console's
    // snippet name this address when no public_url is set.
    let mut config = config;
    config.listen = listener.local_addr()?;
    serve_state(state(config).await?, listener, shutdown).await
}

/// Serves `state` (made by [`state`]) until `shutdown` resolves.
pub async fn serve_state(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let stop = state.shutdown.clone();
    tracing::info!("listening on http://{}", listener.local_addr()?);
    assets::log(&state.config);
    let app = app::router(state.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("stopping: no new connections; telling sockets to reconnect");
            stop.begin();
        })
        .await?;
    // Upgraded sockets outlive axum's own connection tracking: wait for them here.
    let left = state.shutdown.drained(shutdown::DRAIN).await;
    state.tasks.stop(std::time::Duration::from_secs(5)).await;
    tracing::info!("stopped ({left} sockets still open after {:?})", shutdown::DRAIN);
    Ok(())
}

pub async fn state(config: config::Config) -> anyhow::Result<AppState> {
    anyhow::ensure!(
        config.secret.len() >= 16,
        "set a secret of at least 16 characters (CHINWAG_SECRET)"
    );
    anyhow::ensure!(
        config.mail_in_secret.is_empty() || config.mail_in_secret.len() >= 16,
        "mail_in_secret has at least 16 characters"
    );
    let db = db::connect(&config.database).await?;
    let meetings = meetings::Services::new(&config)?;
    let hub = Arc::new(hub::Hub::default());
    let tasks = tasks::Tasks::default();
    let state = AppState {
        writer: commit::Writer::start(db.clone(), &tasks),
        fanout: Arc::new(cluster::Fanout::start(
            db.clone(),
            hub.clone(),
            &config.database,
            &tasks,
        )),
        tasks,
        db,
        hub,
        signer: token::Signer::new(&config.secret),
        sealer: secrets::Sealer::new(&config.secret),
        config: Arc::new(config),
        shutdown: shutdown::Shutdown::default(),
        limits: Arc::default(),
        meetings,
    };
    state.fanout.listening(std::time::Duration::from_secs(5)).await;
    meetings::worker::start(state.clone());
    mail::worker::start(state.clone());
    mail::listener::start(&state).await?;
    data::webhooks::worker::start(state.clone());
    data::purge::start(state.clone());
    live::snooze::start(state.clone());
    Ok(state)
}
