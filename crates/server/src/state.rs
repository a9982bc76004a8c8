//! The application state every handler and socket shares. A leaf: it imports no
//! handler, so every area can use it.

use crate::cluster::Fanout;
use crate::commit::Writer;
use crate::config::Config;
use crate::db::Db;
use crate::hub::Hub;
use crate::limit::Limits;
use crate::meetings::Services;
use crate::secrets::Sealer;
use crate::shutdown::Shutdown;
use crate::tasks::Tasks;
use crate::token::Signer;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Stores events with group commit (`commit.rs`).
    pub writer: Writer,
    /// This node's sockets.
    pub hub: Arc<Hub>,
    /// Stored events and passing frames to the sockets of every node (`cluster`).
    pub fanout: Arc<Fanout>,
    pub signer: Signer,
    /// Seals secrets kept in the database (`secrets.rs`).
    pub sealer: Sealer,
    pub config: Arc<Config>,
    /// Tells sockets the server is stopping, and counts them out.
    pub shutdown: Shutdown,
    pub limits: Arc<Limits>,
    /// The supervised background tasks (`tasks.rs`).
    pub tasks: Tasks,
    /// Calendars, mail and the meetings worker's doorbell.
    pub meetings: Arc<Services>,
}
