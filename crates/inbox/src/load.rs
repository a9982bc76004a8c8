//! Loading the lists and a conversation's history over HTTP: after sign-in, after
//! every reconnect and when told the socket fell behind. A leaf the views and the
//! socket both use.

use crate::api::call;
use crate::state::{Inbox, Label, SavedReply, Summary};
use chinwag_protocol::Event;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

/// Reloads the conversation list and the open conversation's events.
pub fn reload(inbox: Inbox) {
    spawn_local(async move {
        if let Ok(list) = call::<Vec<Summary>>("GET", "/api/conversations", None, "").await {
            inbox.conversations.set(list);
        }
        if let Some(id) = inbox.selected.get_untracked() {
            load_events(inbox, id).await;
        }
    });
}

/// Reloads the saved replies `/` offers.
pub fn reload_saved(inbox: Inbox) {
    spawn_local(async move {
        if let Ok(list) = call::<Vec<SavedReply>>("GET", "/api/saved-replies", None, "").await {
            inbox.saved.set(list);
        }
    });
}

/// Reloads the labels.
pub fn reload_labels(inbox: Inbox) {
    spawn_local(async move {
        if let Ok(list) = call::<Vec<Label>>("GET", "/api/labels", None, "").await {
            inbox.labels.set(list);
        }
    });
}

#[derive(Deserialize)]
struct History {
    events: Vec<Event>,
}

pub async fn load_events(inbox: Inbox, id: String) {
    if let Ok(history) = call::<History>("GET", &format!("/api/conversations/{id}/events"), None, "").await {
        inbox.add_events(&id, history.events);
    }
}
