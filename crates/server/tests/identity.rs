//! Identity verification through a real socket: the site's backend signs what it knows
//! (an HS256 identity token); forged, missing and replayed tokens verify nothing.

mod support;

use chinwag_protocol::{EventKind, ServerFrame};
use chinwag_server::access::identity::{sign, TOKEN};
use serde_json::json;
use std::path::Path;
use support::*;

/// Gives the demo site an identity secret; returns it, as `chinwag site identity` does.
async fn identity_secret(db: &Path, require: bool) -> String {
    let pool = support::db(db).await;
    let sealer = chinwag_server::access::secrets::Sealer::new(SECRET);
    let secret = chinwag_server::console::setup::new_identity_secret(&pool, &sealer, "demo", require)
        .await
        .unwrap();
    pool.close().await;
    secret
}

fn now() -> u64 {
    chinwag_server::db::now_ms() / 1000
}

/// Starts a conversation at `card` with these page attributes; returns who got it
/// (`None`: the fallback) and the stored conversation.
async fn route(
    server: &Server,
    db: &Path,
    card: &str,
    attributes: &[(&str, &str)],
) -> (Option<String>, chinwag_server::db::Conversation) {
    let mut v = visitor(server).await;
    send(&mut v, &hello(None, 0)).await;
    send(&mut v, &handoff("h1", card, attributes)).await;
    let decided = until(&mut v, |f| {
        matches!(f, ServerFrame::Event(e) if matches!(e.kind, EventKind::Assigned { .. } | EventKind::Unassigned { .. }))
    })
    .await;
    let ServerFrame::Event(event) = decided else {
        unreachable!()
    };
    let pool = support::db(db).await;
    let stored = chinwag_server::db::conversation(&pool, &event.conversation)
        .await
        .unwrap()
        .unwrap();
    pool.close().await;
    match event.kind {
        EventKind::Assigned { agent_id, .. } => (Some(agent_id), stored),
        _ => (None, stored),
    }
}

#[tokio::test]
async fn a_valid_token_verifies_and_routes_forged_missing_and_replayed_ones_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let server = Server::start(&db).await;
    let secret = identity_secret(&db, false).await;
    let _ben = agent(&server, "ben@demo.chinwag").await;
    let big = json!({ "email": "cio@bigcorp.test", "company_size": "More than 1000", "exp": now() + 3600 });

    let valid = sign(&big, &secret);
    let (to, stored) = route(
        &server,
        &db,
        VERIFIED_RULES,
        &[(TOKEN, &valid), ("first_name", "Cy")],
    )
    .await;
    assert_eq!(to.as_deref(), Some("ben"), "verified enterprise reaches Ben");
    assert_eq!(stored.verified, ["company_size", "email"]);
    assert!(
        !stored.attributes.contains_key(TOKEN),
        "the token itself is not kept"
    );
    assert_eq!(
        stored.attributes["first_name"], "Cy",
        "page attributes are kept, unverified"
    );

    // Typed into the browser console: the page says it, nobody vouches for it.
    let (to, stored) = route(
        &server,
        &db,
        VERIFIED_RULES,
        &[("company_size", "More than 1000")],
    )
    .await;
    assert_eq!(to, None, "missing token");
    assert!(stored.verified.is_empty());

    let forged = sign(&big, "a secret the attacker made up");
    let (to, stored) = route(&server, &db, VERIFIED_RULES, &[(TOKEN, &forged)]).await;
    assert_eq!(to, None, "forged token");
    assert!(stored.verified.is_empty() && !stored.attributes.contains_key("company_size"));

    let expired = sign(
        &json!({ "company_size": "More than 1000", "exp": now() - 1 }),
        &secret,
    );
    let (to, _) = route(&server, &db, VERIFIED_RULES, &[(TOKEN, &expired)]).await;
    assert_eq!(to, None, "a token replayed after it expired");
    server.stop().await;
}

#[tokio::test]
async fn a_site_that_requires_verification_ignores_what_only_the_page_says_in_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let server = Server::start(&db).await;
    let secret = identity_secret(&db, true).await;
    let _ben = agent(&server, "ben@demo.chinwag").await;
    // The RULES card's first rule (`vip` → Ben) is not marked verified.
    let (to, _) = route(&server, &db, RULES, &[("vip", "yes")]).await;
    assert_eq!(to, None, "the page's own `vip` does not count");
    let vouched = sign(&json!({ "vip": "yes", "exp": now() + 60 }), &secret);
    let (to, _) = route(&server, &db, RULES, &[(TOKEN, &vouched)]).await;
    assert_eq!(to.as_deref(), Some("ben"));
    server.stop().await;
}
