use crate::{check::Checker, text::Text};
use std::collections::BTreeSet;

crate::model! {
    /// A form asking for the visitor's details. Fields whose attribute is already
    /// known are skipped; when every field is known the card is skipped entirely.
    pub struct InfoCapture {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub text: Option<Text>,
        pub fields: Vec<Field>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub submit_label: Option<Text>,
    }
}

crate::model! {
    pub struct Field {
        pub kind: FieldKind,
        /// Where the answer is saved. Defaults to the kind's name (`email`, ...);
        /// required for `custom` fields.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub attribute: Option<String>,
        /// Defaults to the widget's built-in label for the kind.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub label: Option<Text>,
        #[serde(default = "yes")]
        pub required: bool,
        /// Shown instead of the built-in message when the value is missing or invalid.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub error: Option<Text>,
        #[serde(default = "yes")]
        pub skip_if_known: bool,
    }
}

fn yes() -> bool {
    true
}

crate::model! {
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum FieldKind {
        FirstName,
        LastName,
        Email,
        Phone,
        Company,
        JobTitle,
        Custom,
    }
}

impl FieldKind {
    pub fn default_attribute(self) -> Option<&'static str> {
        Some(match self {
            FieldKind::FirstName => "first_name",
            FieldKind::LastName => "last_name",
            FieldKind::Email => "email",
            FieldKind::Phone => "phone",
            FieldKind::Company => "company",
            FieldKind::JobTitle => "job_title",
            FieldKind::Custom => return None,
        })
    }
}

impl Field {
    /// The attribute this field fills.
    pub fn attribute(&self) -> &str {
        self.attribute
            .as_deref()
            .or(self.kind.default_attribute())
            .unwrap_or("")
    }
}

impl InfoCapture {
    pub(crate) fn check(&self, at: &str, c: &mut Checker) {
        if let Some(text) = &self.text {
            c.text(format!("{at}.text"), text);
        }
        if let Some(label) = &self.submit_label {
            c.text(format!("{at}.submit_label"), label);
        }
        if self.fields.is_empty() {
            c.problem(at, "an info capture card needs at least one field");
        }
        let mut seen = BTreeSet::new();
        for (i, field) in self.fields.iter().enumerate() {
            let here = format!("{at}.fields[{i}]");
            if field.kind == FieldKind::Custom && field.attribute.is_none() {
                c.problem(
                    &here,
                    "a custom field needs an \"attribute\" to save the answer into",
                );
            }
            if let Some(attribute) = &field.attribute {
                c.attribute_name(format!("{here}.attribute"), attribute);
            }
            if !field.attribute().is_empty() && !seen.insert(field.attribute()) {
                c.problem(
                    &here,
                    format!("attribute \"{}\" is asked twice in this card", field.attribute()),
                );
            }
            for (name, text) in [("label", &field.label), ("error", &field.error)] {
                if let Some(text) = text {
                    c.text(format!("{here}.{name}"), text);
                }
            }
        }
    }
}
