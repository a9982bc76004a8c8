//! The console's API through the server's router (HTTP only, no port): sites with
//! their snippet and the switch that stops every dialogue; drafts saved on their
//! revision (a stale save is refused with the other change, nothing overwritten),
//! problems with paths, publishing as immutable versions, rollback, switching a
//! dialogue off; admins only; every change in the audit log.

mod support;

use serde_json::{json, Value};
use support::app::Session;
use support::*;

async fn call(agent: &Session, method: &str, app: &App, path: &str, body: Option<Value>) -> (u16, Value) {
    let body = body.map(|b| b.to_string());
    let reply = app.as_agent(agent, method, path, body.as_deref()).await;
    (reply.status.as_u16(), reply.json())
}

/// The dialogue ids the loader gets for the demo site.
async fn served(app: &App) -> Vec<String> {
    let config = app.as_site("/api/sites/demo/config").await.json();
    config["dialogues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn sites_their_snippet_and_the_switch_that_stops_every_dialogue() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let (status, site) = call(
        &ana,
        "POST",
        &app,
        "/api/sites",
        Some(json!({ "id": "shop", "name": "Shop", "origins": ["https://shop.example"] })),
    )
    .await;
    assert_eq!(status, 201, "{site}");
    assert_eq!(
        site["snippet"],
        format!(
            "<script async src=\"http://{}/chinwag.js\" data-site=\"shop\"></script>",
            "127.0.0.1:8080"
        )
    );
    let (status, again) = call(
        &ana,
        "POST",
        &app,
        "/api/sites",
        Some(json!({ "id": "shop", "name": "Other" })),
    )
    .await;
    assert_eq!(
        (status, again["error"].as_str()),
        (400, Some("there is already a site shop"))
    );
    let (status, bad) = call(
        &ana,
        "POST",
        &app,
        "/api/sites",
        Some(json!({ "id": "x", "name": "X", "origins": ["shop.example/"] })),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        bad["error"].as_str().unwrap().contains("is not an origin"),
        "{bad}"
    );

    assert!(served(&app).await.contains(&"sales-handoff".to_owned()));
    let off = json!({ "name": "Demo site", "origins": [SITE_ORIGIN], "chat_enabled": false });
    assert_eq!(call(&ana, "PUT", &app, "/api/sites/demo", Some(off)).await.0, 200);
    assert_eq!(
        served(&app).await,
        Vec::<String>::new(),
        "chat off: no dialogue at all"
    );
    let on = json!({ "name": "Demo site", "origins": [SITE_ORIGIN], "chat_enabled": true });
    assert_eq!(call(&ana, "PUT", &app, "/api/sites/demo", Some(on)).await.0, 200);
    assert!(!served(&app).await.is_empty());

    let (_, secret) = call(
        &ana,
        "POST",
        &app,
        "/api/sites/demo/identity-secret",
        Some(json!({ "require": true })),
    )
    .await;
    assert!(secret["secret"].as_str().unwrap().len() >= 32);
    let (_, sites) = call(&ana, "GET", &app, "/api/sites", None).await;
    let demo = sites
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "demo")
        .unwrap();
    assert_eq!(
        (&demo["identity_secret_set"], &demo["require_verification"]),
        (&json!(true), &json!(true))
    );
    assert!(
        !sites.to_string().contains(secret["secret"].as_str().unwrap()),
        "the secret is shown once"
    );

    let ben = app.sign_in("ben@demo.chinwag").await;
    assert_eq!(
        call(&ben, "GET", &app, "/api/sites", None).await.0,
        403,
        "agents do not see the console"
    );
    let (_, log) = call(&ana, "GET", &app, "/api/audit", None).await;
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "site.identity_secret",
            "site.update",
            "site.update",
            "site.create"
        ]
    );
    assert!(log.as_array().unwrap().iter().all(|e| e["actor"] == "ana"));
}

#[tokio::test]
async fn drafts_never_overwrite_each_other_and_publishing_makes_versions() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let path = "/api/sites/demo/dialogues/pricing-faq";
    let (_, opened) = call(&ana, "GET", &app, path, None).await;
    assert_eq!(
        opened["revision"], 0,
        "no draft yet: the published body to start from"
    );
    assert_eq!(opened["problems"], json!([]));
    let published: Value = serde_json::from_str(opened["body"].as_str().unwrap()).unwrap();

    // Two editors open revision 0; the first save wins, the second is refused with it.
    let mut mine = published.clone();
    mine["name"] = json!("Pricing FAQ (mine)");
    let mut theirs = published.clone();
    theirs["name"] = json!("Pricing FAQ (theirs)");
    let (status, saved) = call(
        &ana,
        "PUT",
        &app,
        &format!("{path}/draft"),
        Some(json!({ "body": mine.to_string(), "revision": 0 })),
    )
    .await;
    assert_eq!((status, saved["revision"].as_i64()), (200, Some(1)));
    let (status, refused) = call(
        &ana,
        "PUT",
        &app,
        &format!("{path}/draft"),
        Some(json!({ "body": theirs.to_string(), "revision": 0 })),
    )
    .await;
    assert_eq!(status, 409, "{refused}");
    assert!(refused["error"]
        .as_str()
        .unwrap()
        .starts_with("ana saved this dialogue after you opened it"));
    assert!(
        refused["current"]["body"].as_str().unwrap().contains("(mine)"),
        "the other change comes back"
    );

    // A draft with a problem is kept, with the problem's path; it cannot be published.
    let mut broken = mine.clone();
    broken["stream"][0] = json!({ "type": "goto", "to": "nowhere" });
    let (_, kept) = call(
        &ana,
        "PUT",
        &app,
        &format!("{path}/draft"),
        Some(json!({ "body": broken.to_string(), "revision": 1 })),
    )
    .await;
    assert_eq!(kept["revision"], 2);
    assert_eq!(kept["problems"][0]["path"], "stream[0].to", "{kept}");
    let (status, blocked) = call(
        &ana,
        "POST",
        &app,
        &format!("{path}/publish"),
        Some(json!({ "revision": 2 })),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(blocked["problems"][0]["path"], "stream[0].to");
    let (status, _) = call(
        &ana,
        "POST",
        &app,
        &format!("{path}/publish"),
        Some(json!({ "revision": 1 })),
    )
    .await;
    assert_eq!(status, 409, "publishing a stale revision");

    // Fixed, published: version 2, what visitors get.
    let (_, fixed) = call(
        &ana,
        "PUT",
        &app,
        &format!("{path}/draft"),
        Some(json!({ "body": mine.to_string(), "revision": 2 })),
    )
    .await;
    let (status, done) = call(
        &ana,
        "POST",
        &app,
        &format!("{path}/publish"),
        Some(json!({ "revision": fixed["revision"] })),
    )
    .await;
    assert_eq!((status, done["version"].as_i64()), (200, Some(2)));
    let (_, versions) = call(&ana, "GET", &app, &format!("{path}/versions"), None).await;
    let list: Vec<(i64, &str)> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].as_i64().unwrap(), v["author"].as_str().unwrap()))
        .collect();
    assert_eq!(list, [(2, "ana"), (1, "file")]);

    // Export: the file in the format's key order, equal to what the crate writes.
    let exported = app.as_agent(&ana, "GET", &format!("{path}/file"), None).await;
    assert!(exported.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("pricing-faq.json"));
    let text = exported.body;
    let valid = chinwag_dialogue::json::check(&text).unwrap();
    assert_eq!(text, chinwag_dialogue::json::to_file(valid.dialogue()));
    assert!(
        text.find("\"id\"").unwrap() < text.find("\"stream\"").unwrap(),
        "the format's order"
    );

    // Roll back: version 1 published again as version 3; history is kept.
    let (_, back) = call(&ana, "POST", &app, &format!("{path}/versions/1/restore"), None).await;
    assert_eq!(back["version"], 3);
    let (_, v3) = call(&ana, "GET", &app, &format!("{path}/versions/3"), None).await;
    let (_, v1) = call(&ana, "GET", &app, &format!("{path}/versions/1"), None).await;
    assert_eq!(v3["body"], v1["body"]);

    // Off: the loader no longer gets it; on again.
    assert!(served(&app).await.contains(&"pricing-faq".to_owned()));
    call(
        &ana,
        "PUT",
        &app,
        &format!("{path}/status"),
        Some(json!({ "status": "off" })),
    )
    .await;
    assert!(!served(&app).await.contains(&"pricing-faq".to_owned()));
    let (_, list) = call(&ana, "GET", &app, "/api/sites/demo/dialogues", None).await;
    let faq = list
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "pricing-faq")
        .unwrap();
    assert_eq!(
        (&faq["status"], &faq["version"], &faq["unpublished_changes"]),
        (&json!("off"), &json!(3), &json!(true))
    );
    drop(app);

    // A restart seeds the same files again: no new versions.
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let (_, versions) = call(&ana, "GET", &app, &format!("{path}/versions"), None).await;
    assert_eq!(versions.as_array().unwrap().len(), 3);
}

/// The six templates of `www/templates/` (lead capture first): each a dialogue with
/// zero problems, named and described, under its own id, targeting nothing that would
/// surprise (every page, everyone, priority 0); admins only.
#[tokio::test]
async fn templates_for_common_jobs_each_valid_named_and_described() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let (status, templates) = call(&ana, "GET", &app, "/api/templates", None).await;
    assert_eq!(status, 200);
    let templates = templates.as_array().unwrap();
    assert_eq!(templates.len(), 6, "{templates:?}");
    assert_eq!(templates[0]["id"], "lead-capture", "lead capture comes first");
    let mut ids = std::collections::BTreeSet::new();
    for t in templates {
        let id = t["id"].as_str().unwrap();
        assert!(ids.insert(id.to_owned()), "{id} is offered twice");
        let body = t["body"].as_str().unwrap();
        let valid = chinwag_dialogue::json::check(body).unwrap_or_else(|problems| {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            panic!("{id} has problems:\n{}", lines.join("\n"))
        });
        assert_eq!(valid.id, id, "the id is the file's");
        for field in ["name", "description"] {
            let text = t[field].as_str().unwrap_or_default();
            assert!(!text.trim().is_empty(), "{id} has no {field}");
        }
        assert_eq!(t["name"], valid.name.as_str(), "the name is the file's");
        let targeting = &valid.targeting;
        assert!(
            targeting.pages.is_empty() && targeting.audience.is_none() && targeting.priority == 0,
            "{id} targets every page and everyone at priority 0: {targeting:?}"
        );
    }
    let ben = app.sign_in("ben@demo.chinwag").await;
    assert_eq!(call(&ben, "GET", &app, "/api/templates", None).await.0, 403);
}

#[tokio::test]
async fn delete_that_asks_nothing_of_history() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let path = "/api/sites/demo/dialogues/pricing-faq";
    assert!(served(&app).await.contains(&"pricing-faq".to_owned()));
    let (status, _) = call(&ana, "DELETE", &app, path, None).await;
    assert_eq!(status, 200);
    assert!(
        !served(&app).await.contains(&"pricing-faq".to_owned()),
        "visitors no longer get it"
    );
    let (_, list) = call(&ana, "GET", &app, "/api/sites/demo/dialogues", None).await;
    assert!(
        list.as_array().unwrap().iter().all(|d| d["id"] != "pricing-faq"),
        "{list}"
    );
    let (_, versions) = call(&ana, "GET", &app, &format!("{path}/versions"), None).await;
    assert_eq!(versions.as_array().unwrap().len(), 1, "its history stays");
    assert_eq!(
        call(&ana, "DELETE", &app, path, None).await.0,
        404,
        "nothing left to delete"
    );

    // Started again under the same id and published: back for visitors.
    let (_, opened) = call(&ana, "GET", &app, path, None).await;
    let body = opened["body"].as_str().unwrap().to_owned();
    let (_, saved) = call(
        &ana,
        "PUT",
        &app,
        &format!("{path}/draft"),
        Some(json!({ "body": body, "revision": 0 })),
    )
    .await;
    let (status, _) = call(
        &ana,
        "POST",
        &app,
        &format!("{path}/publish"),
        Some(json!({ "revision": saved["revision"] })),
    )
    .await;
    assert_eq!(status, 200);
    assert!(served(&app).await.contains(&"pricing-faq".to_owned()));
    let (_, log) = call(&ana, "GET", &app, "/api/audit", None).await;
    assert!(log.to_string().contains("dialogue.delete"));
}

#[tokio::test]
async fn test_visitors_are_kept_per_dialogue_for_the_team() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let path = "/api/sites/demo/dialogues/pricing-faq/test-visitors";
    assert_eq!(call(&ana, "GET", &app, path, None).await.1, json!([]));
    let list = json!([{ "name": "Asks about pricing", "answers": ["Pricing"], "expect": "end" }]);
    assert_eq!(call(&ana, "PUT", &app, path, Some(list)).await.0, 200);
    let (_, kept) = call(&ana, "GET", &app, path, None).await;
    assert_eq!(kept[0]["name"], "Asks about pricing");
    assert_eq!(kept[0]["answers"], json!(["Pricing"]));
    let (status, refused) = call(
        &ana,
        "PUT",
        &app,
        path,
        Some(json!([{ "name": "", "expect": "end" }])),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        refused["error"].as_str().unwrap().contains("needs a name"),
        "{refused}"
    );
    let ben = app.sign_in("ben@demo.chinwag").await;
    assert_eq!(call(&ben, "GET", &app, path, None).await.0, 403);
}

#[tokio::test]
async fn the_routing_order_of_every_pool() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let (_, pools) = call(&ana, "GET", &app, "/api/routing", None).await;
    let names: Vec<&str> = pools
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "Everyone");
    let everyone: Vec<&str> = pools[0]["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(everyone, ["alice", "ana", "ben"], "by id before any chat");
    let sales = pools
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pool"] == "team:sales")
        .unwrap();
    let members: Vec<&str> = sales["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(members, ["ana", "ben"]);
    let ben = app.sign_in("ben@demo.chinwag").await;
    assert_eq!(call(&ben, "GET", &app, "/api/routing", None).await.0, 403);
}
