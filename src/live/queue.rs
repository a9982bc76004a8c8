//! The visitor's conversation token and unacknowledged messages, in the order typed
//! (kept in localStorage, so a reload loses none). One message is in flight at a time:
//! the next goes when the previous one's ack arrives, or again from the head after a
//! refusal or a reconnect, so the server stores them in the order typed.

/// Stored as a JSON array: `[token, [id, text], [id, text], ...]`.
#[derive(Default)]
pub struct Queue {
    token: Option<String>,
    /// Unacknowledged messages: (id, text), oldest first.
    pending: Vec<(String, String)>,
    /// The server welcomed the socket into the conversation: messages may go.
    attached: bool,
    /// The one message sent and not yet acknowledged.
    in_flight: Option<String>,
    /// Ids of messages typed on this page (already shown, so not shown again).
    typed: Vec<String>,
}

impl Queue {
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The visitor typed a message.
    pub fn push(&mut self, id: String, text: String) {
        self.typed.push(id.clone());
        self.pending.push((id, text));
    }

    pub fn typed_here(&self, id: &str) -> bool {
        self.typed.iter().any(|t| t == id)
    }

    /// The oldest message, to send now, unless one is on its way or the socket is not
    /// attached.
    pub fn next(&mut self) -> Option<(String, String)> {
        if !self.attached || self.in_flight.is_some() {
            return None;
        }
        let (id, text) = self.pending.first().cloned()?;
        self.in_flight = Some(id.clone());
        Some((id, text))
    }

    /// The server welcomed this socket into the conversation `token`; only the tab
    /// that owns the socket sends from its queue.
    pub fn attach(&mut self, token: String, leader: bool) {
        self.token = Some(token);
        self.attached = leader;
        self.in_flight = None;
    }

    /// The socket closed: nothing is on its way any more.
    pub fn detach(&mut self) {
        self.attached = false;
        self.in_flight = None;
    }

    pub fn acked(&mut self, id: &str) {
        self.pending.retain(|(p, _)| p != id);
        if self.in_flight.as_deref() == Some(id) {
            self.in_flight = None;
        }
    }

    /// The server refused a frame for now; whether our message was on its way (it goes
    /// again from the head).
    pub fn refused(&mut self) -> bool {
        self.in_flight.take().is_some()
    }

    pub fn save(&self, key: &str) {
        use wasm_bindgen::JsValue;
        let all = js_sys::Array::new();
        all.push(&self.token.as_deref().map_or(JsValue::NULL, JsValue::from));
        for (id, text) in &self.pending {
            all.push(&js_sys::Array::of2(&id.into(), &text.into()));
        }
        if let (Some(storage), Ok(json)) = (storage(), js_sys::JSON::stringify(&all)) {
            let _ = storage.set_item(key, &String::from(json));
        }
    }

    pub fn load(key: &str) -> Queue {
        let parsed = storage()
            .and_then(|s| s.get_item(key).ok().flatten())
            .and_then(|j| js_sys::JSON::parse(&j).ok());
        let Some(all) = parsed
            .filter(js_sys::Array::is_array)
            .map(|v| js_sys::Array::from(&v))
        else {
            return Queue::default();
        };
        let pending = all
            .iter()
            .skip(1)
            .filter_map(|pair| {
                let pair = js_sys::Array::from(&pair);
                Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
            })
            .collect();
        Queue {
            token: all.get(0).as_string(),
            pending,
            ..Queue::default()
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
