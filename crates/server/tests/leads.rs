//! Leads: whoever gives an email becomes one, merged by email across a dialogue's form,
//! a live chat and an import; their attributes say where and when each came from, and
//! their story holds what they did. A real server: the visitor socket hands off.

mod support;

use chinwag_dialogue::engine::{Answer, Stream};
use chinwag_dialogue::{json, VisitorContext};
use serde_json::{json, Value};
use support::*;

const HANDOFF: &str = include_str!("../../../www/dialogues/sales-handoff.json");

/// A run of sales-handoff up to its form, answered with these fields: the report the
/// widget sends (marks and what was captured).
fn report(run: &str, email: &str) -> Value {
    let d = json::check(HANDOFF).unwrap();
    let visitor = VisitorContext {
        attributes: Default::default(),
        page_url: "http://shop.test/pricing".into(),
        locale: "en".into(),
        teams_available: Vec::new(),
    };
    let start = chinwag_server::db::now_ms() - 10_000;
    let mut s = Stream::start(&d, visitor, start);
    s.answer(&d, Answer::Choice(0), start + 1_000).unwrap();
    let fields = [("first_name", "Ana"), ("email", email), ("company", "Acme Inc")];
    let fields = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    s.answer(&d, Answer::Fields(fields), start + 2_000).unwrap();
    json!({ "run": run, "visitor": "v1", "dialogue": "sales-handoff", "version": 1, "locale": "en",
        "known": false, "from": 0, "marks": s.marks, "captured": s.captured })
}

/// One attribute of a lead's story, with its source and time.
fn attribute(story: &Value, name: &str) -> Option<Value> {
    story["attributes"]
        .as_array()?
        .iter()
        .find(|a| a["name"] == name)
        .cloned()
}

#[tokio::test]
async fn one_person_is_one_lead_across_a_form_a_live_chat_and_an_import() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let ana = agent(&server, "ana@demo.chinwag").await;
    let http = reqwest::Client::new();
    let sent = http
        .post(server.url("/api/sites/demo/activity"))
        .header("origin", SITE_ORIGIN)
        .body(report("r1", "Vera@Shop.test").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 200, "{}", sent.text().await.unwrap());

    // The same person in a live chat (start_conversation hands off vera@shop.test).
    let mut visitor = visitor(&server).await;
    start_conversation(&mut visitor, TEAM).await;

    // And in an imported list, with a field the site knew.
    let imported = ana
        .http
        .post(server.url("/api/sites/demo/leads/import"))
        .header("x-csrf-token", &ana.csrf)
        .body("email,plan\nvera@shop.test,Pro\nnobody,Free\nbo@gmail.com,Free\n")
        .send()
        .await
        .unwrap();
    let imported: Value = imported.json().await.unwrap();
    assert_eq!(
        imported,
        json!({ "saved": 2, "refused": ["line 3: no valid email"] })
    );

    let leads = ana.get_json(&server, "/api/sites/demo/leads").await;
    let leads = leads.as_array().unwrap();
    assert_eq!(leads.len(), 2, "{leads:?}");
    let vera = leads.iter().find(|l| l["email"] == "vera@shop.test").unwrap();
    assert_eq!(vera["company"], "Acme Inc");
    let bo = leads.iter().find(|l| l["email"] == "bo@gmail.com").unwrap();
    assert_eq!(bo["company"], Value::Null, "free mail names no company");
    let found = ana.get_json(&server, "/api/sites/demo/leads?q=acme").await;
    assert_eq!(found.as_array().unwrap().len(), 1);

    let story = ana
        .get_json(
            &server,
            &format!("/api/sites/demo/leads/{}", vera["id"].as_str().unwrap()),
        )
        .await;
    let attribute = |name: &str| attribute(&story, name).unwrap_or_else(|| panic!("no {name} in {story}"));
    assert_eq!(attribute("company")["source"], "dialogue sales-handoff v1");
    assert_eq!(attribute("plan")["source"], "import");
    assert_eq!(
        attribute("first_name")["value"],
        "Vera",
        "the live chat's name is the latest"
    );
    let kinds: Vec<&str> = story["activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["dialogue", "live_chat"], "{story}");
    assert_eq!(story["activity"][0]["seen"][0], "answered");

    let csv = ana
        .http
        .get(server.url("/api/sites/demo/leads.csv"))
        .send()
        .await
        .unwrap();
    let csv = csv.text().await.unwrap();
    assert!(
        csv.starts_with("email,first_name,last_name,company,created_at,updated_at\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\"vera@shop.test\",\"Vera\",\"\",\"Acme Inc\","),
        "{csv}"
    );
}

/// The admin's leads CSV, as downloaded.
async fn export(server: &Server, admin: &Agent) -> String {
    let response = admin
        .http
        .get(server.url("/api/sites/demo/leads.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

/// An export's records, each without its last two cells (when that server learned of
/// the lead, which an import does not carry over).
fn without_times(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            let cells: Vec<String> = r.iter().map(str::to_owned).collect();
            assert_eq!(cells.len(), 6, "{cells:?}");
            cells[..4].to_vec()
        })
        .collect()
}

/// Our own export read back: cells with line breaks, quotes, commas, formulas and
/// non-ASCII letters, exported by one server, imported by another and exported again
/// come out the same. (Lines were split before quotes were read: a quoted line break
/// cut its lead in two.)
#[tokio::test]
async fn an_export_imported_elsewhere_exports_the_same() {
    let people = [
        (
            "ana+csv@shop.test",
            "Zoë \"Zo\"",
            "Ångström,\nSecond line",
            "Acme, \"Quoted\"\r\nInc 東京",
        ),
        ("bo@gmail.com", "=HYPERLINK(\"http://x\")", "'=kept as typed", ""),
        ("cy@plain.test", "Cy", "", ""),
        ("di@shop.test", "-1 + 2", "@home", "Shop\n\n\"Two\" blank"),
    ];
    let (_first_dir, first_db) = temp_db();
    let pool = support::db(&first_db).await;
    let first = Server::start(&first_db).await;
    for (email, first_name, last_name, company) in people {
        let attributes = [
            ("email", email),
            ("first_name", first_name),
            ("last_name", last_name),
            ("company", company),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let capture = chinwag_server::data::leads::capture(&attributes).unwrap();
        chinwag_server::data::leads_store::save(&pool, "demo", &capture, &[], "test", 1_000, None)
            .await
            .unwrap();
    }
    let ana = agent(&first, "ana@demo.chinwag").await;
    let exported = export(&first, &ana).await;
    let rows = without_times(&exported);
    assert_eq!(rows.len(), 1 + people.len(), "{exported}");
    assert_eq!(
        rows[1],
        [
            "ana+csv@shop.test",
            "Zoë \"Zo\"",
            "Ångström,\nSecond line",
            "Acme, \"Quoted\"\r\nInc 東京"
        ]
    );
    assert_eq!(
        rows[2][1], "'=HYPERLINK(\"http://x\")",
        "formulas defused in the file"
    );

    let (_second_dir, second_db) = temp_db();
    let second = Server::start(&second_db).await;
    let bea = agent(&second, "ana@demo.chinwag").await;
    let imported = bea
        .http
        .post(second.url("/api/sites/demo/leads/import"))
        .header("x-csrf-token", &bea.csrf)
        .body(exported.clone())
        .send()
        .await
        .unwrap();
    let imported: Value = imported.json().await.unwrap();
    assert_eq!(imported, json!({ "saved": people.len(), "refused": [] }));
    let again = export(&second, &bea).await;
    assert_eq!(without_times(&again), rows, "first:\n{exported}\nagain:\n{again}");
    let leads = bea.get_json(&second, "/api/sites/demo/leads").await;
    let bo = leads
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["email"] == "bo@gmail.com")
        .unwrap();
    assert_eq!(
        bo["name"], "=HYPERLINK(\"http://x\") '=kept as typed",
        "defusing undone on import"
    );
    first.stop().await;
    second.stop().await;
}

/// Found by the webhooks' end-to-end test: a lead saved while other writes commit failed
/// at once (a read transaction cannot become a write one in SQLite's WAL mode), and its
/// `lead.created` was never sent. Saves take the write lock first and wait their turn.
#[tokio::test]
async fn leads_saved_at_the_same_time_are_all_saved() {
    let (_dir, db) = temp_db();
    let _server = Server::start(&db).await;
    let pool = support::db(&db).await;
    let saves = (0..40).map(|n| {
        let pool = pool.clone();
        tokio::spawn(async move {
            let attributes = [("email".to_owned(), format!("p{n}@acme{}.test", n % 7))]
                .into_iter()
                .collect();
            let capture = chinwag_server::data::leads::capture(&attributes).unwrap();
            chinwag_server::data::leads_store::save(&pool, "demo", &capture, &[], "test", n, None).await
        })
    });
    for save in futures_util::future::join_all(saves).await {
        save.unwrap().unwrap();
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leads")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 40);
}

#[tokio::test]
async fn a_site_that_asks_for_consent_merges_a_known_email_only_with_it() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let ana = agent(&server, "ana@demo.chinwag").await;
    let sites = ana.get_json(&server, "/api/sites").await;
    let demo = sites
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "demo")
        .unwrap()
        .clone();
    let saved = ana
        .http
        .put(server.url("/api/sites/demo"))
        .header("x-csrf-token", &ana.csrf)
        .json(&json!({ "name": demo["name"], "origins": demo["origins"], "merge_consent": true }))
        .send()
        .await
        .unwrap();
    let saved: Value = saved.json().await.unwrap();
    assert_eq!(saved["merge_consent"], true);
    let http = reqwest::Client::new();
    let send = |body: Value| {
        http.post(server.url("/api/sites/demo/activity"))
            .header("origin", SITE_ORIGIN)
            .body(body.to_string())
            .send()
    };
    // A first capture makes the lead: there is nothing to merge it with yet.
    assert_eq!(send(report("r1", "vera@shop.test")).await.unwrap().status(), 200);
    let story = || async {
        let leads = ana.get_json(&server, "/api/sites/demo/leads").await;
        let id = leads[0]["id"].as_str().unwrap().to_owned();
        ana.get_json(&server, &format!("/api/sites/demo/leads/{id}"))
            .await
    };

    // A live chat with the same email, no consent: the lead is left as it was.
    let mut visitor = visitor(&server).await;
    start_conversation(&mut visitor, TEAM).await;
    let held = story().await;
    assert_eq!(attribute(&held, "first_name").unwrap()["value"], "Ana", "{held}");
    assert_eq!(
        held["activity"].as_array().unwrap().len(),
        1,
        "the chat is not theirs: {held}"
    );

    // Another run whose page has the visitor's consent: merged, and the consent recorded.
    let mut consented = report("r2", "vera@shop.test");
    consented["captured"]["merge_consent"] = json!("yes");
    assert_eq!(send(consented).await.unwrap().status(), 200);
    let merged = story().await;
    assert_eq!(merged["activity"].as_array().unwrap().len(), 2, "{merged}");
    let consent = attribute(&merged, "merge_consent").expect("consent recorded");
    assert_eq!(consent["value"], "yes");
    assert_eq!(consent["source"], "dialogue sales-handoff v1");
}
