//! Labels: admins keep the list (a colour any text reads on, names unique in any case);
//! agents put them on the conversations they may see; the inbox's list carries them; a
//! label deleted, or a person erased, leaves no label row behind.

mod support;

use chinwag_protocol::{EventKind, ServerFrame};
use serde_json::{json, Value};
use support::*;

async fn put(agent: &Agent, server: &Server, path: &str, body: Value) -> (u16, Value) {
    let response = agent
        .http
        .put(server.url(path))
        .header("x-csrf-token", &agent.csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn labels_of(agent: &Agent, server: &Server, conversation: &str) -> Value {
    let list = agent.get_json(server, "/api/conversations").await;
    list.as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .iter()
        .find(|c| c["id"] == conversation)
        .map_or(Value::Null, |c| c["labels"].clone())
}

#[tokio::test]
async fn admins_keep_labels_and_agents_put_them_on_their_conversations() {
    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, "127.0.0.1:0", |c| c.webhook_private_addresses = true).await;
    let ana = agent(&server, "ana@demo.chinwag").await;
    let hook = json!({ "url": "http://127.0.0.1:9/hook", "events": ["conversation.labelled"] });
    let made = ana.post_json(&server, "/api/sites/demo/webhooks", hook).await;
    assert!(made["endpoint"]["id"].is_string(), "{made}");
    let mut ben = agent(&server, "ben@demo.chinwag").await;
    let alice = agent(&server, "alice@demo.chinwag").await;

    let vip = ana
        .post_json(
            &server,
            "/api/labels",
            json!({ "name": "VIP", "colour": "#0B4FA8" }),
        )
        .await;
    let bug = ana
        .post_json(
            &server,
            "/api/labels",
            json!({ "name": "Bug", "colour": "#fff8c5" }),
        )
        .await;
    assert_eq!(vip["colour"], "#0b4fa8", "{vip}");
    for (who, body, why) in [
        (
            &ben,
            json!({ "name": "Mine", "colour": "#000000" }),
            "admins only",
        ),
        (
            &ana,
            json!({ "name": "vip", "colour": "#000000" }),
            "there is a label vip already",
        ),
        (&ana, json!({ "name": "Red", "colour": "red" }), "#rrggbb"),
        (
            &ana,
            json!({ "name": " ", "colour": "#000000" }),
            "1 to 40 characters",
        ),
    ] {
        let answer = who.post_json(&server, "/api/labels", body).await;
        assert!(
            answer["error"].as_str().is_some_and(|e| e.contains(why)),
            "{answer} should say {why}"
        );
    }
    // Every agent reads the list, with the text colour that reads on each.
    let list = ben.get_json(&server, "/api/labels").await;
    let texts: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["name"].as_str().unwrap(), l["text"].as_str().unwrap()))
        .collect();
    assert_eq!(texts, [("Bug", "#000000"), ("VIP", "#ffffff")]);

    let mut visitor = visitor(&server).await;
    let (conversation, _) = start_conversation(&mut visitor, AGENT_BEN).await;
    until(&mut ben.ws, |f| matches!(f, ServerFrame::Event(e) if e.conversation == conversation && matches!(e.kind, EventKind::Assigned { .. }))).await;
    let path = format!("/api/conversations/{conversation}/labels");
    let (vip, bug) = (vip["id"].as_str().unwrap(), bug["id"].as_str().unwrap());
    assert_eq!(
        put(&ben, &server, &path, json!({ "labels": [vip, bug] })).await.0,
        200
    );
    let mut on: Vec<String> = serde_json::from_value(labels_of(&ben, &server, &conversation).await).unwrap();
    on.sort();
    let mut both = vec![vip.to_owned(), bug.to_owned()];
    both.sort();
    assert_eq!(on, both);
    // The site's systems are told, by the labels' names; the same labels again are no news.
    assert_eq!(
        put(&ben, &server, &path, json!({ "labels": [bug, vip] })).await.0,
        200
    );
    let pool = support::db(&db).await;
    let told: Vec<(String,)> = sqlx::query_as(
        "SELECT payload FROM webhook_messages WHERE site_id = 'demo' AND type = 'conversation.labelled'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(told.len(), 1, "{told:?}");
    let told: Value = serde_json::from_str(&told[0].0).unwrap();
    assert_eq!(
        told["data"],
        json!({ "id": conversation, "labels": ["Bug", "VIP"] })
    );
    // An unknown label, and a conversation the agent may not see, are refused.
    let (status, answer) = put(&ben, &server, &path, json!({ "labels": ["nope"] })).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("there is no label nope"))
    );
    assert_eq!(put(&alice, &server, &path, json!({ "labels": [] })).await.0, 404);

    // A deleted label leaves every conversation.
    let gone = ana
        .http
        .delete(server.url(&format!("/api/labels/{bug}")))
        .header("x-csrf-token", &ana.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 200);
    assert_eq!(labels_of(&ben, &server, &conversation).await, json!([vip]));

    // Erasing the visitor takes the conversation's labels with it.
    let erased = ana
        .post_json(
            &server,
            "/api/sites/demo/erase",
            json!({ "email": "vera@shop.test" }),
        )
        .await;
    assert!(erased.get("error").is_none(), "{erased}");
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM conversation_labels")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    server.stop().await;
}
