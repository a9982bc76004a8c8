//! The visitor's frames of the wire protocol (`docs/protocol.md`), written and read by
//! hand on the browser's own JSON objects: serde-derived readers and writers for these
//! few shapes cost visitors several kilobytes. A browser test checks them against the
//! protocol crate's types.

use super::Handoff;
use chinwag_dialogue::Speaker;
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::JsValue;

/// A plain JavaScript object of these fields (the page's events use it too).
pub(crate) fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &(*key).into(), value);
    }
    object.into()
}

fn frame(kind: &str, body: JsValue) -> String {
    JSON::stringify(&object(&[(kind, body)]))
        .map(String::from)
        .unwrap_or_default()
}

pub fn hello(site: &str, token: Option<&str>, last_seq: u64) -> String {
    let token = token.map_or(JsValue::NULL, JsValue::from);
    let body = object(&[
        ("version", chinwag_protocol::VERSION.into()),
        ("site", site.into()),
        ("token", token),
        ("last_seq", (last_seq as f64).into()),
    ]);
    frame("hello", body)
}

pub fn handoff(id: &str, h: &Handoff) -> String {
    let transcript: Array = h
        .transcript
        .iter()
        .map(|e| {
            let speaker = if e.speaker == Speaker::Bot {
                "bot"
            } else {
                "visitor"
            };
            object(&[
                ("at", (e.at as f64).into()),
                ("speaker", speaker.into()),
                ("card", e.card.as_str().into()),
                ("text", e.text.as_str().into()),
            ])
        })
        .collect();
    let attributes = Object::new();
    for (key, value) in &h.attributes {
        let _ = Reflect::set(&attributes, &key.into(), &value.into());
    }
    let body = object(&[
        ("id", id.into()),
        ("dialogue_id", h.dialogue_id.as_str().into()),
        ("card", h.card.as_str().into()),
        ("transcript", transcript.into()),
        ("attributes", attributes.into()),
        ("page_url", h.page_url.as_str().into()),
    ]);
    frame("handoff", body)
}

pub fn message(id: &str, text: &str) -> String {
    frame("message", object(&[("id", id.into()), ("text", text.into())]))
}

pub fn typing(on: bool) -> String {
    frame("typing", on.into())
}

pub fn ping(t: f64) -> String {
    frame("ping", t.into())
}

pub fn erase() -> String {
    frame("erase", Object::new().into())
}

pub fn email_transcript() -> String {
    frame("email_transcript", Object::new().into())
}

pub fn rate(score: u8, comment: &str) -> String {
    frame(
        "rate",
        object(&[("score", score.into()), ("comment", comment.into())]),
    )
}

/// A server frame, as far as the widget cares.
#[derive(Debug, PartialEq)]
pub enum Incoming {
    /// `token` is set once a conversation exists.
    Welcome {
        token: Option<String>,
    },
    Ack {
        id: String,
    },
    Event {
        seq: u64,
        kind: Kind,
    },
    /// The agent is typing (or stopped).
    Typing(bool),
    /// The server refused a frame for now (`rate_limited`, `internal`): send it again
    /// later. Other errors are final for that frame.
    Refused {
        retry: bool,
    },
    /// The visitor's conversation is deleted for good.
    Erased,
    /// The transcript is on its way to this (masked) address.
    TranscriptSent {
        to: String,
    },
}

/// A message's attachment, as the event names it.
#[derive(Debug, PartialEq)]
pub struct File {
    pub id: String,
    pub mime: String,
    pub size: u64,
}

#[derive(Debug, PartialEq)]
pub enum Kind {
    Message {
        from_agent: bool,
        author: String,
        text: String,
        id: String,
        file: Option<File>,
    },
    Assigned {
        agent_name: String,
    },
    Unassigned {
        queued: bool,
    },
    Closed,
    Rated {
        score: u8,
    },
    Other,
}

fn get(value: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(value, &key.into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn text(value: &JsValue, key: &str) -> String {
    get(value, key).and_then(|v| v.as_string()).unwrap_or_default()
}

pub fn read(json: &str) -> Option<Incoming> {
    let value = JSON::parse(json).ok()?;
    if let Some(w) = get(&value, "welcome") {
        return Some(Incoming::Welcome {
            token: get(&w, "token").and_then(|t| t.as_string()),
        });
    }
    if let Some(a) = get(&value, "ack") {
        return Some(Incoming::Ack { id: text(&a, "id") });
    }
    if let Some(t) = get(&value, "typing") {
        let agent = text(&t, "who") == "agent";
        return agent.then(|| Incoming::Typing(get(&t, "on").and_then(|o| o.as_bool()).unwrap_or(false)));
    }
    if get(&value, "erased").is_some() {
        return Some(Incoming::Erased);
    }
    if let Some(t) = get(&value, "transcript_sent") {
        return Some(Incoming::TranscriptSent { to: text(&t, "to") });
    }
    if let Some(e) = get(&value, "error") {
        let code = text(&e, "code");
        return Some(Incoming::Refused {
            retry: code == "rate_limited" || code == "internal",
        });
    }
    let event = get(&value, "event")?;
    let seq = get(&event, "seq")?.as_f64()? as u64;
    let kind = get(&event, "kind")?;
    let kind = if let Some(m) = get(&kind, "message") {
        Kind::Message {
            from_agent: text(&m, "role") == "agent",
            author: text(&m, "author"),
            text: text(&m, "text"),
            id: text(&m, "id"),
            file: get(&m, "file").map(|f| File {
                id: text(&f, "id"),
                mime: text(&f, "mime"),
                size: get(&f, "size").and_then(|s| s.as_f64()).unwrap_or(0.0) as u64,
            }),
        }
    } else if let Some(a) = get(&kind, "assigned") {
        Kind::Assigned {
            agent_name: text(&a, "agent_name"),
        }
    } else if let Some(u) = get(&kind, "unassigned") {
        Kind::Unassigned {
            queued: get(&u, "queued").is_some_and(|q| q.is_truthy()),
        }
    } else if get(&kind, "closed").is_some() {
        Kind::Closed
    } else if let Some(r) = get(&kind, "rated") {
        Kind::Rated {
            score: get(&r, "score").and_then(|s| s.as_f64()).unwrap_or(0.0) as u8,
        }
    } else {
        Kind::Other
    };
    Some(Incoming::Event { seq, kind })
}
