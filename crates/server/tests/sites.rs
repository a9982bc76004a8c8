//! A site's appearance and language: set by an admin, checked, and served to the
//! loader with the visitor's texts. HTTP only: the router is called directly.

mod support;

use support::*;

async fn config(app: &App, query: &str) -> serde_json::Value {
    app.as_site(&format!("/api/sites/demo/config{query}"))
        .await
        .json()
}

#[tokio::test]
async fn an_admin_sets_the_appearance_and_visitors_get_it_in_their_language() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let ana = app.sign_in("ana@demo.chinwag").await;
    let put = |body: &'static str| app.as_agent(&ana, "PUT", "/api/sites/demo/appearance", Some(body));

    let refused = put(r##"{"accent_color":"blue","font_family":"x;}*{display:none"}"##).await;
    assert_eq!(refused.status, 400);
    let message = refused.body;
    assert!(
        message.contains("appearance.accent_color: use a colour like #1f5fbf"),
        "{message}"
    );
    assert!(message.contains("appearance.font_family"), "{message}");

    let stored = put(
        r##"{"accent_color":"#ffeb3b","theme":"dark","position":"left","bot_name":"Sol",
            "greeting":{"en":"Hi","sv":"Hej"},"locale":"sv"}"##,
    )
    .await;
    assert!(stored.status.is_success());

    let swedish = config(&app, "?lang=en-GB").await;
    assert_eq!(
        swedish["locale"], "sv",
        "the site's language wins over the browser's"
    );
    assert_eq!(swedish["greeting"], "Hej");
    assert!(swedish["strings"]
        .as_str()
        .unwrap()
        .starts_with("Öppna chatten\n"));
    let css = swedish["css"]["sales-handoff"].as_str().unwrap();
    assert!(
        css.contains("--cw-accent:#ffeb3b;--cw-accent-text:#000000"),
        "{css}"
    );
    assert!(
        css.contains("--cw-bg:#171a1f") && css.contains("left:20px"),
        "{css}"
    );
    let sales = swedish["dialogues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "sales-handoff")
        .unwrap();
    assert_eq!(
        sales["appearance"]["bot_name"], "Chinwag",
        "the dialogue's own name wins"
    );
    let faq = swedish["dialogues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "pricing-faq")
        .unwrap();
    assert_eq!(faq["appearance"]["bot_name"], "Sol", "the site's name fills in");

    let italian_page = config(&app, "?locale=it&lang=en-GB").await;
    assert_eq!(italian_page["locale"], "it", "a page's data-locale wins");
    assert!(italian_page["strings"]
        .as_str()
        .unwrap()
        .starts_with("Apri la chat\n"));

    let not_admin = app.sign_in("ben@demo.chinwag").await;
    let forbidden = app
        .as_agent(&not_admin, "PUT", "/api/sites/demo/appearance", Some("{}"))
        .await;
    assert_eq!(forbidden.status, 403);
}

#[tokio::test]
async fn a_same_origin_page_gets_its_config_by_referer_and_others_do_not() {
    let (_dir, db) = temp_db();
    let app = App::start(&db).await;
    let app = &app;
    let get = |referer: String| async move {
        app.call("GET", "/api/sites/demo/config", &[("referer", &referer)], None)
            .await
            .status
    };
    // Browsers send no Origin on a same-origin GET; the Referer names the page.
    assert_eq!(get(format!("{SITE_ORIGIN}/pricing?x=1")).await, 200);
    assert_eq!(get("http://evil.test/pricing".into()).await, 403);
    let nothing = app.call("GET", "/api/sites/demo/config", &[], None).await;
    assert_eq!(nothing.status, 403);
}
