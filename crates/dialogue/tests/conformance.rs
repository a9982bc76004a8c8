//! The shared table of condition cases (`www/fixtures/conditions.json`): the loader
//! runs the same table (`e2e/conditions.test.mjs`), so the two evaluators agree.

use chinwag_dialogue::{Condition, VisitorContext};
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
struct Table {
    cases: Vec<Case>,
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
            };
            case.condition.holds(&visitor) != case.holds
        })
        .map(|case| case.name.as_str())
        .collect();
    assert!(wrong.is_empty(), "cases the engine gets wrong: {wrong:?}");
}
