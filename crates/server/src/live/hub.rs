//! Live fan-out between sockets. Every stored event is published on its
//! conversation's channel and on the inbox channel; subscribers that fall behind
//! reload what they missed from the database (nothing is dropped silently).

use chinwag_protocol::ServerFrame;
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::broadcast;

const CHANNEL: usize = 256;

pub struct Hub {
    conversations: Mutex<HashMap<String, broadcast::Sender<ServerFrame>>>,
    inbox: broadcast::Sender<ServerFrame>,
    /// Open inbox sockets per agent: the last one closing sets the agent offline.
    presence: Mutex<HashMap<String, usize>>,
    /// Taken while an inbox opens or closes and while presence is renewed, so their
    /// database writes never interleave (`cluster::presence`).
    pub presence_turn: tokio::sync::Mutex<()>,
    /// Who each conversation is assigned to, so inbox sockets can filter live events
    /// without a database query per event. Delivery is the one writer of changes (it
    /// hands out every Assigned and Unassigned event, and forgets a conversation when it
    /// closes or is erased); a miss fills a gap from the database but never overwrites.
    assignments: Mutex<HashMap<String, Option<String>>>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            conversations: Mutex::new(HashMap::new()),
            inbox: broadcast::channel(CHANNEL * 4).0,
            presence: Mutex::new(HashMap::new()),
            presence_turn: tokio::sync::Mutex::new(()),
            assignments: Mutex::new(HashMap::new()),
        }
    }
}

impl Hub {
    pub fn conversation(&self, id: &str) -> broadcast::Receiver<ServerFrame> {
        let mut map = self.conversations.lock().expect("hub lock");
        map.retain(|_, tx| tx.receiver_count() > 0);
        map.entry(id.to_owned())
            .or_insert_with(|| broadcast::channel(CHANNEL).0)
            .subscribe()
    }

    pub fn inbox(&self) -> broadcast::Receiver<ServerFrame> {
        self.inbox.subscribe()
    }

    /// Sends a frame to the conversation's visitor and to every inbox.
    pub fn publish(&self, conversation: &str, frame: ServerFrame) {
        if let Some(tx) = self.conversations.lock().expect("hub lock").get(conversation) {
            let _ = tx.send(frame.clone());
        }
        let _ = self.inbox.send(frame);
    }

    /// Sends a frame to the inboxes only (visitor typing).
    pub fn to_inbox(&self, frame: ServerFrame) {
        let _ = self.inbox.send(frame);
    }

    /// Sends a frame to the visitor's side only (agent typing).
    pub fn to_visitor(&self, conversation: &str, frame: ServerFrame) {
        if let Some(tx) = self.conversations.lock().expect("hub lock").get(conversation) {
            let _ = tx.send(frame);
        }
    }

    pub fn assignment(&self, conversation: &str) -> Option<Option<String>> {
        self.assignments
            .lock()
            .expect("hub lock")
            .get(conversation)
            .cloned()
    }

    /// A change of assignment, as delivery hands it out.
    pub fn set_assignment(&self, conversation: &str, agent: Option<String>) {
        let mut map = self.assignments.lock().expect("hub lock");
        bound(&mut map);
        map.insert(conversation.to_owned(), agent);
    }

    /// What the database said after a miss: kept only if delivery has not set a newer
    /// value meanwhile (the read may have started before an assignment was handed out).
    pub fn fill_assignment(&self, conversation: &str, agent: Option<String>) {
        let mut map = self.assignments.lock().expect("hub lock");
        bound(&mut map);
        map.entry(conversation.to_owned()).or_insert(agent);
    }

    /// A conversation that closed or was erased: its assignment is read again if ever
    /// needed.
    pub fn forget_assignment(&self, conversation: &str) {
        self.assignments.lock().expect("hub lock").remove(conversation);
    }

    /// The agents with an inbox socket open here.
    pub fn held(&self) -> Vec<String> {
        let map = self.presence.lock().expect("hub lock");
        map.iter()
            .filter(|(_, n)| **n > 0)
            .map(|(a, _)| a.clone())
            .collect()
    }

    /// Counts an inbox socket in (`+1`) or out (`-1`); returns the agent's open sockets.
    pub fn presence(&self, agent: &str, delta: isize) -> usize {
        let mut map = self.presence.lock().expect("hub lock");
        let count = map.entry(agent.to_owned()).or_default();
        *count = count.saturating_add_signed(delta);
        *count
    }
}

/// The most assignments kept: past it the cache starts afresh (misses read the
/// database), so it never grows with every conversation a node has seen.
const ASSIGNMENTS_KEPT: usize = 50_000;

fn bound(map: &mut HashMap<String, Option<String>>) {
    if map.len() >= ASSIGNMENTS_KEPT {
        map.clear();
        map.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A miss read the database before an assignment was handed out and wrote its older
    /// answer over it: the inbox of the agent now assigned then missed the chat's events.
    #[test]
    fn a_miss_never_overwrites_what_delivery_set() {
        let hub = Hub::default();
        hub.set_assignment("c1", Some("ben".into()));
        hub.fill_assignment("c1", None);
        assert_eq!(hub.assignment("c1"), Some(Some("ben".into())));
        hub.fill_assignment("c2", Some("ana".into()));
        assert_eq!(hub.assignment("c2"), Some(Some("ana".into())), "a gap is filled");
        hub.forget_assignment("c1");
        assert_eq!(hub.assignment("c1"), None, "a closed chat is forgotten");
    }

    #[test]
    fn the_assignment_cache_is_bounded() {
        let hub = Hub::default();
        for i in 0..(ASSIGNMENTS_KEPT + 10) {
            hub.fill_assignment(&format!("c{i}"), None);
        }
        assert!(hub.assignments.lock().unwrap().len() <= ASSIGNMENTS_KEPT);
    }
}
