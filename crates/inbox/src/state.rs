//! The inbox's state: who is signed in, the conversations, their events, unread counts
//! and typing indicators. Live events and HTTP results both land here.

use chinwag_protocol::{ConversationState, Event, EventKind, Role};
use leptos::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Agent {
    pub id: String,
    pub name: String,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Summary {
    pub id: String,
    pub page_url: String,
    pub attributes: BTreeMap<String, String>,
    /// The attributes the site's backend vouched for (identity verification).
    #[serde(default)]
    pub verified: Vec<String>,
    pub agent_id: Option<String>,
    pub state: ConversationState,
    /// Snoozed until then (milliseconds); none: until the visitor writes.
    #[serde(default)]
    pub snoozed_until: Option<u64>,
    pub created_at: u64,
    /// Its latest event's time: the lists show the newest activity first.
    #[serde(default)]
    pub active_at: u64,
    /// Since when it waits in the queue (everyone who could take it at capacity).
    #[serde(default)]
    pub queued_at: Option<u64>,
    /// The team a team card routed it to.
    #[serde(default)]
    pub team: Option<String>,
    /// The ids of its labels.
    #[serde(default)]
    pub labels: Vec<String>,
}

impl Summary {
    pub fn visitor(&self) -> String {
        let a = &self.attributes;
        let name = [a.get("first_name"), a.get("last_name")]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        match (name.is_empty(), a.get("email")) {
            (false, _) => name,
            (true, Some(email)) => email.clone(),
            (true, None) => "Visitor".into(),
        }
    }
}

/// A label (`GET /api/labels`), with the text colour that reads on it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Label {
    pub id: String,
    pub name: String,
    pub colour: String,
    pub text: String,
}

/// A saved reply (`GET /api/saved-replies`): a team's (`team`) or the agent's own.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SavedReply {
    pub id: String,
    pub team: Option<String>,
    pub shortcut: String,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    Mine,
    Unassigned,
    All,
}

#[derive(Clone, Copy)]
pub struct Inbox {
    pub me: StoredValue<Agent>,
    pub csrf: StoredValue<String>,
    pub conversations: RwSignal<Vec<Summary>>,
    pub events: RwSignal<BTreeMap<String, Vec<Event>>>,
    pub unread: RwSignal<BTreeMap<String, u32>>,
    pub typing: RwSignal<BTreeMap<String, bool>>,
    pub selected: RwSignal<Option<String>>,
    pub filter: RwSignal<Filter>,
    /// The state the list shows (`states.rs`).
    pub state_filter: RwSignal<ConversationState>,
    pub connected: RwSignal<bool>,
    pub muted: RwSignal<bool>,
    pub notice: RwSignal<Option<String>>,
    /// The reply box writes a private note instead of a reply (`conversation.rs`,
    /// the `n` and `r` keys).
    pub writing_note: RwSignal<bool>,
    /// What `/` offers in the reply box (`saved.rs`).
    pub saved: RwSignal<Vec<SavedReply>>,
    /// Every label, and the one the list shows only (`labels.rs`).
    pub labels: RwSignal<Vec<Label>>,
    pub label_filter: RwSignal<Option<String>>,
    /// Admins' filters of the list: one agent's chats, one team's (`filters.rs`).
    pub agent_filter: RwSignal<Option<String>>,
    pub team_filter: RwSignal<Option<String>>,
}

impl Inbox {
    pub fn new(me: Agent, csrf: String) -> Inbox {
        Inbox {
            me: StoredValue::new(me),
            csrf: StoredValue::new(csrf),
            conversations: RwSignal::new(Vec::new()),
            events: RwSignal::new(BTreeMap::new()),
            unread: RwSignal::new(BTreeMap::new()),
            typing: RwSignal::new(BTreeMap::new()),
            selected: RwSignal::new(None),
            filter: RwSignal::new(Filter::Mine),
            state_filter: RwSignal::new(ConversationState::Open),
            connected: RwSignal::new(false),
            muted: RwSignal::new(crate::notify::muted()),
            notice: RwSignal::new(None),
            writing_note: RwSignal::new(false),
            saved: RwSignal::new(Vec::new()),
            labels: RwSignal::new(Vec::new()),
            label_filter: RwSignal::new(None),
            agent_filter: RwSignal::new(None),
            team_filter: RwSignal::new(None),
        }
    }

    /// Adds events in sequence order, ignoring ones already there.
    pub fn add_events(&self, conversation: &str, new: Vec<Event>) {
        self.events.update(|all| {
            let list = all.entry(conversation.to_owned()).or_default();
            for event in new {
                if !list.iter().any(|e| e.seq == event.seq) {
                    list.push(event);
                }
            }
            list.sort_by_key(|e| e.seq);
        });
    }

    /// A live event: stored, counted as unread when it is a visitor's message elsewhere.
    pub fn on_event(&self, event: Event) {
        let id = event.conversation.clone();
        let from_visitor = matches!(
            event.kind,
            EventKind::Message {
                role: Role::Visitor,
                ..
            }
        );
        if from_visitor {
            // A message ends the typing that led to it.
            self.typing.update(|t| {
                t.remove(&id);
            });
        }
        if from_visitor && self.selected.get_untracked().as_deref() != Some(id.as_str()) {
            self.unread.update(|u| *u.entry(id.clone()).or_default() += 1);
        }
        // Newest activity first, as the server sorts them.
        let at = event.at;
        self.conversations.update(|all| {
            if let Some(c) = all.iter_mut().find(|c| c.id == id) {
                c.active_at = c.active_at.max(at);
            }
            all.sort_by_key(|c| std::cmp::Reverse(c.active_at));
        });
        self.add_events(&id, vec![event]);
        crate::notify::title(self.unread_total());
    }

    pub fn unread_total(&self) -> u32 {
        self.unread.with_untracked(|u| u.values().sum())
    }

    /// The list's conversations: by the tab, the state shown and the label.
    pub fn visible(&self, filter: Filter) -> Vec<Summary> {
        self.visible_in(filter, self.state_filter.get())
    }

    pub fn visible_in(&self, filter: Filter, state: ConversationState) -> Vec<Summary> {
        let me = self.me.with_value(|m| m.id.clone());
        let label = self.label_filter.get();
        let (agent, team) = (self.agent_filter.get(), self.team_filter.get());
        self.conversations.with(|all| {
            all.iter()
                .filter(|c| match filter {
                    Filter::Mine => c.agent_id.as_deref() == Some(me.as_str()),
                    Filter::Unassigned => c.agent_id.is_none(),
                    Filter::All => true,
                })
                .filter(|c| c.state == state)
                .filter(|c| label.as_ref().is_none_or(|l| c.labels.contains(l)))
                .filter(|c| agent.is_none() || c.agent_id == agent)
                .filter(|c| team.is_none() || c.team == team)
                .cloned()
                .collect()
        })
    }
}
