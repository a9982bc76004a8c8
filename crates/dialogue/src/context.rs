//! What the engine knows about the visitor: attributes and the page they are on.

use std::collections::BTreeMap;

/// The visitor's known attributes (`email`, `first_name`, custom ones) and the page
/// context. Conditions read both through [`VisitorContext::get`].
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct VisitorContext {
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub page_url: String,
    #[serde(default)]
    pub locale: String,
    /// The teams someone can answer for now (`team_available`); the server knows it,
    /// and evaluates the condition before a dialogue reaches a page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams_available: Vec<String>,
}

/// Context values conditions can read besides attributes.
pub const CONTEXT_KEYS: [&str; 2] = ["page_url", "locale"];

impl VisitorContext {
    /// An attribute or context value; empty strings count as unknown.
    pub fn get(&self, key: &str) -> Option<&str> {
        let value = match key {
            "page_url" => Some(self.page_url.as_str()),
            "locale" => Some(self.locale.as_str()),
            _ => self.attributes.get(key).map(String::as_str),
        };
        value.filter(|v| !crate::text::trim(v).is_empty())
    }

    pub fn is_known(&self, attribute: &str) -> bool {
        self.get(attribute).is_some()
    }
}
