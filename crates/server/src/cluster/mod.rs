//! Fan-out across nodes (docs/deployment.md). Every stored event reaches this node's
//! sockets through `delivery` in the conversation's sequence order, read from the
//! database when anything is missing; the `broker` only rings the other nodes'
//! doorbells. On one node (SQLite) nothing rings and the in-process hub is all there
//! is: one code path for both.

mod broker;
pub mod delivery;
pub mod lease;
pub mod presence;
mod wire;

use crate::db::Db;
use crate::live::hub::Hub;
use chinwag_protocol::{Event, ServerFrame};
use std::sync::Arc;
pub use wire::To;

pub struct Fanout {
    /// This process's name among the nodes.
    node: String,
    hub: Arc<Hub>,
    delivery: delivery::Delivery,
    broker: Option<broker::Broker>,
}

impl Fanout {
    /// Starts delivery on `db`, and the broker when `db` is PostgreSQL (`database`,
    /// its URL, for the listening connection).
    pub fn start(db: Db, hub: Arc<Hub>, database: &str, tasks: &crate::tasks::Tasks) -> Fanout {
        let node = crate::db::new_id();
        presence::start(db.clone(), hub.clone(), node.clone(), tasks);
        let delivery = delivery::Delivery::start(db.clone(), hub.clone(), tasks);
        let broker = match crate::db::engine(&db) {
            crate::db::Engine::Postgres => Some(broker::Broker::start(
                db,
                database,
                &node,
                hub.clone(),
                delivery.clone(),
                tasks,
            )),
            crate::db::Engine::Sqlite => None,
        };
        Fanout {
            node,
            hub,
            delivery,
            broker,
        }
    }

    pub fn node(&self) -> &str {
        &self.node
    }

    /// A stored event: to this node's sockets, in order, and a ring to the others.
    pub fn stored(&self, event: Event) {
        if let Some(broker) = &self.broker {
            broker.ring(wire::Ring::Stored {
                conversation: event.conversation.clone(),
                seq: event.seq,
            });
        }
        self.delivery.local(event);
    }

    /// A passing frame for every inbox (typing, meetings, erasures), on every node.
    pub fn to_inbox(&self, frame: ServerFrame) {
        self.hub.to_inbox(frame.clone());
        self.ring_frame(To::Inbox, frame);
    }

    /// A passing frame for a conversation's visitor (agent typing), on every node.
    pub fn to_visitor(&self, conversation: &str, frame: ServerFrame) {
        self.hub.to_visitor(conversation, frame.clone());
        self.ring_frame(To::Visitor(conversation.to_owned()), frame);
    }

    fn ring_frame(&self, to: To, frame: ServerFrame) {
        if let Some(broker) = &self.broker {
            broker.ring(wire::Ring::Frame { to, frame });
        }
    }

    /// Waits (at most `limit`) until this node hears the others, so that a node just
    /// started is ready at once (a broker still away leaves it unready, not stopped).
    pub async fn listening(&self, limit: std::time::Duration) {
        let started = std::time::Instant::now();
        while !self.connected() && started.elapsed() < limit {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    /// Whether this node hears the others: always on one node; with a broker, while
    /// its listening connection is up (readiness, `/readyz`).
    pub fn connected(&self) -> bool {
        self.broker.as_ref().is_none_or(broker::Broker::connected)
    }
}
