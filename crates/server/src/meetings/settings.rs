//! A site's meeting settings: the slot rules (the card gives the length), the
//! round-robin strategy and weights, the video-call link and the invitation's text.

use chinwag_scheduling::{Rules, Strategy};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub rules: Rules,
    pub strategy: Strategy,
    /// Equal distribution: agent id → weight (1 when absent).
    pub weights: BTreeMap<String, u32>,
    /// A video-call link put in every invitation (LOCATION), if any.
    pub location: String,
    /// The invitation's subject and body; empty: the built-in text in the visitor's
    /// language. Placeholders: `{{visitor.name}}`, `{{visitor.first_name}}`,
    /// `{{agent.name}}`, `{{meeting.start}}`, `{{meeting.link}}`, `{{meeting.manage}}`.
    pub subject: String,
    pub body: String,
}

impl Settings {
    pub fn read(json: &str) -> Result<Settings, String> {
        let settings: Settings = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let problems: Vec<String> = settings
            .rules
            .problems()
            .into_iter()
            .map(|(p, m)| format!("rules.{p}: {m}"))
            .collect();
        if problems.is_empty() {
            Ok(settings)
        } else {
            Err(problems.join("\n"))
        }
    }

    pub fn weight(&self, agent: &str) -> u32 {
        self.weights.get(agent).copied().unwrap_or(1).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_with_paths() {
        assert!(Settings::read("{}").is_ok());
        let e = Settings::read(r#"{"rules":{"step_minutes":7}}"#).unwrap_err();
        assert!(e.starts_with("rules.step_minutes: "), "{e}");
        assert!(Settings::read(r#"{"colour":1}"#)
            .unwrap_err()
            .contains("unknown field `colour`"));
    }
}
