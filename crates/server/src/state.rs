//! The application state every handler and socket shares. A leaf: it imports no
//! handler, so every area can use it.

use crate::access::limit::Limits;
use crate::access::secrets::Sealer;
use crate::access::token::Signer;
use crate::cluster::Fanout;
use crate::config::Config;
use crate::db::Db;
use crate::live::commit::Writer;
use crate::live::hub::Hub;
use crate::meetings::Services;
use crate::shutdown::Shutdown;
use crate::tasks::Tasks;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Stores events with group commit (`live/commit.rs`).
    pub writer: Writer,
    /// This node's sockets.
    pub hub: Arc<Hub>,
    /// Stored events and passing frames to the sockets of every node (`cluster`).
    pub fanout: Arc<Fanout>,
    pub signer: Signer,
    /// Seals secrets kept in the database (`access/secrets.rs`).
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
