//! The shipped dialogues validate, the invalid fixtures give exactly their expected
//! problems, and the checked-in JSON Schema matches the Rust types.

use super::*;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn shipped_dialogues_are_valid() {
    let files = expand(&[repo().join("www/dialogues")]);
    assert!(files.len() >= 4, "expected at least four example dialogues");
    for file in files {
        let problems = check_file(&file);
        assert!(problems.is_empty(), "{}: {problems:#?}", file.display());
    }
}

/// Each `www/fixtures/invalid/NAME.json` has `NAME.expected`: one `path: message`
/// line per problem, in order.
#[test]
fn invalid_fixtures_give_exactly_their_expected_problems() {
    let files = expand(&[repo().join("www/fixtures/invalid")]);
    assert!(files.len() >= 5, "expected invalid fixtures");
    for file in files {
        let expected_file = file.with_extension("expected");
        let expected = std::fs::read_to_string(&expected_file)
            .unwrap_or_else(|_| panic!("{} has no .expected file", file.display()));
        let actual: Vec<String> = check_file(&file).iter().map(ToString::to_string).collect();
        let expected: Vec<&str> = expected.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(actual, expected, "problems of {}", file.display());
    }
}

/// Regenerate with `cargo run -p chinwag-dialogue-cli -- schema > docs/dialogue.schema.json`.
#[test]
fn checked_in_schema_is_current() {
    let path = repo().join("docs/dialogue.schema.json");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == schema(),
        "docs/dialogue.schema.json is stale: run `cargo run -p chinwag-dialogue-cli -- schema > docs/dialogue.schema.json`"
    );
}

#[test]
fn syntax_errors_and_typos_are_reported_with_a_path() {
    let typo = r#"{"id": "x", "name": "X", "stream": [{"type": "message", "txt": "Hi"}]}"#;
    let problems = check_json(typo);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].message.contains("unknown field `txt`"),
        "{problems:?}"
    );
    assert_eq!(problems[0].path, "stream[0].txt", "{problems:?}");

    let broken = "{\"id\": \"x\",\n \"name\": }";
    let problems = check_json(broken);
    assert!(problems[0].message.contains("line 2"), "{problems:?}");
}
