//! The REST API's OpenAPI 3.1 description, generated from the code: each operation
//! names the Rust types its handler answers and takes, and schemars describes them, so
//! the document cannot drift from what the handlers serialise. `docs/openapi.json` is
//! this document (a test keeps it current).

use super::routes::NewLead;
use super::types::{Conversation, ConversationItem, MeetingItem, Page, Saved};
use crate::data::leads_store::{Listed, Story};
use crate::data::privacy_routes::Who;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

type Describe = fn(&mut SchemaGenerator) -> Schema;

fn of<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

fn any(_: &mut SchemaGenerator) -> Schema {
    Schema::from(true)
}

/// One operation: method, path, what it does, the scope it needs, its query, body and
/// answer.
struct Operation {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    scope: &'static str,
    query: &'static [(&'static str, &'static str)],
    body: Option<Describe>,
    answer: Describe,
}

const PAGING: &[(&str, &str)] = &[
    ("limit", "1 to 100 (default 50)"),
    ("cursor", "`next_cursor` of the page before"),
];
const METRICS: &[(&str, &str)] = &[
    ("from", "first day, YYYY-MM-DD (default: 90 days ago)"),
    ("to", "last day, YYYY-MM-DD (default: today, UTC)"),
    ("version", "a published version"),
    ("known", "true: identified visitors; false: anonymous"),
    ("locale", "the visitor's language"),
];

const OPERATIONS: &[Operation] = &[
    Operation {
        method: "get",
        path: "/api/v1/leads",
        summary: "Leads, newest first",
        scope: "read",
        query: PAGING,
        body: None,
        answer: of::<Page<Listed>>,
    },
    Operation {
        method: "post",
        path: "/api/v1/leads",
        summary: "Save a known lead (merged by email)",
        scope: "write",
        query: &[],
        body: Some(of::<NewLead>),
        answer: of::<Saved>,
    },
    Operation {
        method: "get",
        path: "/api/v1/leads/{id}",
        summary: "A lead: attributes (source, time, verified) and activity",
        scope: "read",
        query: &[],
        body: None,
        answer: of::<Story>,
    },
    Operation {
        method: "get",
        path: "/api/v1/conversations",
        summary: "Live chats, newest first",
        scope: "read",
        query: PAGING,
        body: None,
        answer: of::<Page<ConversationItem>>,
    },
    Operation {
        method: "get",
        path: "/api/v1/conversations/{id}",
        summary: "A live chat with its transcript",
        scope: "read",
        query: &[],
        body: None,
        answer: of::<Conversation>,
    },
    Operation {
        method: "get",
        path: "/api/v1/meetings",
        summary: "Meetings booked in the chat, newest first",
        scope: "read",
        query: PAGING,
        body: None,
        answer: of::<Page<MeetingItem>>,
    },
    Operation {
        method: "get",
        path: "/api/v1/dialogues/{id}/metrics",
        summary: "A dialogue's metrics and funnel (docs/metrics.md)",
        scope: "read",
        query: METRICS,
        body: None,
        answer: any,
    },
    Operation {
        method: "post",
        path: "/api/v1/erase",
        summary: "Erase a person everywhere (docs/privacy.md)",
        scope: "write",
        query: &[],
        body: Some(of::<Who>),
        answer: any,
    },
];

fn parameters(op: &Operation) -> Vec<Value> {
    let path = op
        .path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }));
    let query = op.query.iter().map(|(name, description)| {
        json!({ "name": name, "in": "query", "required": false, "description": description, "schema": { "type": "string" } })
    });
    path.chain(query).collect()
}

/// The document.
pub fn document() -> Value {
    let mut g = schemars::generate::SchemaSettings::openapi3().into_generator();
    let mut paths = Map::new();
    for op in OPERATIONS {
        let mut operation = json!({
            "summary": op.summary,
            "description": format!("Needs a `{}` key.", op.scope),
            "parameters": parameters(op),
            "responses": {
                "200": { "description": "OK", "content": { "application/json": { "schema": (op.answer)(&mut g) } } },
                "400": { "description": "The request is not valid: `error` says why" },
                "401": { "description": "No valid key" },
                "403": { "description": "A read key asked for a change" },
                "429": { "description": "Too many requests for this key: `error` says when to try again" },
            },
        });
        if let Some(body) = op.body {
            operation["requestBody"] =
                json!({ "required": true, "content": { "application/json": { "schema": body(&mut g) } } });
        }
        let entry = paths.entry(op.path).or_insert_with(|| json!({}));
        entry[op.method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Chinwag REST API",
            "version": "1",
            "description": "A site's leads, live chats, meetings and metrics, for its own systems. Keys are made by admins in the console, per site, `read` or `write`; send `Authorization: Bearer ck_…`. Lists are newest first, a page at a time by `cursor`. See docs/api.md.",
        },
        "servers": [{ "url": "/" }],
        "components": {
            "securitySchemes": { "key": { "type": "http", "scheme": "bearer" } },
            "schemas": g.take_definitions(true),
        },
        "security": [{ "key": [] }],
        "paths": paths,
    })
}
