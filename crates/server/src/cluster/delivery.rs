//! Every stored event reaches this node's sockets exactly in its conversation's
//! sequence: one task keeps, per conversation, the last sequence number it handed to
//! the hub. The next one in line goes straight out; anything further ahead (a reply
//! stored by another node, or a local append whose caller was slower than the next
//! one's) first has the gap read from the database, where every earlier event is
//! already committed (a conversation's numbers are taken under its row's lock, so
//! they commit in order). Anything at or behind the cursor was handed out already.

use crate::db::{self, Db};
use crate::hub::Hub;
use chinwag_protocol::{Event, EventKind, ServerFrame};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// A conversation's cursor is forgotten after this long without events (its next
/// event then starts it again).
const IDLE: Duration = Duration::from_secs(600);
/// How often the latest numbers of open conversations are compared with what was
/// handed out: finds what a lost ring would have announced, or what a failed read
/// left behind (on one node too).
pub const SWEEP: Duration = Duration::from_secs(2);

enum Job {
    /// Stored by this node.
    Local(Event),
    /// Another node stored the conversation's events up to `seq`.
    Remote { conversation: String, seq: u64 },
    /// Compare the open and recently active conversations' latest numbers in the
    /// database with the cursors (`broker`'s sweep).
    Sweep,
}

#[derive(Clone)]
pub struct Delivery(mpsc::UnboundedSender<Job>);

impl Delivery {
    pub fn start(db: Db, hub: Arc<Hub>) -> Delivery {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(db, hub, rx));
        let delivery = Delivery(tx);
        let sweeping = delivery.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(SWEEP);
            loop {
                every.tick().await;
                if sweeping.0.send(Job::Sweep).is_err() {
                    return;
                }
            }
        });
        delivery
    }

    pub fn local(&self, event: Event) {
        let _ = self.0.send(Job::Local(event));
    }

    pub fn remote(&self, conversation: String, seq: u64) {
        let _ = self.0.send(Job::Remote { conversation, seq });
    }

    pub fn sweep(&self) {
        let _ = self.0.send(Job::Sweep);
    }
}

struct Cursor {
    seq: u64,
    used: Instant,
}

async fn run(db: Db, hub: Arc<Hub>, mut rx: mpsc::UnboundedReceiver<Job>) {
    let mut cursors: HashMap<String, Cursor> = HashMap::new();
    let mut swept = Instant::now();
    while let Some(job) = rx.recv().await {
        match job {
            Job::Local(event) => {
                let id = event.conversation.clone();
                match cursors.get(&id).map(|c| c.seq) {
                    Some(at) if event.seq <= at => {}
                    Some(at) if event.seq > at + 1 => catch_up(&db, &hub, &mut cursors, &id, at).await,
                    _ => hand_out(&hub, &mut cursors, event),
                }
            }
            Job::Remote { conversation, seq } => {
                // A conversation never seen here starts at the rung event.
                let at = cursors
                    .get(&conversation)
                    .map_or(seq.saturating_sub(1), |c| c.seq);
                if seq > at {
                    catch_up(&db, &hub, &mut cursors, &conversation, at).await;
                }
            }
            Job::Sweep => {
                let known: Vec<String> = cursors.keys().cloned().collect();
                let latest = match db::latest_seqs(&db, &known).await {
                    Ok(latest) => latest,
                    Err(e) => {
                        tracing::warn!("delivery: could not sweep: {e}");
                        continue;
                    }
                };
                for (conversation, seq) in latest {
                    match cursors.get(&conversation).map(|c| c.seq) {
                        Some(at) if seq > at => catch_up(&db, &hub, &mut cursors, &conversation, at).await,
                        Some(_) => {}
                        // Known from now on: a later lost ring is found by the next sweep.
                        None => {
                            cursors.insert(
                                conversation,
                                Cursor {
                                    seq,
                                    used: Instant::now(),
                                },
                            );
                        }
                    }
                }
            }
        }
        if swept.elapsed() > IDLE {
            cursors.retain(|_, c| c.used.elapsed() < IDLE);
            swept = Instant::now();
        }
    }
}

/// Hands out every stored event after `at`, in order.
async fn catch_up(db: &Db, hub: &Hub, cursors: &mut HashMap<String, Cursor>, conversation: &str, at: u64) {
    match db::events_after(db, conversation, at).await {
        Ok(events) => {
            for event in events {
                hand_out(hub, cursors, event);
            }
        }
        // The next ring or sweep tries again; nothing is skipped meanwhile.
        Err(e) => tracing::warn!(conversation, "delivery: could not read events: {e}"),
    }
}

fn hand_out(hub: &Hub, cursors: &mut HashMap<String, Cursor>, event: Event) {
    // Inbox sockets filter by assignment: keep it current whichever node assigned.
    match &event.kind {
        EventKind::Assigned { agent_id, .. } => {
            hub.set_assignment(&event.conversation, Some(agent_id.clone()))
        }
        EventKind::Unassigned { .. } => hub.set_assignment(&event.conversation, None),
        _ => {}
    }
    cursors.insert(
        event.conversation.clone(),
        Cursor {
            seq: event.seq,
            used: Instant::now(),
        },
    );
    let conversation = event.conversation.clone();
    hub.publish(&conversation, ServerFrame::Event(event));
}
