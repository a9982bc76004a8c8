//! The file is the format: every example dialogue read, written with `json::to_file`,
//! and read again is the same dialogue, and writing it again gives the same text (what
//! the console's export and import rely on).

#[test]
fn every_example_round_trips_through_the_file_form() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/dialogues");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let first =
            chinwag_dialogue::json::check(&text).unwrap_or_else(|p| panic!("{}: {p:?}", path.display()));
        let written = chinwag_dialogue::json::to_file(first.dialogue());
        let again = chinwag_dialogue::json::check(&written)
            .unwrap_or_else(|p| panic!("{} written: {p:?}", path.display()));
        assert_eq!(first.dialogue(), again.dialogue(), "{}", path.display());
        assert_eq!(
            written,
            chinwag_dialogue::json::to_file(again.dialogue()),
            "{}: stable text",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 5, "the examples: {seen}");
}
