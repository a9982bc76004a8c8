//! The REST API's OpenAPI 3.1 description, generated from the code: each operation
//! names the Rust types its handler answers and takes, and schemars describes them (JSON
//! Schema 2020-12, as OpenAPI 3.1 requires: `null` is a type, never `nullable`), so the
//! document cannot drift from what the handlers serialise. The same table routes the
//! requests (`router`), so every route is described and every description routed.
//! Every status an operation can answer is listed, each refusal with the `Error` body.
//! `docs/openapi.json` is this document (a test keeps it current).

use super::routes::{self, NewLead};
use super::types::{
    ApiError, Conversation, ConversationItem, Erased, MeetingItem, Metrics, NewState, Page, Saved,
    LIMIT_DEFAULT, LIMIT_MAX,
};
use crate::data::leads_store::{Listed, Story};
use crate::data::privacy_routes::Who;
use crate::state::AppState;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

type Describe = fn(&mut SchemaGenerator) -> Schema;

fn of<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

fn document_schema(_: &mut SchemaGenerator) -> Schema {
    Schema::try_from(json!({
        "type": "object",
        "required": ["openapi", "info", "paths", "components"],
        "properties": { "openapi": { "const": "3.1.0" } },
    }))
    .expect("an object")
}

/// A query parameter: its name, what it means, its schema.
pub struct Param {
    name: &'static str,
    description: &'static str,
    schema: fn() -> Value,
}

/// One operation: method, path, what it does, the scope of key it needs (none: open),
/// its query, body and answer, what a 404 means for it (none: it has no 404), and its
/// handler.
pub struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    summary: &'static str,
    scope: Option<&'static str>,
    query: &'static [Param],
    body: Option<Describe>,
    answer: Describe,
    missing: Option<&'static str>,
    route: fn(MethodFilter) -> MethodRouter<AppState>,
}

const PAGING: &[Param] = &[
    Param {
        name: "limit",
        description: "Items on the page: 1 to 100 (default 50)",
        schema: || json!({ "type": "integer", "minimum": 1, "maximum": LIMIT_MAX, "default": LIMIT_DEFAULT }),
    },
    Param {
        name: "cursor",
        description: "`next_cursor` of the page before (none or empty: the first page)",
        schema: || json!({ "type": "string" }),
    },
];
const METRICS: &[Param] = &[
    Param {
        name: "from",
        description: "First day, YYYY-MM-DD (default: 89 days before `to`)",
        schema: || json!({ "type": "string", "format": "date" }),
    },
    Param {
        name: "to",
        description: "Last day, YYYY-MM-DD (default: today, UTC)",
        schema: || json!({ "type": "string", "format": "date" }),
    },
    Param {
        name: "version",
        description: "Only this published version",
        schema: || json!({ "type": "integer" }),
    },
    Param {
        name: "known",
        description: "true: only visitors the page identified; false: only anonymous ones",
        schema: || json!({ "type": "boolean" }),
    },
    Param {
        name: "locale",
        description: "Only visitors of this language",
        schema: || json!({ "type": "string" }),
    },
];

pub const OPERATIONS: &[Operation] = &[
    Operation {
        method: "get",
        path: "/api/v1/leads",
        summary: "Leads, newest first",
        scope: Some("read"),
        query: PAGING,
        body: None,
        answer: of::<Page<Listed>>,
        missing: None,
        route: |m| on(m, routes::leads_page),
    },
    Operation {
        method: "post",
        path: "/api/v1/leads",
        summary: "Save a known lead (merged by email)",
        scope: Some("write"),
        query: &[],
        body: Some(of::<NewLead>),
        answer: of::<Saved>,
        missing: None,
        route: |m| on(m, routes::save_lead),
    },
    Operation {
        method: "get",
        path: "/api/v1/leads/{id}",
        summary: "A lead: attributes (source, time, verified) and activity",
        scope: Some("read"),
        query: &[],
        body: None,
        answer: of::<Story>,
        missing: Some("The key's site has no lead of this id"),
        route: |m| on(m, routes::lead),
    },
    Operation {
        method: "get",
        path: "/api/v1/conversations",
        summary: "Live chats, newest first",
        scope: Some("read"),
        query: PAGING,
        body: None,
        answer: of::<Page<ConversationItem>>,
        missing: None,
        route: |m| on(m, routes::conversations),
    },
    Operation {
        method: "get",
        path: "/api/v1/conversations/{id}",
        summary: "A live chat with its transcript",
        scope: Some("read"),
        query: &[],
        body: None,
        answer: of::<Conversation>,
        missing: Some("The key's site has no conversation of this id"),
        route: |m| on(m, routes::conversation),
    },
    Operation {
        method: "post",
        path: "/api/v1/conversations/{id}/state",
        summary: "Reopen, snooze or close a live chat, as an agent would (docs/inbox.md, \"States\")",
        scope: Some("write"),
        query: &[],
        body: Some(of::<NewState>),
        answer: of::<ConversationItem>,
        missing: Some("The key's site has no conversation of this id"),
        route: |m| on(m, routes::set_state),
    },
    Operation {
        method: "get",
        path: "/api/v1/meetings",
        summary: "Meetings booked in the chat, newest first",
        scope: Some("read"),
        query: PAGING,
        body: None,
        answer: of::<Page<MeetingItem>>,
        missing: None,
        route: |m| on(m, routes::meetings),
    },
    Operation {
        method: "get",
        path: "/api/v1/dialogues/{id}/metrics",
        summary: "A dialogue's metrics and funnel (docs/metrics.md); a dialogue without counts answers zeros",
        scope: Some("read"),
        query: METRICS,
        body: None,
        answer: of::<Metrics>,
        missing: None,
        route: |m| on(m, routes::metrics),
    },
    Operation {
        method: "post",
        path: "/api/v1/erase",
        summary: "Erase a person everywhere (docs/privacy.md)",
        scope: Some("write"),
        query: &[],
        body: Some(of::<Who>),
        answer: of::<Erased>,
        missing: None,
        route: |m| on(m, routes::erase),
    },
    Operation {
        method: "get",
        path: "/api/v1/openapi.json",
        summary: "This document",
        scope: None,
        query: &[],
        body: None,
        answer: document_schema,
        missing: None,
        route: |m| on(m, served),
    },
];

fn filter(method: &str) -> MethodFilter {
    match method {
        "get" => MethodFilter::GET,
        "post" => MethodFilter::POST,
        "put" => MethodFilter::PUT,
        "delete" => MethodFilter::DELETE,
        other => panic!("no method {other}"),
    }
}

/// The REST API's routes, from the same table as its description.
pub fn router() -> Router<AppState> {
    OPERATIONS.iter().fold(Router::new(), |r, op| {
        r.route(op.path, (op.route)(filter(op.method)))
    })
}

fn path_names(op: &Operation) -> impl Iterator<Item = &'static str> {
    op.path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
}

fn parameters(op: &Operation) -> Vec<Value> {
    let path = path_names(op)
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }));
    let query = op.query.iter().map(|p| {
        json!({ "name": p.name, "in": "query", "required": false, "description": p.description, "schema": (p.schema)() })
    });
    path.chain(query).collect()
}

/// Every status the operation answers but 200, and what it means.
fn refusals(op: &Operation) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    if path_names(op).next().is_some() {
        bad.push("a path that is not UTF-8");
    }
    if op.query.iter().any(|p| p.name == "limit") {
        bad.push(
            "`limit` out of 1 to 100 or not a number, a cursor not of this API, an unknown query parameter",
        );
    } else if !op.query.is_empty() {
        bad.push("a parameter of the wrong type or form");
    }
    if op.body.is_some() {
        bad.push("no `Content-Type: application/json`, a body that is not JSON or not of the schema, a value out of its limits");
    }
    if !bad.is_empty() {
        out.push((
            "400",
            format!("The request is not valid ({}): `error` says why", bad.join("; ")),
        ));
    }
    if op.scope.is_some() {
        out.push(("401", "No key, a wrong secret or a revoked key (alike)".into()));
    }
    if op.scope == Some("write") {
        out.push(("403", "A read key asked for a change".into()));
    }
    if let Some(missing) = op.missing {
        out.push(("404", missing.into()));
    }
    if op.body.is_some() {
        out.push(("413", "The body is over 1 MB".into()));
    }
    if op.scope.is_some() {
        out.push((
            "429",
            "Too many requests for this key (bursts of 50, then 10 a second): wait the seconds `Retry-After` says".into(),
        ));
        out.push((
            "500",
            "The server failed (storage, say): `error` says what; try again later".into(),
        ));
    }
    out
}

/// Every (method, path) the document describes and the router routes.
pub fn routes() -> Vec<(&'static str, &'static str)> {
    OPERATIONS.iter().map(|op| (op.method, op.path)).collect()
}

/// Answers are closed objects (a field the document does not name is an error), and
/// integer formats are OpenAPI's own (`int64`, `int32`).
fn exact(schema: &mut Schema) {
    if let Some(object) = schema.as_object_mut() {
        if object.contains_key("properties") && !object.contains_key("additionalProperties") {
            object.insert("additionalProperties".into(), false.into());
        }
        let format = match object.get("format").and_then(Value::as_str) {
            Some("uint64" | "uint") => Some("int64"),
            Some("uint32" | "uint16" | "uint8" | "int16" | "int8") => Some("int32"),
            _ => None,
        };
        if let Some(format) = format {
            object.insert("format".into(), format.into());
        }
    }
}

/// The document.
pub fn document() -> Value {
    let mut settings = schemars::generate::SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas/".into();
    settings.meta_schema = None;
    let mut g = settings
        .with_transform(RecursiveTransform(exact))
        .into_generator();
    let error = of::<ApiError>(&mut g);
    let mut paths = Map::new();
    for op in OPERATIONS {
        let mut responses = Map::new();
        responses.insert(
            "200".into(),
            json!({ "description": "OK", "content": { "application/json": { "schema": (op.answer)(&mut g) } } }),
        );
        for (status, description) in refusals(op) {
            let mut response =
                json!({ "description": description, "content": { "application/json": { "schema": error } } });
            if status == "429" {
                response["headers"] = json!({ "Retry-After": {
                    "description": "Seconds to wait before the key may call again",
                    "required": true,
                    "schema": { "type": "integer", "minimum": 1 },
                } });
            }
            responses.insert(status.into(), response);
        }
        let mut operation = json!({
            "summary": op.summary,
            "description": match op.scope {
                Some(scope) => format!("Needs a `{scope}` key."),
                None => "Needs no key.".into(),
            },
            "parameters": parameters(op),
            "responses": responses,
        });
        if op.scope.is_none() {
            operation["security"] = json!([]);
        }
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
            "description": "A site's leads, live chats, meetings and metrics, for its own systems. Keys are made by admins in the console, per site, `read` or `write`; send `Authorization: Bearer ck_…`. Lists are newest first, a page at a time by `cursor`. Every refusal answers `{\"error\": \"…\"}` with the reason: 400 for any request that is not valid (a missing JSON content type and a body of the wrong shape included), 401 without a valid key, 403 for a read key asking for a change, 404 for an id the key's site does not have, 413 for a body over 1 MB, 429 with `Retry-After` when the key's rate is spent (counted on each server of a cluster), 500 when the server fails. See docs/api.md.",
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "servers": [{ "url": "/" }],
        "components": {
            "securitySchemes": { "key": { "type": "http", "scheme": "bearer" } },
            "schemas": g.take_definitions(true),
        },
        "security": [{ "key": [] }],
        "paths": paths,
    })
}

/// `GET /api/v1/openapi.json`: this API described (OpenAPI 3.1).
async fn served() -> axum::Json<Value> {
    axum::Json(document())
}
