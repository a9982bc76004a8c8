use crate::{cards::Card, check::Checker, text::Text};
use std::collections::BTreeMap;

crate::model! {
    /// A prompt with answer buttons, each opening its own branch, and optionally a
    /// free-text answer saved into an attribute. When a branch runs out of cards the
    /// stream continues after the question.
    pub struct Question {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        pub text: Text,
        #[serde(default)]
        pub answers: Vec<AnswerOption>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub free_text: Option<FreeText>,
    }
}

crate::model! {
    pub struct AnswerOption {
        pub label: Text,
        #[serde(default)]
        pub then: Vec<Card>,
    }
}

crate::model! {
    /// A typed answer, saved into `attribute`.
    pub struct FreeText {
        pub attribute: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub placeholder: Option<Text>,
        #[serde(default)]
        pub then: Vec<Card>,
    }
}

impl Question {
    pub(crate) fn check(&self, at: &str, c: &mut Checker) {
        c.text(format!("{at}.text"), &self.text);
        if self.answers.is_empty() && self.free_text.is_none() {
            c.problem(
                at,
                "a question needs at least one answer (or a free_text answer) or the visitor is stuck",
            );
        }
        // Labels must differ in every locale, or the visitor cannot tell them apart.
        let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (i, answer) in self.answers.iter().enumerate() {
            c.text(format!("{at}.answers[{i}].label"), &answer.label);
            for (locale, label) in answer.label.variants() {
                let key = (locale.to_owned(), label.trim().to_ascii_lowercase());
                if let Some(first) = seen.insert(key, i) {
                    c.problem(
                        format!("{at}.answers[{i}].label"),
                        format!(
                            "duplicate answer label \"{}\" (same as answers[{first}])",
                            label.trim()
                        ),
                    );
                }
            }
        }
        if let Some(free) = &self.free_text {
            c.attribute_name(format!("{at}.free_text.attribute"), &free.attribute);
            if let Some(placeholder) = &free.placeholder {
                c.text(format!("{at}.free_text.placeholder"), placeholder);
            }
        }
    }
}
