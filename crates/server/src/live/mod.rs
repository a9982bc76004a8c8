//! Live chat: the visitor's and the agent's sockets, the hub that carries frames between
//! them (and across nodes), conversations, the routing of a chat to an agent, and the
//! group commit that makes every acknowledged message durable.

pub mod agent;
pub mod commit;
pub mod conversation;
pub mod hub;
pub mod inbox;
pub mod notes;
pub mod rating;
pub mod routing;
pub mod snooze;
pub mod socket;
pub mod visitor;
