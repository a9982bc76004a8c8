//! The shared table of condition cases (`www/fixtures/conditions.json`): the loader
//! runs the same table (`e2e/conditions.test.mjs`), so the two evaluators agree.

use chinwag_dialogue::{Condition, VisitorContext};
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
struct Table {
    cases: Vec<Case>,
    page_cases: Vec<PageCase>,
}

#[derive(serde::Deserialize)]
struct PageCase {
    name: String,
    pages: Vec<chinwag_dialogue::PageRule>,
    page: String,
    holds: bool,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    condition: Condition,
    attributes: BTreeMap<String, String>,
    #[serde(default)]
    page: String,
    holds: bool,
}

#[test]
fn the_engine_gives_every_shared_condition_case_its_expected_answer() {
    let json = include_str!("../../../www/fixtures/conditions.json");
    let table: Table = serde_json::from_str(json).expect("the conformance table parses");
    assert!(table.cases.len() >= 20);
    let wrong: Vec<&str> = table
        .cases
        .iter()
        .filter(|case| {
            let visitor = VisitorContext {
                attributes: case.attributes.clone(),
                page_url: case.page.clone(),
                locale: "en".into(),
                teams_available: Vec::new(),
            };
            case.condition.holds(&visitor) != case.holds
        })
        .map(|case| case.name.as_str())
        .collect();
    assert!(wrong.is_empty(), "cases the engine gets wrong: {wrong:?}");
}

#[test]
fn page_rules_give_every_shared_case_its_expected_answer() {
    let table: Table = serde_json::from_str(include_str!("../../../www/fixtures/conditions.json")).unwrap();
    assert!(table.page_cases.len() >= 10);
    let wrong: Vec<&str> = table
        .page_cases
        .iter()
        .filter(|case| {
            let targeting = chinwag_dialogue::Targeting {
                pages: case.pages.clone(),
                ..Default::default()
            };
            targeting.targets_page(&case.page) != case.holds
        })
        .map(|case| case.name.as_str())
        .collect();
    assert!(
        wrong.is_empty(),
        "page cases the Rust evaluator gets wrong: {wrong:?}"
    );
}
