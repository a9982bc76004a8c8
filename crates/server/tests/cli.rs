//! The admin CLI, as a site owner's CI runs it: create a site, get its identity secret,
//! publish dialogue files (all or nothing, problems with their paths).

use std::process::Command;

fn chinwag(db: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chinwag"))
        .args(args)
        .env("CHINWAG_DATABASE", db)
        .env("CHINWAG_SECRET", "a cli test secret of length")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs");
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    (out.status.success(), text(out.stdout), text(out.stderr))
}

#[test]
fn a_site_owner_creates_a_site_and_publishes_dialogues_from_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let repo = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

    let add = |origin: &str| {
        let args = [
            "site", "add", "--id", "shop", "--name", "Shop", "--origin", origin,
        ];
        chinwag(&db, &args)
    };
    let (ok, _, err) = add("https://shop.example/pricing");
    assert!(!ok && err.contains("is not an origin"), "{err}");
    let (ok, out, err) = add("https://shop.example");
    assert!(ok, "{err}");
    assert!(out.contains(r#"data-site="shop""#), "{out}");

    let (ok, secret, err) = chinwag(
        &db,
        &["site", "identity", "--site", "shop", "--require-verification"],
    );
    assert!(ok, "{err}");
    assert!(secret.trim().len() >= 32, "{secret}");

    // One bad file: nothing is published, and the problem has its file and path.
    let good = format!("{repo}/www/dialogues/sales-handoff.json");
    let bad = format!("{repo}/www/fixtures/invalid/typo-field.json");
    let (ok, _, err) = chinwag(&db, &["dialogue", "push", "--site", "shop", &good, &bad]);
    assert!(!ok, "refused");
    assert!(
        err.contains("typo-field.json: stream[0].answers[0].then[0].txt: unknown field"),
        "{err}"
    );
    let (ok, out, err) = chinwag(&db, &["dialogue", "push", "--site", "shop", &good]);
    assert!(ok, "{err}");
    assert!(out.contains("published sales-handoff to shop"), "{out}");
    let (ok, _, err) = chinwag(&db, &["dialogue", "push", "--site", "nowhere", &good]);
    assert!(!ok && err.contains("no site nowhere"), "{err}");
}

/// `chinwag serve` as a process of its own (nothing counted yet), with `env`; stops it
/// once `/readyz` answered and `check` ran on the server's address, and gives what it
/// logged.
async fn serving(env: &[(&str, &str)], check: impl AsyncFnOnce(String)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_chinwag"))
        .arg("serve")
        .env("CHINWAG_DATABASE", dir.path().join("c.db"))
        .env("CHINWAG_SECRET", "a cli test secret of length")
        .env("CHINWAG_LISTEN", &address)
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let url = format!("http://{address}");
    let mut ready = false;
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{url}/readyz")).await {
            ready = r.status() == 200;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    if ready {
        check(url).await;
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let logged = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(ready, "the server did not start:\n{logged}");
    logged
}

/// A fresh server's `/metrics` lists every series the code can emit (the list is
/// `telemetry::SERIES`, the one the code emits through), described and at zero, before
/// any chat: dashboards and alerts see them from the start.
#[tokio::test]
async fn a_fresh_server_describes_every_series_at_zero() {
    use chinwag_server::telemetry::{Kind, SERIES};
    let mut text = String::new();
    serving(&[("CHINWAG_METRICS_TOKEN", "metrics-token")], async |url| {
        let response = reqwest::Client::new()
            .get(format!("{url}/metrics"))
            .bearer_auth("metrics-token")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        text = response.text().await.unwrap();
    })
    .await;
    let mut missing = Vec::new();
    for s in SERIES {
        let kind = match s.kind {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Histogram => "histogram",
        };
        let mut wanted = vec![
            format!("# HELP {} ", s.name),
            format!("# TYPE {} {kind}\n", s.name),
        ];
        for value in s.values {
            let sample = match s.kind {
                Kind::Histogram => format!("{}_count{{{}=\"{value}\"}} 0\n", s.name, s.label),
                _ => format!("{}{{{}=\"{value}\"}} 0\n", s.name, s.label),
            };
            wanted.push(sample);
        }
        missing.extend(wanted.into_iter().filter(|w| !text.contains(w.as_str())));
    }
    assert!(missing.is_empty(), "missing {missing:#?} in:\n{text}");
}

/// A `CHINWAG_` variable the configuration does not know (a deploy tool's own, a typo)
/// does not stop the server: one warning line each, with the nearest setting.
#[tokio::test]
async fn unknown_chinwag_variables_are_named_and_the_server_starts() {
    let env = [("CHINWAG_DIR", "/srv/chinwag"), ("CHINWAG_DATABSE", "typo.db")];
    let logged = serving(&env, async |_| {}).await;
    let lines: Vec<&str> = logged
        .lines()
        .filter(|l| l.contains("is not a setting"))
        .collect();
    assert_eq!(lines.len(), 2, "{logged}");
    assert!(
        lines[0].contains("CHINWAG_DATABSE is not a setting and is ignored: did you mean CHINWAG_DATABASE?"),
        "{logged}"
    );
    assert!(lines[0].contains("WARN"), "{logged}");
    assert!(lines[1].contains("CHINWAG_DIR is not a setting"), "{logged}");
}

#[test]
fn version_and_doctor_say_what_is_what() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let (ok, out, _) = chinwag(&db, &["--version"]);
    assert!(
        ok && out.starts_with(&format!("chinwag {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );

    // Good settings: every check passes (the bundles as a checkout has them, built).
    let built = dir.path().join("built");
    std::fs::create_dir_all(&built).unwrap();
    std::fs::write(built.join("index.html"), "<!doctype html>").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_chinwag"))
        .arg("doctor")
        .env("CHINWAG_DATABASE", &db)
        .env("CHINWAG_SECRET", "a cli test secret of length")
        .env("CHINWAG_WIDGET_DIR", &built)
        .env("CHINWAG_INBOX_DIR", &built)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("ok    database: ") && text.contains("does not exist yet"),
        "{text}"
    );

    // What a self-hoster gets wrong, one line each, and a failing exit.
    let out = Command::new(env!("CARGO_BIN_EXE_chinwag"))
        .arg("doctor")
        .env("CHINWAG_DATABASE", &db)
        .env("CHINWAG_SECRET", "short")
        .env("CHINWAG_PUBLIC_URL", "http://chat.example.com")
        .env("CHINWAG_SMTP_URL", "smtp://127.0.0.1:9")
        .env("CHINWAG_MAIL_IN_DOMAIN", "reply.example.com")
        .env("CHINWAG_WIDGET_DIR", dir.path().join("nowhere"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    for wrong in [
        "WRONG secret: set a secret of at least 16 characters",
        "WRONG public_url: http://chat.example.com is plain http",
        "WRONG smtp_url: the mail server cannot be reached",
        "WRONG answers by email: mail_in_domain is reply.example.com, but nothing takes its mail",
        "WRONG assets: the widget has nothing to serve",
    ] {
        assert!(text.contains(wrong), "{wrong}: {text}");
    }
}
