//! Ratings (docs/inbox.md, "Ratings"): a visitor rates a chat once it is closed, 1 to
//! 5 with an optional comment; rating again replaces it; the agent's inbox and the
//! visitor's other tabs hear it; the site's systems get `conversation.rated` and read
//! it in the REST API.

mod support;

use chinwag_protocol::{EventKind, Rating, ServerFrame, VisitorFrame};
use support::*;

fn rate(score: u8, comment: &str) -> VisitorFrame {
    VisitorFrame::Rate(Rating {
        score,
        comment: comment.into(),
    })
}

/// The next error frame, or the `rated` event of `conversation`.
async fn answer(ws: &mut Socket, conversation: &str) -> ServerFrame {
    until(ws, |f| {
        matches!(f, ServerFrame::Error(_))
            || matches!(event_in(f, conversation), Some(EventKind::Rated { .. }))
    })
    .await
}

#[tokio::test]
async fn a_closed_chat_is_rated_once_per_close_and_every_side_hears_it() {
    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, "127.0.0.1:0", |c| c.webhook_private_addresses = true).await;
    closed_port_hook(&server, &["conversation.rated"]).await;
    let (mut ben, mut visitor, conversation, _) = bens_chat(&server).await;

    // Open: nothing to rate yet.
    send(&mut visitor, &rate(5, "")).await;
    let refused = answer(&mut visitor, &conversation).await;
    assert!(
        matches!(&refused, ServerFrame::Error(e) if e.message.contains("once it is closed")),
        "{refused:?}"
    );

    close_chat(&mut ben, Some(&mut visitor), &conversation).await;

    // Out of range, or a comment too long: refused, nothing stored.
    for frame in [rate(0, ""), rate(6, ""), rate(4, &"x".repeat(1_001))] {
        send(&mut visitor, &frame).await;
        let refused = answer(&mut visitor, &conversation).await;
        assert!(matches!(&refused, ServerFrame::Error(_)), "{refused:?}");
    }

    send(&mut visitor, &rate(3, "")).await;
    let rated = answer(&mut visitor, &conversation).await;
    assert!(
        matches!(event_in(&rated, &conversation), Some(EventKind::Rated { score: 3, comment }) if comment.is_empty()),
        "{rated:?}"
    );
    // The comment comes after the stars, as the widget sends it: the last one counts.
    send(&mut visitor, &rate(4, "  Quick and kind <b>thanks</b>  ")).await;
    answer(&mut visitor, &conversation).await;
    let heard = until(&mut ben.ws, |f| {
        matches!(
            event_in(f, &conversation),
            Some(EventKind::Rated { score: 4, .. })
        )
    })
    .await;
    assert!(matches!(
        event_in(&heard, &conversation),
        Some(EventKind::Rated { comment, .. }) if comment == "Quick and kind <b>thanks</b>"
    ));

    // The same rating again right after itself is no news: no line, no webhook.
    send(&mut visitor, &rate(4, "Quick and kind <b>thanks</b>")).await;
    send(&mut visitor, &VisitorFrame::Ping(7)).await;
    until(&mut visitor, |f| matches!(f, ServerFrame::Pong(7))).await;
    let pool = support::db(&db).await;
    let rated: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM events WHERE conversation_id = $1 AND body LIKE '{\"rated\"%'",
    )
    .bind(&conversation)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(rated, 2, "3, then 4 with its comment; the repeat is not told");
    let stored: (Option<i64>, Option<String>) =
        sqlx::query_as("SELECT rating, rating_comment FROM conversations WHERE id = $1")
            .bind(&conversation)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, (Some(4), Some("Quick and kind <b>thanks</b>".into())));
    // One webhook message per rating (two in the same millisecond have no order).
    let told: Vec<(String,)> = sqlx::query_as(
        "SELECT payload FROM webhook_messages WHERE site_id = 'demo' AND type = 'conversation.rated' ORDER BY created_at, id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut scores: Vec<i64> = told
        .iter()
        .map(|(p,)| {
            serde_json::from_str::<serde_json::Value>(p).unwrap()["data"]["score"]
                .as_i64()
                .unwrap()
        })
        .collect();
    scores.sort();
    assert_eq!(scores, [3, 4]);

    // The visitor writes again: open, and not rateable until it closes again.
    say(&mut visitor, "v2", "One more thing").await;
    send(&mut visitor, &rate(1, "")).await;
    let refused = answer(&mut visitor, &conversation).await;
    assert!(matches!(&refused, ServerFrame::Error(_)), "{refused:?}");
    server.stop().await;
}

#[tokio::test]
async fn the_rest_api_reads_a_conversations_rating() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let (mut ben, mut visitor, conversation, _) = bens_chat(&server).await;
    close_chat(&mut ben, Some(&mut visitor), &conversation).await;
    send(&mut visitor, &rate(5, "Great")).await;
    answer(&mut visitor, &conversation).await;

    let ana = agent(&server, "ana@demo.chinwag").await;
    let made = ana
        .post_json(
            &server,
            "/api/sites/demo/api-keys",
            serde_json::json!({ "name": "CRM", "scope": "read" }),
        )
        .await;
    let key = made["secret"].as_str().unwrap().to_owned();
    let read = reqwest::Client::new()
        .get(server.url(&format!("/api/v1/conversations/{conversation}")))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    let read: serde_json::Value = read.json().await.unwrap();
    assert_eq!(read["conversation"]["rating"], 5, "{read}");
    assert_eq!(read["conversation"]["rating_comment"], "Great");
    // Compared as values: the key order of the JSON depends on serde_json's features.
    let rated = serde_json::json!({ "rated": { "score": 5, "comment": "Great" } });
    assert!(
        read["transcript"]
            .as_array()
            .unwrap()
            .iter()
            .any(|line| line["event"] == rated),
        "{read}"
    );
    server.stop().await;
}
