//! Every stored event reaches this node's sockets exactly in its conversation's
//! sequence: one task keeps, per conversation, the last sequence number it handed to
//! the hub. The next one in line goes straight out; anything further ahead (a reply
//! stored by another node, or a local append whose caller was slower than the next
//! one's) first has the gap read from the database, where every earlier event is
//! already committed (a conversation's numbers are taken under its row's lock, so
//! they commit in order). Anything at or behind the cursor was handed out already.
//!
//! A conversation without a cursor (new, or idle long enough to be forgotten) has
//! everything stored in the last `RECENT` read and handed out: whatever this node may
//! have missed was stored since its cursor went (clients drop the repeats by number).
//! Only a first sweep after start that comes before any other job takes the latest
//! numbers as given: no socket here has heard anything older.

use crate::db::{self, Db};
use crate::live::hub::Hub;
use chinwag_protocol::{Event, EventKind, ServerFrame};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// A closed conversation's cursor is forgotten after this long without events (open
/// ones are kept while the sweep sees them open).
const IDLE: Duration = Duration::from_secs(600);
/// How far back a conversation without a cursor is read: far longer than a sweep, so
/// nothing stored since a cursor went is older.
const RECENT: Duration = IDLE;
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
    pub fn start(db: Db, hub: Arc<Hub>, tasks: &crate::tasks::Tasks) -> Delivery {
        let (tx, rx) = mpsc::unbounded_channel();
        // The queue outlives a failed run: the one started after it goes on with it.
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        tasks.keep("delivery", move |restarts| {
            run(db.clone(), hub.clone(), rx.clone(), restarts == 0)
        });
        let delivery = Delivery(tx);
        let sweeping = delivery.clone();
        tasks.keep("delivery sweep", move |_| {
            let sweeping = sweeping.clone();
            async move {
                let mut every = tokio::time::interval(SWEEP);
                loop {
                    every.tick().await;
                    if sweeping.0.send(Job::Sweep).is_err() {
                        return;
                    }
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

/// `start`: this is the node's first run (not one started again after a failure, whose
/// sockets may have missed what came meanwhile).
async fn run(db: Db, hub: Arc<Hub>, rx: Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Job>>>, start: bool) {
    let mut rx = rx.lock().await;
    let mut cursors: HashMap<String, Cursor> = HashMap::new();
    let mut first_sweep = start;
    let mut evicted = Instant::now();
    while let Some(job) = rx.recv().await {
        // Numbers taken as given only before anything was handed out here.
        if !matches!(job, Job::Sweep) {
            first_sweep = false;
        }
        match job {
            Job::Local(event) => {
                let id = event.conversation.clone();
                match cursors.get(&id).map(|c| c.seq) {
                    Some(at) if event.seq <= at => {}
                    Some(at) if event.seq > at + 1 => catch_up(&db, &hub, &mut cursors, &id, at).await,
                    Some(_) => hand_out(&hub, &mut cursors, event),
                    None => {
                        if !recent(&db, &hub, &mut cursors, &id).await {
                            // Unread: this one at least goes out.
                            hand_out(&hub, &mut cursors, event);
                        }
                    }
                }
            }
            Job::Remote { conversation, seq } => match cursors.get(&conversation).map(|c| c.seq) {
                Some(at) if seq > at => catch_up(&db, &hub, &mut cursors, &conversation, at).await,
                Some(_) => {}
                None => {
                    recent(&db, &hub, &mut cursors, &conversation).await;
                }
            },
            Job::Sweep => {
                let known: Vec<String> = cursors.keys().cloned().collect();
                let latest = match db::latest_seqs(&db, &known).await {
                    Ok(latest) => latest,
                    Err(e) => {
                        tracing::warn!("delivery: could not sweep: {e}");
                        continue;
                    }
                };
                for (conversation, seq, open) in latest {
                    match cursors.get_mut(&conversation) {
                        Some(cursor) if seq > cursor.seq => {
                            let at = cursor.seq;
                            catch_up(&db, &hub, &mut cursors, &conversation, at).await
                        }
                        Some(cursor) => {
                            if open {
                                cursor.used = Instant::now();
                            }
                        }
                        None if first_sweep => take(&mut cursors, conversation, seq),
                        None => {
                            // Stored since the last sweep, its ring lost or not yet
                            // handled: read it; an old one quiet all along is taken as is.
                            if recent(&db, &hub, &mut cursors, &conversation).await
                                && !cursors.contains_key(&conversation)
                            {
                                take(&mut cursors, conversation, seq);
                            }
                        }
                    }
                }
                first_sweep = false;
            }
        }
        if evicted.elapsed() > IDLE {
            cursors.retain(|_, c| c.used.elapsed() < IDLE);
            evicted = Instant::now();
        }
    }
}

fn take(cursors: &mut HashMap<String, Cursor>, conversation: String, seq: u64) {
    cursors.insert(
        conversation,
        Cursor {
            seq,
            used: Instant::now(),
        },
    );
}

/// Hands out what `conversation` stored in the last `RECENT`; false when it could not
/// be read.
async fn recent(db: &Db, hub: &Hub, cursors: &mut HashMap<String, Cursor>, conversation: &str) -> bool {
    let since = crate::db::now_ms().saturating_sub(RECENT.as_millis() as u64);
    match db::events_since(db, conversation, since).await {
        Ok(events) => {
            for event in events {
                hand_out(hub, cursors, event);
            }
            true
        }
        Err(e) => {
            tracing::warn!(conversation, "delivery: could not read events: {e}");
            false
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
        EventKind::Closed { .. } => hub.forget_assignment(&event.conversation),
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
