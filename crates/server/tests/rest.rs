//! The REST API with per-site keys: read and write scopes, refusals (no key, a wrong
//! secret, a revoked key, a read key writing), pages by cursor that neither skip nor
//! repeat, a lead's story, and the OpenAPI document, the same as docs/openapi.json.
//! Every answer these tests get from `/api/v1/…` is checked against the document (the
//! operation and status must be listed, the body must validate under a strict JSON
//! Schema 2020-12 validator), and every operation is made to answer every status it
//! lists. HTTP only: the router is called directly.

mod support;

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::Mutex;
use support::*;

/// The OpenAPI document, and the (method, path, status) of every answer checked so far.
struct Described {
    doc: Value,
    seen: Mutex<BTreeSet<(String, String, String)>>,
}

impl Described {
    fn new() -> Described {
        Described {
            doc: chinwag_server::rest::openapi::document(),
            seen: Mutex::default(),
        }
    }

    /// The document's path that `path` (without its query) is an instance of.
    fn template(&self, path: &str) -> Option<String> {
        let path = path.split('?').next().unwrap();
        let parts: Vec<&str> = path.split('/').collect();
        self.doc["paths"].as_object()?.keys().find_map(|t| {
            let ts: Vec<&str> = t.split('/').collect();
            (ts.len() == parts.len()
                && ts
                    .iter()
                    .zip(&parts)
                    .all(|(t, p)| t == p || (t.starts_with('{') && !p.is_empty())))
            .then(|| t.clone())
        })
    }

    /// A strict 2020-12 validator of `schema`, with the document's components to refer to:
    /// formats are checked and an unknown one is an error (OpenAPI's integer formats are
    /// known).
    fn validator(&self, schema: &Value) -> jsonschema::Validator {
        let whole = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.doc["components"],
            "allOf": [schema],
        });
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .should_ignore_unknown_formats(false)
            .with_format("int64", |s: &str| s.parse::<i64>().is_ok())
            .with_format("int32", |s: &str| s.parse::<i32>().is_ok())
            .with_format("double", |s: &str| s.parse::<f64>().is_ok())
            .build(&whole)
            .unwrap_or_else(|e| panic!("not a valid JSON Schema 2020-12: {e}\n{schema:#}"))
    }

    fn errors(&self, schema: &Value, value: &Value) -> Vec<String> {
        let validator = self.validator(schema);
        validator
            .iter_errors(value)
            .map(|e| format!("{e} (at `{}`)", e.instance_path()))
            .collect()
    }

    /// Checks one answer against the document: the operation and its status are listed,
    /// the body is JSON of the status's schema, a documented header has its form, and a
    /// body the server took is one the document allows.
    fn check(&self, method: &str, path: &str, body: Option<&str>, reply: &support::app::Reply) {
        let template = self
            .template(path)
            .unwrap_or_else(|| panic!("{path} is not in the document"));
        let method = method.to_lowercase();
        let operation = &self.doc["paths"][&template][&method];
        assert!(
            operation.is_object(),
            "{method} {template} is not in the document"
        );
        let status = reply.status.as_str().to_owned();
        let response = &operation["responses"][&status];
        assert!(
            response.is_object(),
            "{method} {path} answered {status}, which the document does not list for it: {}",
            reply.body
        );
        let content_type = reply
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            content_type.starts_with("application/json"),
            "{method} {path} answered {status} as `{content_type}`, not JSON: {}",
            reply.body
        );
        let value: Value = serde_json::from_str(&reply.body)
            .unwrap_or_else(|_| panic!("{method} {path} answered {status} with no JSON: {}", reply.body));
        let errors = self.errors(&response["content"]["application/json"]["schema"], &value);
        assert!(
            errors.is_empty(),
            "{method} {path} answered {status} off the document:\n{}\n{}",
            errors.join("\n"),
            reply.body
        );
        for (name, header) in response["headers"].as_object().into_iter().flatten() {
            match reply.headers.get(name.as_str()) {
                Some(v) => {
                    let v: Value = serde_json::from_str(v.to_str().unwrap()).unwrap_or(Value::Null);
                    let errors = self.errors(&header["schema"], &v);
                    assert!(
                        errors.is_empty(),
                        "{method} {path}: {name}: {}",
                        errors.join("\n")
                    );
                }
                None => assert!(
                    header["required"] != true,
                    "{method} {path} answered {status} without its {name} header"
                ),
            }
        }
        if status == "200" {
            if let Some(body) = body {
                let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
                let errors = self.errors(schema, &serde_json::from_str(body).unwrap());
                assert!(
                    errors.is_empty(),
                    "{method} {path} took a body the document refuses: {}\n{body}",
                    errors.join("\n")
                );
            }
        }
        self.seen.lock().unwrap().insert((method, template, status));
    }
}

static DESCRIBED: std::sync::LazyLock<Described> = std::sync::LazyLock::new(Described::new);

/// A call to the API, its answer checked against the document.
async fn api(
    app: &App,
    headers: &[(&str, &str)],
    method: &str,
    path: &str,
    body: Option<&str>,
) -> support::app::Reply {
    let reply = app.call(method, path, headers, body).await;
    if path.starts_with("/api/v1/") {
        DESCRIBED.check(method, path, body, &reply);
    }
    reply
}

async fn key(app: &App, ana: &support::app::Session, scope: &str) -> String {
    let body = json!({ "name": format!("CRM {scope}"), "scope": scope }).to_string();
    let made = app
        .as_agent(ana, "POST", "/api/sites/demo/api-keys", Some(&body))
        .await;
    assert_eq!(made.status, 200, "{}", made.body);
    made.json()["secret"].as_str().unwrap().to_owned()
}

async fn with(app: &App, key: &str, method: &str, path: &str, body: Option<&str>) -> support::app::Reply {
    let auth = format!("Bearer {key}");
    api(app, &[("authorization", &auth)], method, path, body).await
}

#[tokio::test]
async fn keys_read_and_write_what_their_scope_allows_page_by_page() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let (read, write) = (key(&app, &ana, "read").await, key(&app, &ana, "write").await);
    assert!(read.starts_with("ck_"));

    for n in 0..5 {
        let body =
            json!({ "email": format!("p{n}@acme.test"), "attributes": { "first_name": format!("P{n}") } })
                .to_string();
        let saved = with(&app, &write, "POST", "/api/v1/leads", Some(&body)).await;
        assert_eq!(saved.status, 200, "{}", saved.body);
        assert_eq!(saved.json()["created"], true);
    }
    let again = with(
        &app,
        &write,
        "POST",
        "/api/v1/leads",
        Some(r#"{"email":"P0@acme.test"}"#),
    )
    .await;
    assert_eq!(again.json()["created"], false, "merged by email");

    // Refusals.
    let body = r#"{"email":"x@acme.test"}"#;
    assert_eq!(
        with(&app, &read, "POST", "/api/v1/leads", Some(body))
            .await
            .status,
        403
    );
    assert_eq!(api(&app, &[], "GET", "/api/v1/leads", None).await.status, 401);
    let forged = format!("{}x", &read[..read.len() - 1]);
    assert_eq!(
        with(&app, &forged, "GET", "/api/v1/leads", None).await.status,
        401
    );
    assert_eq!(
        with(&app, &read, "GET", "/api/v1/leads?limit=0", None)
            .await
            .status,
        400
    );

    // Pages of two: every lead once, newest first.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = with(
            &app,
            &read,
            "GET",
            &format!("/api/v1/leads?limit=2&cursor={cursor}"),
            None,
        )
        .await
        .json();
        seen.extend(
            page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["email"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 5, "{seen:?}");
    assert_eq!(seen.len(), 5, "none twice: {seen:?}");

    // One lead's story; the other lists answer pages too.
    let first = with(&app, &read, "GET", "/api/v1/leads?limit=1", None)
        .await
        .json();
    let id = first["data"][0]["id"].as_str().unwrap();
    let lead = with(&app, &read, "GET", &format!("/api/v1/leads/{id}"), None)
        .await
        .json();
    assert_eq!(lead["attributes"][0]["source"], "api");
    for path in [
        "/api/v1/conversations",
        "/api/v1/meetings",
        "/api/v1/dialogues/pricing-faq/metrics",
    ] {
        let reply = with(&app, &read, "GET", path, None).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    }

    // A revoked key is refused at once; the list says when it was revoked.
    let keys = app
        .as_agent(&ana, "GET", "/api/sites/demo/api-keys", None)
        .await
        .json();
    let read_id = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["scope"] == "read")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(keys.to_string().contains("last_used_at"));
    let revoked = app
        .as_agent(
            &ana,
            "DELETE",
            &format!("/api/sites/demo/api-keys/{read_id}"),
            None,
        )
        .await;
    assert_eq!(revoked.status, 200);
    assert_eq!(with(&app, &read, "GET", "/api/v1/leads", None).await.status, 401);
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_and_is_published() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let served: Value = api(&app, &[], "GET", "/api/v1/openapi.json", None).await.json();
    assert_eq!(served["openapi"], "3.1.0");
    let paths = served["paths"].as_object().unwrap();
    assert!(paths.contains_key("/api/v1/leads") && paths.contains_key("/api/v1/conversations/{id}"));
    let lead = &served["components"]["schemas"]["Lead"]["properties"];
    assert!(
        lead["attributes"].is_object() && lead["email"].is_object(),
        "{lead}"
    );
    let published = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let published: Value =
        serde_json::from_str(&std::fs::read_to_string(published).unwrap_or_default()).unwrap_or_default();
    assert_eq!(
        served, published,
        "docs/openapi.json is stale: run `cargo run -p chinwag-server -- openapi > docs/openapi.json`"
    );
}

/// Every (method, path) the router serves under `/api/v1/` is in the document, and every
/// one the document lists is routed: both come from `rest::openapi::OPERATIONS`, the
/// router answers each (never 404 or 405), refuses every other method (405), and the
/// app declares no `/api/v1/` route of its own.
#[tokio::test]
async fn the_document_lists_every_route_and_the_router_serves_every_listed_one() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let served: Value = api(&app, &[], "GET", "/api/v1/openapi.json", None).await.json();
    let routed: BTreeSet<(String, String)> = chinwag_server::rest::openapi::routes()
        .into_iter()
        .map(|(m, p)| (m.to_owned(), p.to_owned()))
        .collect();
    let described: BTreeSet<(String, String)> = served["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| ops.as_object().unwrap().keys().map(|m| (m.clone(), path.clone())))
        .collect();
    let missing: Vec<_> = routed.difference(&described).collect();
    assert!(missing.is_empty(), "routed but not in the document: {missing:?}");
    let extra: Vec<_> = described.difference(&routed).collect();
    assert!(extra.is_empty(), "in the document but not routed: {extra:?}");
    assert!(routed.len() >= 9, "{routed:?}");
    let app_rs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/app.rs")).unwrap();
    assert!(
        !app_rs.contains("\"/api/v1/"),
        "src/app.rs routes /api/v1/… itself: add the operation to rest::openapi::OPERATIONS"
    );
    let paths: BTreeSet<&String> = routed.iter().map(|(_, p)| p).collect();
    for path in paths {
        let concrete = path.replace("{id}", "some-id");
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let reply = app.call(method, &concrete, &[], None).await;
            if routed.contains(&(method.to_lowercase(), path.clone())) {
                assert!(
                    ![404, 405].contains(&reply.status.as_u16()),
                    "{method} {path} is documented but answers {}",
                    reply.status
                );
            } else {
                assert_eq!(reply.status, 405, "{method} {path} is routed but not documented");
            }
        }
    }
}

/// The pieces the strict check leans on: OpenAPI 3.1's JSON Schema (no `nullable`),
/// `limit` an integer with its bounds, closed answers, the error body and `Retry-After`.
#[tokio::test]
async fn the_document_is_json_schema_2020_12_with_typed_parameters() {
    let doc = chinwag_server::rest::openapi::document();
    let text = doc.to_string();
    assert!(
        !text.contains("\"nullable\""),
        "`nullable` is OpenAPI 3.0, not 3.1"
    );
    assert_eq!(
        doc["components"]["schemas"]["ListedPage"]["properties"]["next_cursor"]["type"],
        json!(["string", "null"])
    );
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for p in op["parameters"].as_array().unwrap() {
                if p["name"] == "limit" {
                    assert_eq!(
                        p["schema"],
                        json!({ "type": "integer", "minimum": 1, "maximum": 100, "default": 50 }),
                        "{method} {path}"
                    );
                }
            }
            for (status, response) in op["responses"].as_object().unwrap() {
                if status != "200" {
                    assert_eq!(
                        response["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/Error",
                        "{method} {path} {status}"
                    );
                }
                if status == "429" {
                    assert_eq!(
                        response["headers"]["Retry-After"]["required"], true,
                        "{method} {path}"
                    );
                }
            }
        }
    }
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        if schema.get("properties").is_some() {
            assert!(
                schema.get("additionalProperties").is_some(),
                "{name} is open: {schema}"
            );
        }
    }
}

/// Inserts a live chat (no agent, no lead) with one event, and a meeting without a lead,
/// so the lists answer items with `null`s.
async fn a_chat_and_a_meeting(db: &std::path::Path) {
    let pool = support::db(db).await;
    sqlx::query(
        "INSERT INTO conversations (id, site_id, dialogue_id, page_url, attributes, status, last_seq, created_at) \
         VALUES ('c1', 'demo', 'pricing-faq', 'http://shop.test/', '{}', 'open', 1, 1000)",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO events (conversation_id, seq, at, body) VALUES ('c1', 1, 1000, $1)")
        .bind(json!({ "type": "message", "from": "visitor", "text": "Hello" }).to_string())
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO meetings (id, site_id, dialogue_id, card, host_id, start_at, end_at, busy_from, busy_until, status, \
         visitor_name, visitor_email, visitor_zone, locale, reason, created_at, updated_at) \
         VALUES ('m1', 'demo', 'pricing-faq', 'stream[0]', 'ana', 2000, 3800, 2000, 3800, 'booked', 'Vera', \
         'vera@shop.test', 'UTC', 'en', '{}', 1000, 1000)",
    )
    .execute(&pool)
    .await
    .unwrap();
}

/// Three visitors' runs of the demo's pricing FAQ, reported as the widget reports them,
/// so that the metrics have every part to show: days, a goal, rates, the funnel with
/// times to answer (and cards without any). One asks about discounts (the goal), one
/// about the free plan and then says no thanks, one only looks.
async fn reported_runs(app: &App) {
    use chinwag_dialogue::engine::{Answer, Stream};
    let faq = include_str!("../../../www/dialogues/pricing-faq.json");
    let d = chinwag_dialogue::json::check(faq).unwrap();
    let start = chinwag_server::db::now_ms() - 60_000;
    for (run, answers) in [("m1", &[2][..]), ("m2", &[0, 2]), ("m3", &[])] {
        let visitor = chinwag_dialogue::VisitorContext {
            attributes: Default::default(),
            page_url: "http://shop.test/pricing".into(),
            locale: "en".into(),
            teams_available: Vec::new(),
        };
        let mut s = Stream::start(&d, visitor, start);
        for (i, a) in answers.iter().enumerate() {
            s.answer(&d, Answer::Choice(*a), start + 1_000 * (i as u64 + 1))
                .unwrap();
        }
        let batch = json!({
            "run": run, "visitor": format!("visitor-{run}"), "dialogue": "pricing-faq", "version": 1,
            "locale": "en", "known": false, "from": 0, "marks": s.marks,
        });
        let reply = app
            .call(
                "POST",
                "/api/sites/demo/activity",
                &[("origin", SITE_ORIGIN), ("content-type", "text/plain")],
                Some(&batch.to_string()),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
}

/// A request to make: its key, other headers, method, path and body.
type Request = (
    Option<String>,
    Vec<(&'static str, String)>,
    &'static str,
    String,
    Option<String>,
);

/// Every operation answers every status the document lists for it (500 aside: a broken
/// store is not made here), and every answer is the one described.
#[tokio::test]
async fn every_operation_answers_every_listed_status_as_described() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    a_chat_and_a_meeting(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let (read, write) = (key(&app, &ana, "read").await, key(&app, &ana, "write").await);
    let seen = Mutex::new(BTreeSet::new());
    let call = |key: Option<String>,
                headers: Vec<(&'static str, String)>,
                method: &'static str,
                path: String,
                body: Option<String>| {
        let (app, seen) = (&app, &seen);
        async move {
            let mut all: Vec<(&str, String)> = headers;
            if let Some(k) = key {
                all.push(("authorization", format!("Bearer {k}")));
            }
            let borrowed: Vec<(&str, &str)> = all.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let reply = api(app, &borrowed, method, &path, body.as_deref()).await;
            let template = DESCRIBED.template(&path).unwrap();
            seen.lock()
                .unwrap()
                .insert((method.to_lowercase(), template, reply.status.as_str().to_owned()));
            reply
        }
    };
    let (r, w) = (Some(read.clone()), Some(write.clone()));
    let s = |t: &str| t.to_owned();

    // 200s, with `null`s in them: a free-mail lead has no company, the chat no agent or lead.
    let saved = call(
        w.clone(),
        vec![],
        "POST",
        s("/api/v1/leads"),
        Some(s(
            r#"{"email":"zoe@gmail.com","attributes":{"first_name":"Zoe"}}"#,
        )),
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let id = saved.json()["id"].as_str().unwrap().to_owned();
    // The scheme's name in any letter case.
    let lower = call(
        None,
        vec![("authorization", format!("bearer {read}"))],
        "GET",
        s("/api/v1/leads"),
        None,
    )
    .await;
    assert_eq!(lower.status, 200, "{}", lower.body);
    let page = call(r.clone(), vec![], "GET", s("/api/v1/leads"), None)
        .await
        .json();
    assert_eq!(page["data"][0]["company"], Value::Null);
    assert_eq!(page["next_cursor"], Value::Null);
    let full = call(r.clone(), vec![], "GET", s("/api/v1/leads?limit=1"), None)
        .await
        .json();
    assert!(full["next_cursor"].is_string());
    call(r.clone(), vec![], "GET", format!("/api/v1/leads/{id}"), None).await;
    let chats = call(r.clone(), vec![], "GET", s("/api/v1/conversations"), None)
        .await
        .json();
    assert_eq!(chats["data"][0]["agent"], Value::Null, "{chats}");
    assert_eq!(chats["data"][0]["lead"], Value::Null);
    let chat = call(r.clone(), vec![], "GET", s("/api/v1/conversations/c1"), None).await;
    assert_eq!(chat.status, 200, "{}", chat.body);
    let meetings = call(r.clone(), vec![], "GET", s("/api/v1/meetings"), None)
        .await
        .json();
    assert_eq!(meetings["data"][0]["lead"], Value::Null, "{meetings}");
    // Metrics without counts (no version, no rates), and with counts in every part: an
    // empty answer leaves the schemas of days, goals and funnel steps unchecked.
    let empty = call(
        r.clone(),
        vec![],
        "GET",
        s("/api/v1/dialogues/pricing-faq/metrics?from=2026-01-01&to=2026-01-31"),
        None,
    )
    .await
    .json();
    assert_eq!(
        (&empty["version"], &empty["totals"]["engagement_rate"]),
        (&Value::Null, &Value::Null)
    );
    reported_runs(&app).await;
    let metrics = call(
        r.clone(),
        vec![],
        "GET",
        s("/api/v1/dialogues/pricing-faq/metrics"),
        None,
    )
    .await;
    assert_eq!(metrics.status, 200, "{}", metrics.body);
    let m = metrics.json();
    assert_eq!(
        (m["totals"]["triggered"].as_i64(), m["version"].as_i64()),
        (Some(3), Some(1))
    );
    assert!(m["totals"]["engagement_rate"].is_f64(), "{m}");
    assert!(!m["days"].as_array().unwrap().is_empty(), "{m}");
    assert_eq!(m["goals"], json!([{ "name": "Discount interest", "count": 1 }]));
    let funnel = m["funnel"].as_array().unwrap();
    assert!(
        funnel.iter().any(|step| step["median_ms"].is_u64())
            && funnel.iter().any(|step| step["median_ms"].is_null()),
        "steps with and without times: {m}"
    );
    // The console's metrics are the same answer.
    let console = app
        .as_agent(&ana, "GET", "/api/sites/demo/dialogues/pricing-faq/metrics", None)
        .await;
    assert_eq!(console.json(), m);
    call(None, vec![], "GET", s("/api/v1/openapi.json"), None).await;
    let erased = call(
        w.clone(),
        vec![],
        "POST",
        s("/api/v1/erase"),
        Some(s(r#"{"email":"nobody@acme.test"}"#)),
    )
    .await;
    assert_eq!(erased.status, 200, "{}", erased.body);
    // A chat's state, set by a write key (docs/inbox.md, "States").
    let state = s("/api/v1/conversations/c1/state");
    let snoozed = call(
        w.clone(),
        vec![],
        "POST",
        state.clone(),
        Some(s(r#"{"state":"snoozed"}"#)),
    )
    .await;
    assert_eq!(snoozed.status, 200, "{}", snoozed.body);
    assert_eq!(snoozed.json()["status"], "snoozed", "{}", snoozed.body);
    assert_eq!(snoozed.json()["labels"], json!([]));
    let gone = s("/api/v1/conversations/nobody/state");
    let gone = call(w.clone(), vec![], "POST", gone, Some(s(r#"{"state":"open"}"#))).await;
    assert_eq!(gone.status, 404, "{}", gone.body);

    // 400: every way a request can be wrong, each in the one error shape.
    let bad: Vec<Request> = vec![
        (r.clone(), vec![], "GET", s("/api/v1/leads?limit=0"), None),
        (r.clone(), vec![], "GET", s("/api/v1/leads?limit=101"), None),
        (r.clone(), vec![], "GET", s("/api/v1/leads?limit=ten"), None),
        (r.clone(), vec![], "GET", s("/api/v1/leads?cursor=nonsense"), None),
        (r.clone(), vec![], "GET", s("/api/v1/leads?colour=red"), None),
        (r.clone(), vec![], "GET", s("/api/v1/leads/%FF"), None),
        (r.clone(), vec![], "GET", s("/api/v1/conversations?limit=0"), None),
        (r.clone(), vec![], "GET", s("/api/v1/conversations/%FF"), None),
        (r.clone(), vec![], "GET", s("/api/v1/meetings?limit=-1"), None),
        (
            r.clone(),
            vec![],
            "GET",
            s("/api/v1/dialogues/pricing-faq/metrics?from=yesterday"),
            None,
        ),
        (
            r.clone(),
            vec![],
            "GET",
            s("/api/v1/dialogues/pricing-faq/metrics?version=latest"),
            None,
        ),
        (w.clone(), vec![], "POST", s("/api/v1/leads"), None),
        (
            w.clone(),
            vec![],
            "POST",
            s("/api/v1/conversations/c1/state"),
            Some(s(r#"{"state":"pending"}"#)),
        ),
        (
            w.clone(),
            vec![],
            "POST",
            s("/api/v1/conversations/c1/state"),
            Some(s(r#"{"state":"closed","until":4102444800000}"#)),
        ),
        (
            w.clone(),
            vec![("content-type", s("text/plain"))],
            "POST",
            s("/api/v1/leads"),
            Some(s(r#"{"email":"a@acme.test"}"#)),
        ),
        (
            w.clone(),
            vec![],
            "POST",
            s("/api/v1/leads"),
            Some(s("{\"email\":")),
        ),
        (
            w.clone(),
            vec![],
            "POST",
            s("/api/v1/leads"),
            Some(s(r#"{"email":5}"#)),
        ),
        (
            w.clone(),
            vec![],
            "POST",
            s("/api/v1/leads"),
            Some(s(r#"{"email":"a@acme.test","colour":"red"}"#)),
        ),
        (
            w.clone(),
            vec![],
            "POST",
            s("/api/v1/leads"),
            Some(s(r#"{"email":"not an email"}"#)),
        ),
        (w.clone(), vec![], "POST", s("/api/v1/erase"), None),
        (
            w.clone(),
            vec![],
            "POST",
            s("/api/v1/erase"),
            Some(s(r#"{"email":" "}"#)),
        ),
    ];
    for (key, headers, method, path, body) in bad {
        let reply = call(key, headers, method, path.clone(), body.clone()).await;
        assert_eq!(reply.status, 400, "{method} {path} {body:?}: {}", reply.body);
        assert!(
            reply.json()["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{}",
            reply.body
        );
    }

    // 401, 403, 404, 413.
    for (method, path) in chinwag_server::rest::openapi::routes() {
        if path == "/api/v1/openapi.json" {
            continue;
        }
        let path = path.replace("{id}", "pricing-faq");
        let body = (method == "post").then(|| match path.ends_with("/state") {
            true => s(r#"{"state":"closed"}"#),
            false => s(r#"{"email":"a@acme.test"}"#),
        });
        let method = if method == "post" { "POST" } else { "GET" };
        assert_eq!(
            call(None, vec![], method, path.clone(), body.clone())
                .await
                .status,
            401,
            "{path}"
        );
        let forged = format!("{}x", &read[..read.len() - 1]);
        assert_eq!(
            call(Some(forged), vec![], method, path.clone(), body.clone())
                .await
                .status,
            401,
            "{path}"
        );
        if method == "POST" {
            assert_eq!(
                call(r.clone(), vec![], method, path.clone(), body).await.status,
                403,
                "{path}"
            );
            // Just over the documented 1 MB.
            let huge = format!(r#"{{"email":"a@acme.test","x":"{}"}}"#, "x".repeat(1024 * 1024));
            let refused = call(w.clone(), vec![], method, path.clone(), Some(huge)).await;
            assert_eq!(refused.status, 413, "{path}");
            assert!(refused.body.contains("1 MB at most"), "{path}: {}", refused.body);
        }
    }
    for path in ["/api/v1/leads/nobody", "/api/v1/conversations/nobody"] {
        assert_eq!(call(r.clone(), vec![], "GET", s(path), None).await.status, 404);
    }

    // 429 on every keyed operation, with `Retry-After` (bounded: a bucket holds 50).
    for (method, path) in chinwag_server::rest::openapi::routes() {
        if path == "/api/v1/openapi.json" {
            continue;
        }
        let path = path.replace("{id}", "pricing-faq");
        let (method, body) = match method {
            "post" if path.ends_with("erase") => ("POST", Some(s(r#"{"email":"nobody@acme.test"}"#))),
            "post" => ("POST", Some(s(r#"{"email":"again@acme.test"}"#))),
            _ => ("GET", None),
        };
        let mut limited = false;
        for _ in 0..200 {
            let reply = call(w.clone(), vec![], method, path.clone(), body.clone()).await;
            if reply.status == 429 {
                limited = true;
                break;
            }
        }
        assert!(limited, "{method} {path} never answered 429");
    }

    let seen = seen.into_inner().unwrap();
    let doc = &DESCRIBED.doc;
    let mut unseen = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for status in op["responses"].as_object().unwrap().keys() {
                if status != "500" && !seen.contains(&(method.clone(), path.clone(), status.clone())) {
                    unseen.push(format!("{method} {path} {status}"));
                }
            }
        }
    }
    assert!(unseen.is_empty(), "listed but never answered here: {unseen:?}");
}

/// A value over 500 characters is refused with the field and the limit, never cut; one
/// of 500 is kept whole; a name over 64 bytes is refused too.
#[tokio::test]
async fn an_attribute_over_its_limit_is_refused_not_cut() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let write = key(&app, &ana, "write").await;
    let long = json!({ "email": "long@acme.test", "attributes": { "note": "é".repeat(501) } }).to_string();
    let refused = with(&app, &write, "POST", "/api/v1/leads", Some(&long)).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    let error = refused.json()["error"].as_str().unwrap().to_owned();
    assert!(
        error.contains("attributes.note") && error.contains("500"),
        "{error}"
    );
    let name = json!({ "email": "long@acme.test", "attributes": { "n".repeat(65): "x" } }).to_string();
    assert_eq!(
        with(&app, &write, "POST", "/api/v1/leads", Some(&name))
            .await
            .status,
        400
    );

    let fits = json!({ "email": "long@acme.test", "attributes": { "note": "é".repeat(500) } }).to_string();
    let saved = with(&app, &write, "POST", "/api/v1/leads", Some(&fits)).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let id = saved.json()["id"].as_str().unwrap().to_owned();
    let lead = with(&app, &write, "GET", &format!("/api/v1/leads/{id}"), None)
        .await
        .json();
    let note = lead["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "note")
        .unwrap()["value"]
        .as_str()
        .unwrap()
        .chars()
        .count();
    assert_eq!(note, 500);
}

/// Composed and decomposed spellings of one address are one lead (stored in NFC), and
/// erasing by either finds it; an address with an invisible character is refused.
#[tokio::test]
async fn an_email_is_one_lead_in_any_unicode_spelling_and_never_hides_a_character() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let write = key(&app, &ana, "write").await;
    let composed = json!({ "email": "Jos\u{00C9}@acme.test" }).to_string();
    let decomposed = json!({ "email": "jose\u{0301}@acme.test" }).to_string();
    let first = with(&app, &write, "POST", "/api/v1/leads", Some(&composed))
        .await
        .json();
    assert_eq!(first["created"], true);
    let second = with(&app, &write, "POST", "/api/v1/leads", Some(&decomposed))
        .await
        .json();
    assert_eq!(second["created"], false, "NFD is the same person: {second}");
    assert_eq!(second["id"], first["id"]);
    let page = with(&app, &write, "GET", "/api/v1/leads", None).await.json();
    assert_eq!(page["data"].as_array().unwrap().len(), 1, "{page}");
    assert_eq!(page["data"][0]["email"], "jos\u{00E9}@acme.test");

    for hidden in [
        "ana\u{200B}@acme.test",
        "an\u{00AD}a@acme.test",
        "ana@acme\u{FEFF}.test",
        "ana\u{200D}@acme.test",
    ] {
        let body = json!({ "email": hidden }).to_string();
        let refused = with(&app, &write, "POST", "/api/v1/leads", Some(&body)).await;
        assert_eq!(refused.status, 400, "{hidden:?}: {}", refused.body);
        assert!(
            refused.json()["error"].as_str().unwrap().contains("invisible"),
            "{}",
            refused.body
        );
    }

    let erase = json!({ "email": "JOSE\u{0301}@acme.test" }).to_string();
    let erased = with(&app, &write, "POST", "/api/v1/erase", Some(&erase))
        .await
        .json();
    assert_eq!(erased["erased"]["leads"], 1, "{erased}");
}
