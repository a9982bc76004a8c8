//! The conversation by email (docs/inbox.md, "The conversation by email"): a visitor
//! asks from the widget's menu and a real SMTP server (aiosmtpd) receives every line
//! they saw and no private note; asked again at once, refused; no email, refused.

mod services;
mod support;

use chinwag_protocol::{AgentFrame, Outgoing, ServerFrame, VisitorFrame};
use services::Smtp;
use support::*;

/// The answer to an `email_transcript`: sent, or the error's message.
async fn ask(visitor: &mut Socket) -> Result<String, String> {
    send(visitor, &VisitorFrame::EmailTranscript {}).await;
    match until(visitor, |f| {
        matches!(f, ServerFrame::TranscriptSent { .. } | ServerFrame::Error(_))
    })
    .await
    {
        ServerFrame::TranscriptSent { to } => Ok(to),
        ServerFrame::Error(e) => Err(e.message),
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn a_visitor_gets_the_conversation_by_email_without_a_note() {
    let smtp = Smtp::start();
    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, "127.0.0.1:0", |c| c.smtp_url = smtp.url.clone()).await;
    let (mut ben, mut vera, conversation, _) = bens_chat(&server).await;
    say(&mut vera, "v1", "How much is a seat?").await;
    for frame in [
        AgentFrame::Note {
            conversation: conversation.clone(),
            note: Outgoing {
                id: "n1".into(),
                text: "secret-note: she is a big account".into(),
            },
        },
        AgentFrame::Message {
            conversation: conversation.clone(),
            message: Outgoing {
                id: "a1".into(),
                text: "12 € a month each.".into(),
            },
        },
    ] {
        send(&mut ben.ws, &frame).await;
        until(&mut ben.ws, |f| matches!(f, ServerFrame::Ack { .. })).await;
    }

    assert_eq!(ask(&mut vera).await, Ok("v…@shop.test".into()));
    let again = ask(&mut vera).await.unwrap_err();
    assert!(again.contains("try again in a minute"), "{again}");

    let mail = smtp.wait_for(1).await;
    assert_eq!(mail.len(), 1, "one mail, not two");
    let mail = String::from_utf8_lossy(&mail[0]).replace("=\r\n", "");
    assert!(mail.contains("vera@shop.test"), "{mail}");
    assert!(mail.contains("How much is a seat?"), "{mail}");
    assert!(mail.contains("Ben Agent"), "{mail}");
    assert!(
        !mail.contains("secret-note"),
        "a note never leaves the team: {mail}"
    );

    // An address gets three a day at most, whatever the conversation: a script cannot
    // have us mail someone over and over by starting chats in their name.
    let pool = support::db(&db).await;
    for id in ["m2", "m3"] {
        sqlx::query(
            "INSERT INTO mail_outbox (id, to_address, to_name, subject, body, created_at, next_at, sent_at, kind) \
             VALUES ($1, 'VERA@shop.test', 'Vera', 's', 'b', $2, $2, $2, 'transcript')",
        )
        .bind(id)
        .bind(chinwag_server::db::now_ms() as i64)
        .execute(&pool)
        .await
        .unwrap();
    }
    let mut again = visitor(&server).await;
    start_conversation(&mut again, TEAM).await;
    let refused = ask(&mut again).await.unwrap_err();
    assert!(refused.contains("try again tomorrow"), "{refused}");

    // A visitor the conversation has no email for.
    let mut nia = visitor(&server).await;
    send(&mut nia, &hello(None, 0)).await;
    until(&mut nia, |f| matches!(f, ServerFrame::Welcome(_))).await;
    send(&mut nia, &handoff("h1", TEAM, &[("first_name", "Nia")])).await;
    until(
        &mut nia,
        |f| matches!(f, ServerFrame::Welcome(w) if w.conversation.is_some()),
    )
    .await;
    let refused = ask(&mut nia).await.unwrap_err();
    assert!(refused.contains("no email"), "{refused}");
    server.stop().await;
}

/// Ben's reply to Vera's chat, acknowledged.
async fn ben_says(ben: &mut Agent, conversation: &str, id: &str, text: &str) {
    let reply = AgentFrame::Message {
        conversation: conversation.to_owned(),
        message: Outgoing {
            id: id.into(),
            text: text.into(),
        },
    };
    send(&mut ben.ws, &reply).await;
    until(&mut ben.ws, |f| matches!(f, ServerFrame::Ack { .. })).await;
}

#[tokio::test]
async fn a_reply_after_the_visitor_left_goes_by_email_once() {
    let smtp = Smtp::start();
    let (_dir, db) = temp_db();
    let server = Server::start_with(&db, "127.0.0.1:0", |c| c.smtp_url = smtp.url.clone()).await;
    let (mut ben, vera, conversation, _) = bens_chat(&server).await;

    // Vera is here: a reply is only in the chat.
    ben_says(&mut ben, &conversation, "a1", "One moment, I am checking.").await;

    // Vera closes the tab; once the server knows, a reply goes by email too.
    drop(vera);
    let pool = support::db(&db).await;
    let started = std::time::Instant::now();
    loop {
        let seen: Option<i64> = sqlx::query_scalar("SELECT visitor_seen_at FROM conversations WHERE id = $1")
            .bind(&conversation)
            .fetch_one(&pool)
            .await
            .unwrap();
        let away = seen.is_some_and(|at| (at as u64) + 30_000 < chinwag_server::db::now_ms());
        if away {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 10,
            "the server never noticed the visitor left"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    ben_says(&mut ben, &conversation, "a2", "Found it: 12 € a seat.").await;
    ben_says(&mut ben, &conversation, "a3", "And a discount above 50 seats.").await;

    let mail = smtp.wait_for(1).await;
    // A moment more: the second reply must not make a second mail.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(smtp.messages().len(), 1, "one mail for replies close together");
    let mail = String::from_utf8_lossy(&mail[0]).replace("=\r\n", "");
    assert!(mail.contains("Subject: Ben Agent replied to you"), "{mail}");
    assert!(mail.contains("Found it: 12"), "{mail}");
    assert!(
        mail.contains("One moment, I am checking."),
        "the last lines: {mail}"
    );
    assert!(
        mail.contains("http://shop.test/pricing"),
        "where to go on: {mail}"
    );
    server.stop().await;
}
