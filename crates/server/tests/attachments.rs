//! Attachments both ways (docs/inbox.md, "Attachments"): a visitor's image reaches the
//! agent and is served as an image; an agent's PDF reaches the visitor and is served as
//! a download; the type comes from the bytes (an SVG with a script, HTML named `.png`
//! and a program are refused; a GIF that is also JavaScript is served as an image that
//! cannot run); 10 MB at most; the page's origin and the visitor's token are checked;
//! the token, the file's name and the message's id travel in headers, never in the URL;
//! a retried upload is stored once.

mod support;

use chinwag_protocol::{EventKind, Role, ServerFrame};
use support::*;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// A visitor's upload from the site's page, as the widget sends it: the status and the
/// body.
async fn upload(
    server: &Server,
    origin: &str,
    token: &str,
    id: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(server.url("/api/sites/demo/files"))
        .header("origin", origin)
        .header("authorization", format!("Bearer {token}"))
        .header("chinwag-message-id", id)
        .header("chinwag-file-name", encoded(name))
        .header("content-type", "text/plain")
        .body(bytes)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// `name` as `encodeURIComponent` writes it (the widget's and the inbox's header).
fn encoded(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The file of the message event `frame` carries in `conversation`, if any.
fn file_in(frame: &ServerFrame, conversation: &str, role: Role) -> Option<chinwag_protocol::File> {
    match event_in(frame, conversation) {
        Some(EventKind::Message {
            role: r,
            file: Some(f),
            ..
        }) if *r == role => Some(f.clone()),
        _ => None,
    }
}

#[tokio::test]
async fn files_go_both_ways_and_never_run_in_our_origin() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let (mut ben, mut vera, conversation, token) = bens_chat(&server).await;
    let http = reqwest::Client::new();

    // Vera's screenshot: Ben's inbox hears it; it is served inline as an image.
    let (status, body) = upload(
        &server,
        SITE_ORIGIN,
        &token,
        "f1",
        "screen shot.png",
        PNG.to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let frame = until(&mut ben.ws, |f| {
        file_in(f, &conversation, Role::Visitor).is_some()
    })
    .await;
    let png = file_in(&frame, &conversation, Role::Visitor).unwrap();
    assert_eq!(
        (png.name.as_str(), png.mime.as_str(), png.size),
        ("screen shot.png", "image/png", PNG.len() as u64)
    );
    let served = http.get(server.url(&png.path())).send().await.unwrap();
    let header = |name: &str| served.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(header("content-type").as_deref(), Some("image/png"));
    assert_eq!(
        header("content-disposition").as_deref(),
        Some("inline; filename*=UTF-8''screen%20shot.png")
    );
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    assert!(header("content-security-policy").unwrap().contains("sandbox"));
    assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);

    // Sent again (a retry after a lost answer): one message, one file.
    let (status, _) = upload(
        &server,
        SITE_ORIGIN,
        &token,
        "f1",
        "screen shot.png",
        PNG.to_vec(),
    )
    .await;
    assert_eq!(status, 200);
    let history = ben.history(&server, &conversation).await;
    assert_eq!(history.matches(r#""id":"f1""#).count(), 1, "{history}");
    let pool = support::db(&db).await;
    let files: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM files")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(files, 1);

    // Ben's invoice: Vera's socket hears it; served as a download.
    let sent = ben
        .http
        .post(server.url(&format!("/api/conversations/{conversation}/files")))
        .header("chinwag-message-id", "a-f1")
        .header("chinwag-file-name", "invoice.pdf")
        .header("x-csrf-token", &ben.csrf)
        .body(b"%PDF-1.7\n1 0 obj <<>> endobj".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 200, "{}", sent.text().await.unwrap());
    let frame = until(&mut vera, |f| file_in(f, &conversation, Role::Agent).is_some()).await;
    let pdf = file_in(&frame, &conversation, Role::Agent).unwrap();
    let served = http.get(server.url(&pdf.path())).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "application/pdf");
    assert!(served.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));

    // The type comes from the bytes: what could run in a browser is refused, with why.
    let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>"#;
    let (status, body) = upload(&server, SITE_ORIGIN, &token, "f2", "logo.svg", svg.to_vec()).await;
    assert_eq!(status, 415);
    assert!(body.contains("SVG"), "{body}");
    let page = b"<!DOCTYPE html><html><body><script>fetch('/api/me')</script></body></html>";
    let (status, body) = upload(&server, SITE_ORIGIN, &token, "f3", "cat.png", page.to_vec()).await;
    assert_eq!(status, 415, "HTML named .png: {body}");
    let program = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0".to_vec();
    assert_eq!(
        upload(&server, SITE_ORIGIN, &token, "f4", "run.png", program)
            .await
            .0,
        415
    );
    // A GIF that is also JavaScript: stored as a GIF, served so it cannot run as a script.
    let polyglot = b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00*/=alert(document.domain)//;".to_vec();
    let (status, body) = upload(&server, SITE_ORIGIN, &token, "f5", "poly.js", polyglot).await;
    assert_eq!(status, 200, "{body}");
    let event: serde_json::Value = serde_json::from_str(&body).unwrap();
    let path = format!(
        "/files/{}",
        event["kind"]["message"]["file"]["id"].as_str().unwrap()
    );
    let served = http.get(server.url(&path)).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/gif");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");

    // 10 MB at most; another page's origin and a forged token are refused.
    let big = vec![b'a'; 10 * 1024 * 1024 + 1];
    let (status, body) = upload(&server, SITE_ORIGIN, &token, "f6", "big.txt", big).await;
    assert_eq!(status, 413);
    assert!(body.contains("at most 10 MB"), "{body}");
    assert_eq!(
        upload(&server, "http://evil.test", &token, "f7", "a.png", PNG.to_vec())
            .await
            .0,
        403
    );
    let forged = format!("{}x", token);
    assert_eq!(
        upload(&server, SITE_ORIGIN, &forged, "f8", "a.png", PNG.to_vec())
            .await
            .0,
        403
    );
    assert_eq!(
        http.get(server.url("/files/nothing-here"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    server.stop().await;
}

/// Proxies and access logs keep URLs: a token or a file's name (which can be personal)
/// there would outlive the chat in files nobody erases. The widget sends them in
/// headers, which the browser asks the server about first (a preflight, for the site's
/// own origins only); the URL is the same for every upload, so that answer is kept.
#[tokio::test]
async fn nothing_personal_travels_in_the_url() {
    let (_dir, db) = temp_db();
    let server = Server::start(&db).await;
    let (_ben, _vera, _conversation, token) = bens_chat(&server).await;
    let http = reqwest::Client::new();

    let in_url = http
        .post(server.url("/api/sites/demo/files"))
        .query(&[("token", token.as_str()), ("id", "u1"), ("name", "a.png")])
        .header("origin", SITE_ORIGIN)
        .header("content-type", "text/plain")
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(in_url.status(), 403);
    assert!(in_url.text().await.unwrap().contains("Authorization"));
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM files")
        .fetch_one(&support::db(&db).await)
        .await
        .unwrap();
    assert_eq!(stored, 0, "nothing stored from a token in the URL");

    let ask = |origin: &'static str| {
        http.request(reqwest::Method::OPTIONS, server.url("/api/sites/demo/files"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,chinwag-file-name,chinwag-message-id",
            )
            .send()
    };
    let yes = ask(SITE_ORIGIN).await.unwrap();
    assert_eq!(yes.status(), 204);
    assert_eq!(yes.headers()["access-control-allow-origin"], SITE_ORIGIN);
    let allowed = yes.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_owned();
    for header in ["authorization", "chinwag-message-id", "chinwag-file-name"] {
        assert!(allowed.contains(header), "{header} allowed: {allowed}");
    }
    assert_eq!(yes.headers()["access-control-allow-methods"], "POST");
    assert_eq!(yes.headers()["access-control-max-age"], "7200");
    let no = ask("http://evil.test").await.unwrap();
    assert_eq!(no.status(), 403);
    assert!(no.headers().get("access-control-allow-origin").is_none());

    // A name beyond ASCII, in its header, comes back as it was written.
    let (status, body) = upload(&server, SITE_ORIGIN, &token, "u2", "reçu n°7.png", PNG.to_vec()).await;
    assert_eq!(status, 200, "{body}");
    let event: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(event["kind"]["message"]["file"]["name"], "reçu n°7.png");
    // Without a name there is nothing to show: refused, with why.
    let unnamed = http
        .post(server.url("/api/sites/demo/files"))
        .header("origin", SITE_ORIGIN)
        .header("authorization", format!("Bearer {token}"))
        .header("chinwag-message-id", "u3")
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(unnamed.status(), 400);
    assert!(unnamed.text().await.unwrap().contains("chinwag-file-name"));
    // A widget from before, still cached in a browser, names them in the query: kept.
    let older = http
        .post(server.url("/api/sites/demo/files"))
        .query(&[("id", "u4"), ("name", "old.png")])
        .header("origin", SITE_ORIGIN)
        .header("authorization", format!("Bearer {token}"))
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(older.status(), 200);
    server.stop().await;
}
