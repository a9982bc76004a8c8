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
