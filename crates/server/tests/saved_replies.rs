//! Saved replies: a team's, kept by admins and offered to its members only; an agent's
//! own, offered to them only; shortcuts unique per owner; nobody deletes another's.

mod support;

use serde_json::{json, Value};
use support::*;

async fn list(agent: &Agent, server: &Server) -> Vec<(String, Value)> {
    let all = agent.get_json(server, "/api/saved-replies").await;
    all.as_array()
        .unwrap_or_else(|| panic!("{all}"))
        .iter()
        .map(|r| (r["shortcut"].as_str().unwrap().to_owned(), r["team"].clone()))
        .collect()
}

async fn delete(agent: &Agent, server: &Server, id: &str) -> u16 {
    let response = agent
        .http
        .delete(server.url(&format!("/api/saved-replies/{id}")))
        .header("x-csrf-token", &agent.csrf)
        .send()
        .await
        .unwrap();
    response.status().as_u16()
}

#[tokio::test]
async fn team_replies_reach_their_members_and_own_replies_their_owner() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let ana = agent(&server, "ana@demo.chinwag").await; // admin
    let ben = agent(&server, "ben@demo.chinwag").await; // sales, billing
    let alice = agent(&server, "alice@demo.chinwag").await; // enterprise

    let price = ana
        .post_json(&server, "/api/saved-replies", json!({ "shortcut": "/Price", "text": "Hi {first_name}, seats are 12 € a month.", "team": "sales" }))
        .await;
    assert_eq!(price["shortcut"], "price", "{price}");
    let mine = ben
        .post_json(
            &server,
            "/api/saved-replies",
            json!({ "shortcut": "later", "text": "I'll be back in a minute." }),
        )
        .await;
    assert!(mine["id"].is_string(), "{mine}");

    // An agent keeps no team's replies; a bad shortcut, an empty text, an unknown team
    // and a shortcut the owner has already are refused, each with its reason.
    let refused = ben
        .post_json(
            &server,
            "/api/saved-replies",
            json!({ "shortcut": "x", "text": "y", "team": "sales" }),
        )
        .await;
    assert_eq!(refused["error"], "admins only");
    for (body, why) in [
        (json!({ "shortcut": "two words", "text": "y" }), "a shortcut has"),
        (json!({ "shortcut": "ok", "text": "  " }), "a saved reply has"),
        (
            json!({ "shortcut": "ok", "text": "y", "team": "nope" }),
            "there is no team nope",
        ),
        (
            json!({ "shortcut": "price", "text": "again", "team": "sales" }),
            "has a reply /price already",
        ),
    ] {
        let who = if body.get("team").is_some() { &ana } else { &ben };
        let answer = who.post_json(&server, "/api/saved-replies", body).await;
        assert!(
            answer["error"].as_str().is_some_and(|e| e.contains(why)),
            "{answer} should say {why}"
        );
    }
    // Another agent may use the same shortcut for their own.
    let alices = alice
        .post_json(
            &server,
            "/api/saved-replies",
            json!({ "shortcut": "later", "text": "Back soon." }),
        )
        .await;
    assert!(alices["id"].is_string(), "{alices}");

    assert_eq!(
        list(&ben, &server).await,
        [("later".into(), Value::Null), ("price".into(), json!("sales"))]
    );
    assert_eq!(
        list(&alice, &server).await,
        [("later".into(), Value::Null)],
        "not in sales"
    );
    assert_eq!(
        list(&ana, &server).await,
        [("price".into(), json!("sales"))],
        "admins see every team's"
    );

    // Nobody deletes another's own (it is not there for them); a team's, admins only.
    let bens = mine["id"].as_str().unwrap();
    let team = price["id"].as_str().unwrap();
    assert_eq!(delete(&alice, &server, bens).await, 404);
    assert_eq!(delete(&ana, &server, bens).await, 404);
    assert_eq!(delete(&ben, &server, team).await, 403);
    assert_eq!(delete(&ben, &server, bens).await, 200);
    assert_eq!(delete(&ana, &server, team).await, 200);
    assert!(list(&ben, &server).await.is_empty());
    server.stop().await;
}
