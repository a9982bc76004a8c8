//! The doorbell between nodes: PostgreSQL's LISTEN/NOTIFY on the database the nodes
//! already share (no other service to run, secure or fail over; docs/deployment.md
//! says why not Redis). A ring carries no message, only "conversation C has events
//! up to N" (or a passing frame such as typing): the events themselves are read from
//! the database, so a lost ring delays delivery until the next sweep (every 2 s,
//! `delivery::SWEEP`, and at once after the listening connection comes back) and
//! loses nothing.

use super::delivery::Delivery;
use super::wire::{Ring, To, Wire, LIMIT};
use crate::db::Db;
use crate::live::hub::Hub;
use sqlx::postgres::PgListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

const CHANNEL: &str = "chinwag";
/// The wait before listening again after the connection was lost.
const RETRY: Duration = Duration::from_millis(500);
/// Every node rings a beat this often; a listening connection that hears nothing
/// (not even its own node's beat) for `QUIET` is taken for dead, even if the socket
/// never said so (a half-open connection after a network fault), and replaced.
const BEAT: Duration = Duration::from_secs(5);
const QUIET: Duration = Duration::from_secs(16);
/// Rings under way at once; beyond, a ring is dropped (the sweep finds what it would
/// have announced): a database that stalls never piles up tasks.
const IN_FLIGHT: usize = 256;

#[derive(Clone)]
pub struct Broker {
    node: String,
    db: Db,
    connected: Arc<AtomicBool>,
    in_flight: Arc<tokio::sync::Semaphore>,
}

impl Broker {
    pub fn start(
        db: Db,
        url: &str,
        node: &str,
        hub: Arc<Hub>,
        delivery: Delivery,
        tasks: &crate::tasks::Tasks,
    ) -> Broker {
        let node = node.to_owned();
        let connected = Arc::new(AtomicBool::new(false));
        let (url, listening, heard) = (url.to_owned(), node.clone(), connected.clone());
        tasks.keep("broker listener", move |_| {
            listen(
                url.clone(),
                listening.clone(),
                hub.clone(),
                delivery.clone(),
                heard.clone(),
            )
        });
        let broker = Broker {
            node,
            db,
            connected,
            in_flight: Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT)),
        };
        let beating = broker.clone();
        tasks.keep("broker beat", move |_| {
            let beating = beating.clone();
            async move {
                let mut every = tokio::time::interval(BEAT);
                loop {
                    every.tick().await;
                    beating.ring(Ring::Beat);
                }
            }
        });
        broker
    }

    pub fn connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }

    /// Rings the other nodes, in the background: the caller never waits for it.
    pub fn ring(&self, ring: Ring) {
        let wire = Wire {
            node: self.node.clone(),
            ring,
        };
        let Ok(payload) = serde_json::to_string(&wire) else {
            return;
        };
        if payload.len() > LIMIT {
            tracing::warn!("broker: a ring of {} bytes was not sent", payload.len());
            return;
        }
        let Ok(permit) = self.in_flight.clone().try_acquire_owned() else {
            tracing::warn!("broker: {IN_FLIGHT} rings under way; one dropped");
            return;
        };
        let db = self.db.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let sent = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(payload)
                .execute(&db)
                .await;
            if let Err(e) = sent {
                tracing::warn!("broker: could not ring: {e}");
            }
        });
    }
}

async fn listen(url: String, node: String, hub: Arc<Hub>, delivery: Delivery, connected: Arc<AtomicBool>) {
    // Started again after a failure: not connected until this run says so.
    connected.store(false, Ordering::Relaxed);
    loop {
        match listen_once(&url, &node, &hub, &delivery, &connected).await {
            Ok(()) => tracing::warn!("broker: the listening connection was lost"),
            Err(e) => tracing::warn!("broker: not listening: {e}"),
        }
        connected.store(false, Ordering::Relaxed);
        tokio::time::sleep(RETRY).await;
    }
}

/// Listens until the connection is lost (`Ok`) or fails (`Err`).
async fn listen_once(
    url: &str,
    node: &str,
    hub: &Hub,
    delivery: &Delivery,
    connected: &AtomicBool,
) -> sqlx::Result<()> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    if !connected.swap(true, Ordering::Relaxed) {
        tracing::info!("broker: listening");
    }
    // Rings sent while nobody listened are gone: look at the database now.
    delivery.sweep();
    loop {
        let Ok(next) = tokio::time::timeout(QUIET, listener.try_recv()).await else {
            tracing::warn!("broker: no ring, not even this node's beat, for {QUIET:?}");
            return Ok(());
        };
        match next? {
            Some(notification) => heard(notification.payload(), node, hub, delivery),
            None => return Ok(()),
        }
    }
}

fn heard(payload: &str, node: &str, hub: &Hub, delivery: &Delivery) {
    let Ok(wire) = serde_json::from_str::<Wire>(payload) else {
        tracing::warn!("broker: an unreadable ring");
        return;
    };
    if wire.node == node {
        return;
    }
    match wire.ring {
        Ring::Beat => {}
        Ring::Stored { conversation, seq } => delivery.remote(conversation, seq),
        Ring::Frame { to: To::Inbox, frame } => hub.to_inbox(frame),
        Ring::Frame {
            to: To::Visitor(conversation),
            frame,
        } => hub.to_visitor(&conversation, frame),
    }
}
