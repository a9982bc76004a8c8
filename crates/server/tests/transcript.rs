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
