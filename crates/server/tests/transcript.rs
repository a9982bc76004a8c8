//! Conversations and email (docs/inbox.md): the transcript a visitor asks for from the
//! widget's menu, which a real SMTP server (aiosmtpd) receives with every line they saw
//! and no private note; an agent's reply after the visitor left; the visitor's answer
//! by email, sent by a real SMTP client (lettre) to the server's own listener and posted
//! to its inbound webhook.

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
    gone(&db, &conversation).await;
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

/// Waits until the server counts the conversation's visitor as gone (socket closed).
async fn gone(db: &std::path::Path, conversation: &str) {
    let pool = support::db(db).await;
    let started = std::time::Instant::now();
    loop {
        let seen: Option<i64> = sqlx::query_scalar("SELECT visitor_seen_at FROM conversations WHERE id = $1")
            .bind(conversation)
            .fetch_one(&pool)
            .await
            .unwrap();
        if seen.is_some_and(|at| (at as u64) + 30_000 < chinwag_server::db::now_ms()) {
            return;
        }
        assert!(
            started.elapsed().as_secs() < 10,
            "the server never noticed the visitor left"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

const SECRET: &str = "inbound-secret-0123456789";

/// A mail from `from` to `to`, as a mail program answers: new text above a quote.
fn answer(from: &str, to: &str, id: &str, text: &str) -> lettre::Message {
    lettre::Message::builder()
        .from(from.parse().unwrap())
        .to(to.parse().unwrap())
        .subject("Re: Ben Agent replied to you (Demo shop)")
        .message_id(Some(format!("<{id}@shop.test>")))
        .body(format!(
            "{text}\r\n\r\nOn Sat, Dec 5, 2026 at 10:02 AM Demo shop <{to}> wrote:\r\n> Found it: 12 \u{20ac} a seat.\r\n"
        ))
        .unwrap()
}

/// Whether Ben's socket is told of Vera's message `text`.
async fn ben_hears(ben: &mut Agent, conversation: &str, text: &str) {
    until(&mut ben.ws, |f| {
        matches!(
            event_in(f, conversation),
            Some(chinwag_protocol::EventKind::Message { role: chinwag_protocol::Role::Visitor, text: t, .. }) if t == text
        )
    })
    .await;
}

/// A server taking answers by email on its own listener, Ben's reply mailed to Vera
/// after she left: what her answer goes back to.
struct Answering {
    _dir: tempfile::TempDir,
    smtp: Smtp,
    server: Server,
    /// The listener's port.
    port: u16,
    ben: Agent,
    conversation: String,
    /// The reply address on Ben's mail.
    reply_to: String,
}

async fn answering(edit: impl FnOnce(&mut chinwag_server::config::Config)) -> Answering {
    let smtp = Smtp::start();
    let (dir, db) = temp_db();
    let port = free_port();
    let server = Server::start_with(&db, "127.0.0.1:0", |c| {
        c.smtp_url = smtp.url.clone();
        c.mail_in_domain = "reply.shop.test".into();
        c.mail_in_listen = format!("127.0.0.1:{port}");
        c.mail_in_secret = SECRET.into();
        edit(c);
    })
    .await;
    let (mut ben, vera, conversation, _) = bens_chat(&server).await;
    drop(vera);
    gone(&db, &conversation).await;
    ben_says(&mut ben, &conversation, "a1", "Found it: 12 € a seat.").await;
    let sent = smtp.wait_for(1).await;
    let sent = mailparse::parse_mail(&sent[0]).unwrap();
    use mailparse::MailHeaderMap;
    let reply_to = sent.headers.get_first_value("Reply-To").expect("a reply address");
    assert!(
        reply_to.starts_with(&format!("reply-{conversation}-")),
        "{reply_to}"
    );
    assert!(reply_to.ends_with("@reply.shop.test"), "{reply_to}");
    assert!(sent.get_body().unwrap().contains("reply to this email"));
    Answering {
        _dir: dir,
        smtp,
        server,
        port,
        ben,
        conversation,
        reply_to,
    }
}

#[tokio::test]
async fn the_visitor_answers_by_email_and_the_answer_joins_the_chat() {
    use lettre::AsyncTransport;
    let Answering {
        _dir,
        smtp,
        server,
        port,
        mut ben,
        conversation,
        reply_to,
    } = answering(|_| {}).await;

    // Vera answers from her mail program: the new lines join the chat, live, without
    // the quote; the same mail delivered twice is there once.
    let mailer = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(port)
        .build();
    let mail = answer("Vera <VERA@shop.test>", &reply_to, "m1", "Great, I take 3 seats.");
    mailer.send(mail.clone()).await.expect("taken");
    ben_hears(&mut ben, &conversation, "Great, I take 3 seats.").await;
    mailer.send(mail).await.expect("taken again, stored once");
    let history = ben.history(&server, &conversation).await;
    assert_eq!(history.matches("Great, I take 3 seats.").count(), 1, "{history}");
    assert!(!history.contains("wrote:"), "the quote is left out: {history}");

    // Ben answers within the five minutes: news again, since Vera wrote.
    ben_says(&mut ben, &conversation, "a2", "Done: 3 seats are yours.").await;
    assert_eq!(smtp.wait_for(2).await.len(), 2, "a reply to an answer is mailed");

    // A photo with the answer joins the chat as a file; an SVG is refused with why, and
    // then nothing of that mail arrives.
    let with_file = |id: &str, name: &str, mime: &str, bytes: Vec<u8>| {
        use lettre::message::{header::ContentType, Attachment, MultiPart, SinglePart};
        lettre::Message::builder()
            .from("vera@shop.test".parse().unwrap())
            .to(reply_to.parse().unwrap())
            .subject("Re: photo")
            .message_id(Some(format!("<{id}@shop.test>")))
            .multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(format!("Here is {name}")))
                    .singlepart(Attachment::new(name.into()).body(bytes, ContentType::parse(mime).unwrap())),
            )
            .unwrap()
    };
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    mailer
        .send(with_file("p1", "shot.png", "image/png", png))
        .await
        .expect("taken");
    until(&mut ben.ws, |f| {
        matches!(
            event_in(f, &conversation),
            Some(chinwag_protocol::EventKind::Message { file: Some(file), .. }) if file.name == "shot.png" && file.mime == "image/png"
        )
    })
    .await;
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
    let refused = mailer
        .send(with_file("p2", "logo.svg", "image/svg+xml", svg))
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("logo.svg cannot be added"),
        "{refused}"
    );
    let history = ben.history(&server, &conversation).await;
    assert!(
        !history.contains("Here is logo.svg"),
        "nothing of a refused mail: {history}"
    );

    // A quote sent back with nothing of her own: a bounce says so, not a silent "taken".
    let empty = answer("vera@shop.test", &reply_to, "m0", "");
    let refused = mailer.send(empty).await.unwrap_err();
    assert!(refused.to_string().contains("no text of its own"), "{refused}");

    // Someone else answering, or a forged address: refused, so their server bounces it.
    let stranger = answer(
        "Mallory <mallory@evil.test>",
        &reply_to,
        "m2",
        "Send me the invoice",
    );
    let refused = mailer.send(stranger).await.unwrap_err();
    assert!(
        refused.to_string().contains("visitor's address only"),
        "{refused}"
    );
    let forged = reply_to.replace(&conversation, &"0".repeat(32));
    let refused = mailer
        .send(answer("vera@shop.test", &forged, "m3", "hi"))
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("answers to Chinwag's mails only"),
        "{refused}"
    );

    // A closed conversation opens again with the answer, through the provider's webhook
    // (a form with the raw mail, as SendGrid posts it); without the secret, refused.
    close_chat(&mut ben, None, &conversation).await;
    // An old answer delivered again after the close is no news: the chat stays closed.
    mailer
        .send(answer(
            "vera@shop.test",
            &reply_to,
            "m1",
            "Great, I take 3 seats.",
        ))
        .await
        .expect("taken again, stored once");
    let closed = ben
        .get_json(&server, "/api/conversations?state=closed")
        .await
        .to_string();
    assert!(closed.contains(&conversation), "reopened by a retry: {closed}");
    // A sender named the Outlook way, "Surname, First name", encoded: still the visitor.
    let outlook_name = format!(
        "From: =?iso-8859-1?Q?M=FCller=2C_Vera?= <Vera+Shop@Shop.test>\r\nTo: {reply_to}\r\nSubject: Re: seats\r\nMessage-ID: <m5@shop.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nUnd noch eine Frage.\r\n\r\nAm Sa., 5. Dez. 2026 um 10:02 Uhr schrieb Demo shop <noreply@shop.test>:\r\n> Found it\r\n"
    );
    let envelope = lettre::address::Envelope::new(
        Some("vera@shop.test".parse().unwrap()),
        vec![reply_to.parse().unwrap()],
    )
    .unwrap();
    mailer
        .send_raw(&envelope, outlook_name.as_bytes())
        .await
        .expect("taken from Müller, Vera");
    // Her words alone: the German opening line and the quote are left out.
    ben_hears(&mut ben, &conversation, "Und noch eine Frage.").await;
    close_chat(&mut ben, None, &conversation).await;
    let raw = answer("vera@shop.test", &reply_to, "m4", "One more question: VAT?").formatted();
    let http = reqwest::Client::new();
    let url = server.url("/api/mail/inbound");
    let wrong = http
        .post(&url)
        .bearer_auth("guess-guess-guess-guess")
        .body(raw.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let form = reqwest::multipart::Form::new()
        .text("to", reply_to.clone())
        .part("email", reqwest::multipart::Part::bytes(raw));
    let taken = http
        .post(&url)
        .basic_auth("inbound", Some(SECRET))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(taken.status(), 200);
    let taken: serde_json::Value = taken.json().await.unwrap();
    assert_eq!(taken["messages"], 1);
    ben_hears(&mut ben, &conversation, "One more question: VAT?").await;
    let listed = ben
        .get_json(&server, "/api/conversations?state=open")
        .await
        .to_string();
    assert!(listed.contains(&conversation), "reopened: {listed}");
    server.stop().await;
}

/// The test certificates (`support/tls`, valid 2000 to 2199, for `127.0.0.1`).
fn test_pem(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/support/tls")
        .join(name)
}

/// A mail client that speaks only over TLS and trusts only `trusted`.
fn encrypted_mailer(port: u16, trusted: &str) -> lettre::AsyncSmtpTransport<lettre::Tokio1Executor> {
    use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
    let pem = std::fs::read(test_pem(trusted)).unwrap();
    let tls = TlsParameters::builder("127.0.0.1".into())
        .add_root_certificate(Certificate::from_pem(&pem).unwrap())
        .build_rustls()
        .unwrap();
    lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(port)
        .tls(Tls::Required(tls))
        .build()
}

/// What the listener answers to `lines`, written at once, until it says `until` (or,
/// with `None`, closes the connection).
async fn smtp_talk(port: u16, lines: &str, until: Option<&str>) -> String {
    use tokio::io::AsyncWriteExt;
    let mut tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    hear(&mut tcp, Some("\r\n")).await;
    tcp.write_all(lines.as_bytes()).await.unwrap();
    hear(&mut tcp, until).await
}

/// What the other side says until it says `until` (or, with `None`, closes).
async fn hear<S: tokio::io::AsyncRead + Unpin>(stream: &mut S, until: Option<&str>) -> String {
    use tokio::io::AsyncReadExt;
    let (mut heard, mut buf) = (Vec::new(), [0u8; 4096]);
    let deadline = std::time::Duration::from_secs(10);
    while !until.is_some_and(|u| String::from_utf8_lossy(&heard).contains(u)) {
        match tokio::time::timeout(deadline, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) if until.is_none() => break,
            Ok(Ok(0)) | Ok(Err(_)) => panic!("closed: {}", String::from_utf8_lossy(&heard)),
            Ok(Ok(n)) => heard.extend_from_slice(&buf[..n]),
            Err(_) => panic!(
                "the listener said nothing more: {}",
                String::from_utf8_lossy(&heard)
            ),
        }
    }
    String::from_utf8_lossy(&heard).into_owned()
}

/// What the listener answers to `lines` sent after STARTTLS, over TLS.
async fn smtp_talk_secured(port: u16, lines: &str) -> String {
    use std::sync::Arc;
    use tokio::io::AsyncWriteExt;
    use tokio_rustls::rustls::pki_types::{pem::PemObject, CertificateDer, ServerName};
    use tokio_rustls::rustls::{crypto::ring, ClientConfig, RootCertStore};
    let mut tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    hear(&mut tcp, Some("\r\n")).await;
    tcp.write_all(b"EHLO mx.shop.test\r\n").await.unwrap();
    hear(&mut tcp, Some("\r\n250 ")).await;
    tcp.write_all(b"STARTTLS\r\n").await.unwrap();
    hear(&mut tcp, Some("220 ")).await;
    let mut roots = RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_file(test_pem("first.crt")).unwrap())
        .unwrap();
    let config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let name = ServerName::try_from("127.0.0.1").unwrap();
    let mut tls = connector.connect(name, tcp).await.expect("handshake");
    tls.write_all(lines.as_bytes()).await.unwrap();
    hear(&mut tls, Some("\r\n250 ")).await
}

#[tokio::test]
async fn answers_by_email_come_encrypted_with_the_sites_certificate() {
    use lettre::AsyncTransport;
    // The certificate as certbot leaves it: two files the server reads, renewed in place.
    let certs = tempfile::tempdir().unwrap();
    let (cert, key) = (
        certs.path().join("fullchain.pem"),
        certs.path().join("privkey.pem"),
    );
    std::fs::copy(test_pem("first.crt"), &cert).unwrap();
    std::fs::copy(test_pem("first.key"), &key).unwrap();
    let Answering {
        _dir,
        smtp: _smtp,
        server: _server,
        port,
        mut ben,
        conversation,
        reply_to,
    } = answering(|c| {
        c.mail_in_tls_cert = cert.display().to_string();
        c.mail_in_tls_key = key.display().to_string();
    })
    .await;

    // Offered to every sending server, never required: plain mail is still taken.
    let ehlo = smtp_talk(port, "EHLO mx.shop.test\r\n", Some("\r\n250 ")).await;
    assert!(ehlo.contains("STARTTLS"), "{ehlo}");

    // Vera's provider delivers over TLS, checking the certificate.
    let mailer = encrypted_mailer(port, "first.crt");
    mailer
        .send(answer("vera@shop.test", &reply_to, "t1", "Sent over TLS."))
        .await
        .expect("taken over TLS");
    ben_hears(&mut ben, &conversation, "Sent over TLS.").await;

    // After the handshake the session starts over (RFC 3207): no mail before a new
    // EHLO, and STARTTLS is not offered again.
    let secured = smtp_talk_secured(port, "MAIL FROM:<vera@shop.test>\r\nEHLO mx.shop.test\r\n").await;
    assert!(secured.starts_with("503 "), "{secured}");
    assert!(!secured.contains("STARTTLS"), "{secured}");

    // Commands slipped in after STARTTLS, before the handshake, are not obeyed (RFC
    // 3207): the connection is closed instead.
    let slipped = smtp_talk(port, "EHLO mx.evil.test\r\nSTARTTLS\r\nRSET\r\n", None).await;
    assert!(slipped.ends_with("\r\n220 Ready to start TLS\r\n"), "{slipped}");

    // The certificate renewed on disk: the next mail is encrypted with the new one,
    // without a restart.
    std::fs::copy(test_pem("renewed.crt"), &cert).unwrap();
    std::fs::copy(test_pem("renewed.key"), &key).unwrap();
    let old = encrypted_mailer(port, "first.crt")
        .send(answer("vera@shop.test", &reply_to, "t2", "Trusting the old one."))
        .await;
    assert!(old.is_err(), "the old certificate is still offered");
    encrypted_mailer(port, "renewed.crt")
        .send(answer("vera@shop.test", &reply_to, "t3", "After the renewal."))
        .await
        .expect("taken with the renewed certificate");
    ben_hears(&mut ben, &conversation, "After the renewal.").await;
}
