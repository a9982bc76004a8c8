use crate::{check::Checker, text::Text};

crate::model! {
    /// Offers a meeting with one of the hosts. Booking arrives in a later release;
    /// until then the widget shows the fallback text and the stream continues.
    pub struct Meeting {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub text: Option<Text>,
        pub hosts: Hosts,
        pub duration_minutes: u32,
        pub fallback: Text,
    }
}

crate::model! {
    /// `{"agents": ["ana", "ben"]}` (round robin over their calendars) or `{"team": "sales"}`.
    #[serde(rename_all = "snake_case", deny_unknown_fields)]
    pub enum Hosts {
        Agents(Vec<String>),
        Team(String),
    }
}

impl Meeting {
    pub(crate) fn check(&self, at: &str, c: &mut Checker) {
        if let Some(text) = &self.text {
            c.text(format!("{at}.text"), text);
        }
        c.text(format!("{at}.fallback"), &self.fallback);
        if !(5..=480).contains(&self.duration_minutes) {
            c.problem(
                format!("{at}.duration_minutes"),
                "a meeting lasts between 5 and 480 minutes",
            );
        }
        match &self.hosts {
            Hosts::Agents(agents) if agents.is_empty() => c.problem(
                format!("{at}.hosts.agents"),
                "name at least one agent to host the meeting",
            ),
            Hosts::Agents(agents) => {
                for (i, agent) in agents.iter().enumerate() {
                    c.identifier(format!("{at}.hosts.agents[{i}]"), agent, "agent");
                }
            }
            Hosts::Team(team) => c.identifier(format!("{at}.hosts.team"), team, "team"),
        }
    }
}
