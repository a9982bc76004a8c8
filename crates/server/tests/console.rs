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
    // Someone saves the draft again: it has unpublished changes until the next publish.
    call(
        &ana,
        "PUT",
        &app,
        &format!("{path}/draft"),
        Some(json!({ "body": mine.to_string(), "revision": back["revision"] })),
    )
    .await;
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
    let (_, versions) = call(&ana, "GET", &app, &format!("{path}/versions"), None).await;
    assert!(
        versions.as_array().unwrap().iter().all(|v| v["live"] == false),
        "no version is live while it is off: {versions}"
    );
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

/// Issue 23: Publish publishes what the editor shows (a changed priority nobody saved
/// reached visitors as the old value, and the page said "Published"); right after
/// Create it works too (it said "no draft of …"); a restore asks for the editor's
/// revision, makes the restored text the draft as well as what visitors get, and the
/// versions list marks the live one.
#[tokio::test]
async fn publish_what_the_editor_shows_and_restore_into_the_editor() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let path = "/api/sites/demo/dialogues/spring";
    let dialogue = |priority: i64, text: &str| {
        json!({ "version": 1, "id": "spring", "name": "Spring", "targeting": { "priority": priority },
                "stream": [{ "type": "message", "text": text }] })
        .to_string()
    };
    // Created and published in one go: no "Save draft" first.
    let (status, first) = call(
        &ana,
        "POST",
        &app,
        &format!("{path}/publish"),
        Some(json!({ "revision": 0, "body": dialogue(1, "Hello") })),
    )
    .await;
    assert_eq!(
        (status, &first["version"], &first["revision"]),
        (200, &json!(1), &json!(1)),
        "{first}"
    );
    // A changed priority and text, never saved, published: visitors get them.
    let (status, second) = call(
        &ana,
        "POST",
        &app,
        &format!("{path}/publish"),
        Some(json!({ "revision": 1, "body": dialogue(7, "Hello again") })),
    )
    .await;
    assert_eq!((status, &second["version"]), (200, &json!(2)), "{second}");
    let config = app.as_site("/api/sites/demo/config").await.json();
    let spring = config["dialogues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "spring")
        .unwrap()
        .clone();
    assert_eq!(spring["targeting"]["priority"], 7);
    assert_eq!(spring["stream"][0]["text"], "Hello again");
    // A stale editor publishing its text is refused, and nothing of it is saved.
    let (status, _) = call(
        &ana,
        "POST",
        &app,
        &format!("{path}/publish"),
        Some(json!({ "revision": 1, "body": dialogue(9, "Stale") })),
    )
    .await;
    assert_eq!(status, 409);
    let (_, opened) = call(&ana, "GET", &app, path, None).await;
    assert!(opened["body"].as_str().unwrap().contains("Hello again"));
    // Another id in the text is refused as a save is.
    let (status, _) = call(
        &ana,
        "POST",
        &app,
        &format!("{path}/publish"),
        Some(json!({ "revision": 2, "body": dialogue(1, "x").replace("\"spring\"", "\"autumn\"") })),
    )
    .await;
    assert_eq!(status, 400);

    let live = |versions: &Value| -> Vec<i64> {
        versions
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["live"] == true)
            .map(|v| v["version"].as_i64().unwrap())
            .collect()
    };
    let (_, versions) = call(&ana, "GET", &app, &format!("{path}/versions"), None).await;
    assert_eq!(live(&versions), [2]);

    // Restore from a stale editor: refused, nothing published.
    let (status, _) = call(
        &ana,
        "POST",
        &app,
        &format!("{path}/versions/1/restore"),
        Some(json!({ "revision": 1 })),
    )
    .await;
    assert_eq!(status, 409);
    let (status, back) = call(
        &ana,
        "POST",
        &app,
        &format!("{path}/versions/1/restore"),
        Some(json!({ "revision": 2 })),
    )
    .await;
    assert_eq!(
        (status, &back["version"], &back["revision"]),
        (200, &json!(3), &json!(3)),
        "{back}"
    );
    assert!(back["body"].as_str().unwrap().contains("\"Hello\""));
    // The editor opens on what visitors get: the draft is the restored text.
    let (_, opened) = call(&ana, "GET", &app, path, None).await;
    assert_eq!(opened["body"], back["body"]);
    assert_eq!(opened["revision"], 3);
    let (_, versions) = call(&ana, "GET", &app, &format!("{path}/versions"), None).await;
    assert_eq!(live(&versions), [3]);
    let (_, list) = call(&ana, "GET", &app, "/api/sites/demo/dialogues", None).await;
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "spring")
        .unwrap()
        .clone();
    assert_eq!(row["unpublished_changes"], false);
    assert_eq!(row["live"]["targeting"]["priority"], 1, "{row}");
}

/// A new dialogue made through the API with exactly the requests docs/api.md gives:
/// sign in (a session cookie and its CSRF token), the draft saved at revision 0 with
/// the file as a string, published at the revision the save answered; and what each
/// request answers without the authentication it takes, or with a body it refuses.
#[tokio::test]
async fn a_new_dialogue_is_made_and_published_with_the_documented_requests() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let login = json!({ "email": "ana@demo.chinwag", "password": chinwag_server::demo::PASSWORD });
    let signed_in = app
        .call("POST", "/api/login", &[], Some(&login.to_string()))
        .await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.body);
    let cookie = signed_in.headers["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    assert!(cookie.starts_with("chinwag_session="), "{cookie}");
    let csrf = signed_in.json()["csrf"].as_str().unwrap().to_owned();
    let ana = [("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())];

    let file = json!({
        "id": "welcome",
        "name": "Welcome",
        "targeting": { "pages": [{ "url_contains": "/pricing" }] },
        "stream": [
            { "type": "message", "text": "Hi! Questions about pricing?" },
            { "type": "question", "text": "Can we help?", "answers": [
                { "label": "Yes", "then": [{ "type": "live_chat", "route": { "mode": "round_robin" },
                    "fallback": "Everyone is busy: leave a message and we'll email you." }] },
                { "label": "No, thanks", "then": [{ "type": "end", "text": "Say hi any time." }] }
            ] }
        ]
    });
    let draft = "/api/sites/demo/dialogues/welcome/draft";
    let publish = "/api/sites/demo/dialogues/welcome/publish";
    let save = json!({ "body": file.to_string(), "revision": 0 }).to_string();

    // Without the session: 401; without the CSRF token: 403; an agent who is not an
    // admin: 403; a REST API key is no session: 401.
    let refused = |reply: support::app::Reply, status: u16, says: &str| {
        assert_eq!(reply.status, status, "{}", reply.body);
        assert_eq!(reply.json()["error"], says, "{}", reply.body);
    };
    refused(
        app.call("PUT", draft, &[], Some(&save)).await,
        401,
        "sign in first",
    );
    refused(
        app.call("PUT", draft, &[("cookie", cookie.as_str())], Some(&save))
            .await,
        403,
        "missing or wrong CSRF token",
    );
    let ben = app.sign_in("ben@demo.chinwag").await;
    refused(
        app.as_agent(&ben, "PUT", draft, Some(&save)).await,
        403,
        "admins only",
    );
    let key = app
        .call(
            "POST",
            "/api/sites/demo/api-keys",
            &ana,
            Some(r#"{"name":"CI","scope":"write"}"#),
        )
        .await
        .json()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let bearer = format!("Bearer {key}");
    refused(
        app.call("PUT", draft, &[("authorization", bearer.as_str())], Some(&save))
            .await,
        401,
        "sign in first",
    );
    // The file's own id must be the path's.
    let other = json!({ "body": file.to_string().replace("\"welcome\"", "\"hello\""), "revision": 0 });
    refused(
        app.call("PUT", draft, &ana, Some(&other.to_string())).await,
        400,
        "id: this dialogue is welcome; a different id makes a new dialogue",
    );
    // Nothing to publish before the draft.
    refused(
        app.call("POST", publish, &ana, Some(r#"{"revision":1}"#)).await,
        404,
        "no draft of welcome",
    );

    // The draft at revision 0, then published at the revision it answered.
    let saved = app.call("PUT", draft, &ana, Some(&save)).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.json(), json!({ "revision": 1, "problems": [] }));
    let again = app.call("PUT", draft, &ana, Some(&save)).await;
    assert_eq!(again.status, 409, "revision 0 again: the draft exists now");
    assert_eq!(again.json()["current"]["revision"], 1);
    let published = app.call("POST", publish, &ana, Some(r#"{"revision":1}"#)).await;
    assert_eq!(published.status, 200, "{}", published.body);
    assert_eq!(published.json(), json!({ "version": 1, "revision": 1 }));
    assert!(served(&app).await.contains(&"welcome".to_owned()));
    let listed = app
        .call("GET", "/api/sites/demo/dialogues", &ana, None)
        .await
        .json();
    let welcome = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "welcome")
        .unwrap()
        .clone();
    assert_eq!(
        (
            &welcome["status"],
            &welcome["version"],
            &welcome["unpublished_changes"]
        ),
        (&json!("published"), &json!(1), &json!(false))
    );

    // A draft with a problem is saved with it, and refused at publish with it.
    let mut broken = file.clone();
    broken["stream"][1]["answers"][0]["then"] = json!([{ "type": "goto", "to": "nowhere" }]);
    let kept = app
        .call(
            "PUT",
            draft,
            &ana,
            Some(&json!({ "body": broken.to_string(), "revision": 1 }).to_string()),
        )
        .await
        .json();
    assert_eq!(kept["revision"], 2);
    let blocked = app.call("POST", publish, &ana, Some(r#"{"revision":2}"#)).await;
    assert_eq!(blocked.status, 400);
    assert_eq!(blocked.json()["error"], "fix these problems first");
    assert_eq!(
        blocked.json()["problems"][0]["path"],
        "stream[1].answers[0].then[0].to"
    );
    // Bodies the JSON extractor refuses: no JSON content type, not JSON, a field missing.
    let no_type = app
        .call(
            "POST",
            publish,
            &[ana[0], ana[1], ("content-type", "text/plain")],
            None,
        )
        .await;
    assert_eq!(no_type.status, 415);
    let not_json = app.call("POST", publish, &ana, Some("{")).await;
    assert_eq!(not_json.status, 400);
    let no_revision = app.call("POST", publish, &ana, Some("{}")).await;
    assert_eq!(no_revision.status, 422);
    assert!(no_revision.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));

    // Or in one request: the file given to publish is saved as the draft (at revision
    // 0: a new one) and published.
    let hello = file.to_string().replace("\"welcome\"", "\"hello\"");
    let at_once = app
        .call(
            "POST",
            "/api/sites/demo/dialogues/hello/publish",
            &ana,
            Some(&json!({ "revision": 0, "body": hello }).to_string()),
        )
        .await;
    assert_eq!(at_once.status, 200, "{}", at_once.body);
    assert_eq!(at_once.json(), json!({ "version": 1, "revision": 1 }));
    assert!(served(&app).await.contains(&"hello".to_owned()));
}
