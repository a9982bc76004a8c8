//! Test visitors: a visitor (attributes, page, language) who gives known answers walks
//! a dialogue through the real engine, and where they stop is compared with the card
//! they must reach: a regression test for a dialogue, run by the console on every
//! change. Pure: no clock, no I/O.

use crate::cards::FieldKind;
use crate::engine::{Answer, Prompt, Stream};
use crate::validate::ValidDialogue;
use crate::VisitorContext;
use std::collections::BTreeMap;

/// Where a visitor who leaves the dialogue's end stops.
pub const END: &str = "end";

/// Steps after which a walk gives up (a dialogue cannot loop without input, but a
/// test visitor's answers could keep one going).
const MOST_STEPS: usize = 500;

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TestVisitor {
    /// What the site owner calls them ("Enterprise lead from the pricing page").
    pub name: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// The page they are on (for page conditions).
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub locale: String,
    /// Their answers in order: a button's label, or the text they type. Forms are
    /// filled from their attributes (or sample values); meetings are passed by.
    #[serde(default)]
    pub answers: Vec<String>,
    /// The path of the card they must stop at (`stream[1].answers[0].then[1]`), or `end`.
    pub expect: String,
}

/// Where a test visitor stopped, and why when it was not where they should.
#[derive(Clone, Debug, PartialEq)]
pub struct Walk {
    /// The card's path, or [`END`].
    pub reached: String,
    /// An answer the dialogue did not take (the walk stopped there).
    pub problem: Option<String>,
}

impl Walk {
    pub fn passes(&self, visitor: &TestVisitor) -> bool {
        self.problem.is_none() && self.reached == visitor.expect
    }
}

fn sample(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Email => "test.visitor@example.com",
        FieldKind::Phone => "+15550100123",
        _ => "Test",
    }
}

/// Walks `visitor` through `dialogue`.
pub fn walk(dialogue: &ValidDialogue, visitor: &TestVisitor) -> Walk {
    let context = VisitorContext {
        attributes: visitor.attributes.clone(),
        page_url: visitor.page.clone(),
        locale: if visitor.locale.is_empty() {
            "en".into()
        } else {
            visitor.locale.clone()
        },
        teams_available: Vec::new(),
    };
    let mut stream = Stream::start(dialogue, context, 0);
    let mut answers = visitor.answers.iter();
    let here = |s: &Stream| s.position().map_or(END.to_owned(), ToString::to_string);
    for _ in 0..MOST_STEPS {
        let answer = match stream.prompt(dialogue) {
            Prompt::Ended | Prompt::LiveChat { .. } => break,
            Prompt::Meeting { .. } => Answer::Continue,
            Prompt::InfoCapture { fields, .. } => Answer::Fields(
                fields
                    .iter()
                    .map(|f| {
                        let value = visitor
                            .attributes
                            .get(&f.attribute)
                            .map_or(sample(f.kind), String::as_str);
                        (f.attribute.clone(), value.to_owned())
                    })
                    .collect(),
            ),
            Prompt::Question {
                answers: labels,
                free_text,
            } => {
                let Some(given) = answers.next() else { break };
                let wanted = given.trim();
                match labels.iter().position(|l| l.trim().eq_ignore_ascii_case(wanted)) {
                    Some(i) => Answer::Choice(i),
                    None if free_text.is_some() => Answer::Text(given.clone()),
                    None => {
                        return Walk {
                            reached: here(&stream),
                            problem: Some(format!(
                                "no answer “{given}” here (answers: {})",
                                labels.join(", ")
                            )),
                        }
                    }
                }
            }
        };
        if let Err(e) = stream.answer(dialogue, answer, 0) {
            return Walk {
                reached: here(&stream),
                problem: Some(format!("the card refused the answer: {e:?}")),
            };
        }
    }
    Walk {
        reached: here(&stream),
        problem: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialogue() -> ValidDialogue {
        let file = r#"{ "id": "t", "name": "t", "stream": [
            { "type": "branch", "when": { "is_not_empty": "email" },
              "then": [{ "type": "message", "text": "Welcome back" }],
              "else": [{ "type": "info_capture", "fields": [{ "kind": "email" }] }] },
            { "type": "question", "text": { "en": "Size?", "sv": "Storlek?" }, "answers": [
                { "label": { "en": "Small", "sv": "Liten" }, "then": [{ "type": "end", "text": "Bye" }] },
                { "label": { "en": "Large", "sv": "Stor" }, "then": [{ "type": "live_chat", "route": { "mode": "round_robin" }, "fallback": "x" }] } ] } ] }"#;
        crate::validate(serde_json::from_str(file).unwrap()).unwrap()
    }

    fn visitor(answers: &[&str], expect: &str) -> TestVisitor {
        TestVisitor {
            name: "v".into(),
            answers: answers.iter().map(|a| a.to_string()).collect(),
            expect: expect.into(),
            ..Default::default()
        }
    }

    #[test]
    fn visitors_stop_where_their_answers_lead() {
        let d = dialogue();
        // No answers: the form is filled with samples, then the question waits.
        let w = walk(&d, &visitor(&[], "stream[1]"));
        assert_eq!(w.reached, "stream[1]");
        assert!(w.passes(&visitor(&[], "stream[1]")));
        assert_eq!(
            walk(&d, &visitor(&["large"], "")).reached,
            "stream[1].answers[1].then[0]"
        );
        assert_eq!(walk(&d, &visitor(&["Small"], "")).reached, END);
        let mut swede = visitor(&["Stor"], "");
        swede.locale = "sv".into();
        assert_eq!(
            walk(&d, &swede).reached,
            "stream[1].answers[1].then[0]",
            "labels in their language"
        );
    }

    #[test]
    fn an_answer_that_is_not_there_is_said() {
        let w = walk(&dialogue(), &visitor(&["Medium"], "end"));
        assert_eq!(w.reached, "stream[1]");
        assert_eq!(
            w.problem.as_deref(),
            Some("no answer “Medium” here (answers: Small, Large)")
        );
        assert!(!w.passes(&visitor(&["Medium"], "stream[1]")));
    }
}
