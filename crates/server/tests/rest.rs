//! The REST API with per-site keys: read and write scopes, refusals (no key, a wrong
//! secret, a revoked key, a read key writing), pages by cursor that neither skip nor
//! repeat, a lead's story, and the OpenAPI document, the same as docs/openapi.json.
//! HTTP only: the router is called directly.

mod support;

use serde_json::{json, Value};
use support::*;

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
    app.call(method, path, &[("authorization", &auth)], body).await
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
    assert_eq!(app.call("GET", "/api/v1/leads", &[], None).await.status, 401);
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
    let served: Value = app.call("GET", "/api/v1/openapi.json", &[], None).await.json();
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
